"""The president's fairness view: each judge's load, the spread, the Gini index, escapes, designations vs draws.

Assignment computes every figure (``fairness`` RPC); this page formats them for a Vietnamese reader (comma
decimal) and draws each judge's load as a bar relative to the most loaded judge.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecourt_console.http import i18n
from ecourt_console.http.pages.common import as_list
from ecourt_console.http.panel_words import number, percent
from ecourt_console.http.web import FairnessSession, error_page, failure_page, render, try_rpc
from ecourt_shared.web.i18n import request_language

router = APIRouter()
JUDGE_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
BAR_STEPS = 20  # bars are drawn in 5 % steps by CSS classes (the policy forbids inline styles)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def bar_step(load: Decimal, highest: Decimal) -> int:
    """The bar's length in twentieths of the most loaded judge's (at least 1 for any load above zero)."""
    if highest <= 0 or load <= 0:
        return 0
    return max(1, min(BAR_STEPS, int((load / highest * BAR_STEPS).to_integral_value())))


def fairness_view(data: dict[str, Any], lang: str) -> dict[str, Any]:
    judges = as_list(data.get("judges"))
    highest = max((_decimal(j.get("load_total")) for j in judges), default=Decimal(0))
    rows = [{**j, "load": number(j.get("load_total"), 2, lang), "capacity_text": number(j.get("capacity"), 2, lang),
             "bar": bar_step(_decimal(j.get("load_total")), highest)} for j in judges]
    designations = int(data.get("designations") or 0)
    draws = int(data.get("draws") or 0)
    assignments = designations + draws
    return {
        "judges": rows,
        "spread": number(data.get("spread"), 2, lang), "gini": number(data.get("gini"), 4, lang),
        "max_distance": number(data.get("max_distance"), 2, lang),
        "escape_rate": percent(data.get("escape_rate"), lang),
        "designation_share": percent(Decimal(designations) / assignments if assignments else 0, lang),
        "counts": {k: int(data.get(k) or 0) for k in ("draws", "escapes", "designations", "reassignments",
                                                      "void_commitments")},
        "weight_table_version": data.get("weight_table_version") or "",
    }


@router.get("/fairness")
def fairness(request: Request, session: FairnessSession) -> Response:
    data, failure = try_rpc(request, session, "assignment", "fairness")
    if failure is not None:
        return failure_page(request, failure, session)
    view = fairness_view(data if isinstance(data, dict) else {}, request_language(request))
    return render(request, "fairness.html", {"view": view},
                  session=session)


@router.get("/fairness/judges/{judge_id}")
def judge_cases(request: Request, judge_id: str, session: FairnessSession) -> Response:
    if not JUDGE_ID.fullmatch(judge_id):
        return error_page(request, 404, [i18n.bilingual("not_found")], session)
    rows, failure = try_rpc(request, session, "assignment", "judge_cases", judge_id=judge_id)
    if failure is not None:
        return failure_page(request, failure, session)
    return render(request, "judge_cases.html", {"judge_id": judge_id, "rows": as_list(rows)}, session=session)

