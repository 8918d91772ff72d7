"""The president's inbox: cases awaiting a judge (assign at random or open the case's page), and the reception
inbox: arrivals awaiting a decision with their counting date, and recent decisions with who, when and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ecourt_console.http import i18n
from ecourt_console.http.pages.common import as_list, display_case_id, valid_case_id
from ecourt_console.http.security import CSRF_FIELD
from ecourt_console.http.web import (
    InboxSession,
    check_csrf,
    error_page,
    failure_page,
    flash_message,
    redirect,
    render,
    try_rpc,
)

router = APIRouter()
RECENT_DECISIONS = 20  # the inbox shows the newest reception decisions; the register holds them all


@router.get("/inbox")
def inbox(request: Request, session: InboxSession) -> Response:
    # the reception inbox first: its failure is shown in its own section and never changes the page's status
    reception, reception_failure = try_rpc(request, session, "assignment", "reception_inbox")
    rows, failure = try_rpc(request, session, "assignment", "inbox")
    if failure is not None and failure.kind == "denied":
        return failure_page(request, failure, session)
    arrivals = reception if isinstance(reception, dict) else {}
    return render(request, "inbox.html", {"rows": as_list(rows, "cases"), "failure": failure,
                                          "awaiting": as_list(arrivals.get("awaiting")),
                                          "decisions": as_list(arrivals.get("decisions"))[:RECENT_DECISIONS],
                                          "reception_failure": reception_failure},
                  status=failure.status if failure else 200, session=session)


@router.post("/inbox/{case_id}/assign")
def assign_random(request: Request, case_id: str, session: InboxSession,
                  csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
                  acceptance_number: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token, session)
    if not valid_case_id(case_id):
        return error_page(request, 404, [i18n.bilingual("not_found")], session)
    result, failure = try_rpc(request, session, "assignment", "assign_random", case_id=case_id)
    if failure is not None:
        return redirect(request, "/inbox", flash=flash_message(
            "error", " ".join(m.vi for m in failure.messages), " ".join(m.en for m in failure.messages)))
    return redirect(request, "/inbox", flash=assigned_flash(result, acceptance_number[:40] or display_case_id(case_id)))


def assigned_flash(result: Any, number: str) -> dict[str, Any]:
    data = result if isinstance(result, dict) else {}
    number = str(data.get("acceptance_number") or number)
    judge = str(data.get("judge_name") or data.get("judge_id") or "?")
    vi, en = i18n.both("assign.done", number=number, judge=judge)
    method = str(data.get("method") or "")
    details = [(*i18n.both("assign.judge"), judge)]
    if method:
        method_vi, method_en = i18n.MESSAGES.get(f"method.{method}", (method, method))
        details.append((*i18n.both("assign.method"), f"{method_vi} ({method_en})"))
    for key in ("draw_id", "seed_commitment"):
        if data.get(key):
            details.append((*i18n.both(f"assign.{key}"), str(data[key])))
    return flash_message("success", vi, en, details)
