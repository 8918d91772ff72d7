"""A judge's cases and the case file (dossier) of one case, as casefile returns it for this viewer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ecourt_console.http import i18n
from ecourt_console.http.pages.common import as_list, canonical_case_id
from ecourt_console.http.web import CasesSession, DossierSession, error_page, failure_page, render, try_rpc

router = APIRouter()


@router.get("/cases")
def judge_cases(request: Request, session: CasesSession) -> Response:
    rows, failure = try_rpc(request, session, "assignment", "judge_cases")
    if failure is not None and failure.kind == "denied":
        return failure_page(request, failure, session)
    return render(request, "cases.html", {"rows": as_list(rows, "cases"), "failure": failure},
                  status=failure.status if failure else 200, session=session)


@router.get("/cases/{case_id}")
def dossier(request: Request, case_id: str, session: DossierSession) -> Response:
    canonical = canonical_case_id(case_id)
    if canonical is None:
        return error_page(request, 404, [i18n.bilingual("not_found")], session)
    result, failure = try_rpc(request, session, "casefile", "get_dossier", case_id=canonical)
    if failure is not None:
        return failure_page(request, failure, session)
    return render(request, "dossier.html", dossier_view(result, canonical), session=session)


_PARTS = ("view", "header", "deadline", "documents", "timeline", "parties")


def dossier_view(result: Any, case_id: str) -> dict[str, Any]:
    """What the dossier page shows, from either shape casefile may send.

    The header is read from a ``header`` object or from the top level (``DossierFullV1`` and
    ``DossierEssentialsV1`` are flat); the essentials view has only ``next_deadline_on``, without a legal basis.
    """
    dossier = result if isinstance(result, dict) else {}
    header = {k: v for k, v in dossier.items() if k not in _PARTS}
    if isinstance(dossier.get("header"), dict):
        header.update(dossier["header"])
    deadline = dossier.get("deadline") if isinstance(dossier.get("deadline"), dict) else None
    if deadline is None and header.get("next_deadline_on"):
        deadline = {"due_on": header["next_deadline_on"]}
    return {"case_id": str(dossier.get("case_id") or case_id), "view": dossier.get("view") or "essentials",
            "header": header, "deadline": deadline, "documents": as_list(dossier.get("documents")),
            "timeline": as_list(dossier.get("timeline")), "parties": as_list(dossier.get("parties"))}
