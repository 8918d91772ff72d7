"""The president's page of one case: designate, reassign, draw the trial panel, replace a member, verify a draw.

Assignment holds every rule (who may sit, the composition the law requires, mandatory reasons) and says
no with a field-level refusal; these pages put each refusal next to the input it is about and keep what
was typed, so a designation refused for an unavailable or conflicted judge reads right beside the choice.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ecourt_console.http import i18n
from ecourt_console.http.pages.common import as_list, canonical_case_id, display_case_id
from ecourt_console.http.panel_words import SEAT_KIND_NAMES, SEAT_METHOD_NAMES, label
from ecourt_console.http.rpc_errors import Message, RpcFailure
from ecourt_console.http.security import CSRF_FIELD
from ecourt_console.http.web import (
    InboxSession,
    StaffSession,
    check_csrf,
    error_page,
    failure_page,
    flash_message,
    redirect,
    render,
    try_rpc,
)
from ecourt_shared.web.i18n import request_language

router = APIRouter()
DRAW_ID = re.compile(r"[A-Za-z0-9._-]{1,80}")
MEMBER_ID = re.compile(r"[A-Za-z0-9._-]{1,40}")
REASON_MAX = 1000

CsrfForm = Annotated[str, Form(alias=CSRF_FIELD)]


def _form_errors(failure: RpcFailure, fields: tuple[str, ...]) -> dict[str, list[Message]]:
    """Refusals by input: a field the form has gets its messages; everything else goes on top (``""``)."""
    by_field: dict[str, list[Message]] = {}
    for message in failure.messages:
        key = message.field if message.field in fields else ""
        by_field.setdefault(key, []).append(message)
    return by_field


def _case_page(request: Request, session: StaffSession, case_id: str, *, form: str = "",
               errors: dict[str, list[Message]] | None = None, values: dict[str, str] | None = None,
               status: int = 200) -> Response:
    """The page: the case (waiting or assigned), its panel, and the forms that apply to its state."""
    panel, failure = try_rpc(request, session, "assignment", "panel", case_id=case_id)
    if failure is not None:
        return failure_page(request, failure, session)
    waiting, inbox_failure = try_rpc(request, session, "assignment", "inbox")
    row = next((r for r in as_list(waiting, "cases") if r.get("case_id") == case_id), None)
    roster, roster_failure = try_rpc(request, session, "assignment", "roster", kind=None)
    members = as_list(roster)
    judge = _current_judge(request, session, case_id, panel) if row is None else None
    seats = as_list(panel.get("seats"))
    lang = request_language(request)
    context = {
        "case_id": case_id, "panel": panel, "row": row, "waiting": row is not None, "judge": judge,
        "seats": seats, "replaceable": [s for s in seats if s.get("seat") != "presiding"],
        "judges": [m for m in members if m.get("kind", "judge") == "judge" and m.get("active", True)],
        "members": [m for m in members if m.get("kind") in ("assessor", "clerk", "judge") and m.get("active", True)],
        "form": form, "errors": errors or {}, "values": values or {},
        "failures": [f for f in (inbox_failure, roster_failure) if f is not None],
        "number": panel.get("acceptance_number") or display_case_id(case_id),
        "seat_method": partial(label, SEAT_METHOD_NAMES, lang), "seat_kind": partial(label, SEAT_KIND_NAMES, lang),
    }
    return render(request, "panel_case.html", context, status=status, session=session)


def _current_judge(request: Request, session: StaffSession, case_id: str, panel: dict[str, Any]) -> dict[str, Any]:
    """The assigned judge (the presiding seat when a panel exists, else the case file) and how the case got them:
    a designation with its reason, or a draw with its id, from the judge's case list."""
    presiding = next((s for s in as_list(panel.get("seats")) if s.get("seat") == "presiding"), None)
    if presiding is not None:
        found: dict[str, Any] = {"judge_id": presiding.get("member_id"), "judge_name": presiding.get("full_name")}
    else:
        dossier, _ = try_rpc(request, session, "casefile", "get_dossier", case_id=case_id)
        dossier = dossier if isinstance(dossier, dict) else {}
        found = {"judge_id": dossier.get("judge_id"), "judge_name": dossier.get("judge_name")}
    if not found["judge_id"]:
        return {}
    cases, _ = try_rpc(request, session, "assignment", "judge_cases", judge_id=found["judge_id"])
    mine = next((c for c in as_list(cases) if c.get("case_id") == case_id), None)
    if mine is not None:
        found.update(method=mine.get("method"), reason=mine.get("reason"), draw_id=mine.get("draw_id"))
    return found


def _case_or_404(request: Request, session: StaffSession, case_id: str) -> str | Response:
    canonical = canonical_case_id(case_id)
    if canonical is None:
        return error_page(request, 404, [i18n.bilingual("not_found")], session)
    return canonical


@router.get("/inbox/open")
def open_case(request: Request, session: InboxSession, case: str = "") -> Response:
    canonical = canonical_case_id(case.strip())
    if canonical is None:
        vi, en = i18n.both("inbox.find_bad")
        return redirect(request, "/inbox", flash=flash_message("error", vi, en))
    return redirect(request, f"/inbox/{canonical}")


@router.get("/inbox/{case_id}")
def case_page(request: Request, case_id: str, session: InboxSession) -> Response:
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    return _case_page(request, session, canonical)


def _assignment_flash(key: str, result: Any, number: str) -> dict[str, Any]:
    """Who got the case and how: a designation says so, with its reason; a draw shows its seed commitment."""
    data = result if isinstance(result, dict) else {}
    judge = str(data.get("judge_name") or data.get("judge_id") or "?")
    method_vi, method_en = SEAT_METHOD_NAMES.get(str(data.get("method")), ("?", "?"))
    number = str(data.get("acceptance_number") or number)
    vi = i18n.MESSAGES[key][0].format(number=number, judge=judge, method=method_vi)
    en = i18n.MESSAGES[key][1].format(number=number, judge=judge, method=method_en)
    details = [(*i18n.both("assign.judge"), judge), (*i18n.both("assign.method"), f"{method_vi} ({method_en})")]
    for field, key in (("reason", "case.reason"), ("draw_id", "assign.draw_id"),
                       ("seed_commitment", "assign.seed_commitment")):
        if data.get(field):
            details.append((*i18n.both(key), str(data[field])))
    return flash_message("success", vi, en, details)


@router.post("/inbox/{case_id}/designate")
def designate(request: Request, case_id: str, session: InboxSession, csrf_token: CsrfForm = "",
              judge_id: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token, session)
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    values = {"judge_id": judge_id.strip()[:40], "reason": reason.strip()[:REASON_MAX]}
    result, failure = try_rpc(request, session, "assignment", "designate", case_id=canonical, **values)
    if failure is not None:
        return _refused(request, session, canonical, "designate", failure, ("judge_id", "reason"), values)
    return redirect(request, f"/inbox/{canonical}",
                    flash=_assignment_flash("designate.done", result, display_case_id(canonical)))


@router.post("/inbox/{case_id}/reassign")
def reassign(request: Request, case_id: str, session: InboxSession, csrf_token: CsrfForm = "",
             judge_id: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token, session)
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    values = {"judge_id": judge_id.strip()[:40], "reason": reason.strip()[:REASON_MAX]}
    result, failure = try_rpc(request, session, "assignment", "reassign", case_id=canonical,
                              reason=values["reason"], judge_id=values["judge_id"] or None)
    if failure is not None:
        return _refused(request, session, canonical, "reassign", failure, ("judge_id", "reason"), values)
    return redirect(request, f"/inbox/{canonical}",
                    flash=_assignment_flash("reassign.done", result, display_case_id(canonical)))


@router.post("/inbox/{case_id}/panel")
def draw_panel(request: Request, case_id: str, session: InboxSession, csrf_token: CsrfForm = "",
               complex_case: Annotated[str, Form()] = "", substitutes: Annotated[str, Form()] = "",
               reason: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token, session)
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    values = {"complex_case": "on" if complex_case else "", "substitutes": "on" if substitutes else "",
              "reason": reason.strip()[:REASON_MAX]}
    result, failure = try_rpc(request, session, "assignment", "draw_panel", case_id=canonical,
                              complex_case=bool(complex_case), substitutes=bool(substitutes),
                              reason=values["reason"] or None)
    if failure is not None:
        return _refused(request, session, canonical, "panel", failure, ("complex", "reason"), values)
    number = str((result or {}).get("acceptance_number") or display_case_id(canonical))
    vi, en = i18n.both("panel.drawn", number=number)
    details = [(*i18n.both(f"panel.{k}"), str(result[k])) for k in ("draw_id", "seed_commitment") if result.get(k)]
    return redirect(request, f"/inbox/{canonical}", flash=flash_message("success", vi, en, details))


@router.post("/inbox/{case_id}/panel/replace")
def replace_member(request: Request, case_id: str, session: InboxSession, csrf_token: CsrfForm = "",
                   member_id: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                   designate: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token, session)
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    values = {"member_id": member_id.strip()[:40], "reason": reason.strip()[:REASON_MAX],
              "designate": designate.strip()[:40]}
    if not MEMBER_ID.fullmatch(values["member_id"]):
        vi, en = i18n.both("choose")
        failure = RpcFailure("rejected", 422, [Message(f"Chọn thành viên cần thay. {vi}", f"Choose the member. {en}",
                                                       field="member_id", code="member_id.required")])
        return _refused(request, session, canonical, "replace", failure, ("member_id",), values)
    result, failure = try_rpc(request, session, "assignment", "replace_panel_member", case_id=canonical,
                              member_id=values["member_id"], reason=values["reason"],
                              designate=values["designate"] or None)
    if failure is not None:
        return _refused(request, session, canonical, "replace", failure, ("member_id", "reason", "designate"),
                        values)
    number = str((result or {}).get("acceptance_number") or display_case_id(canonical))
    vi, en = i18n.both("replace.done", member=values["member_id"], number=number)
    return redirect(request, f"/inbox/{canonical}", flash=flash_message("success", vi, en))


def _refused(request: Request, session: StaffSession, case_id: str, form: str, failure: RpcFailure,
             fields: tuple[str, ...], values: dict[str, str]) -> Response:
    """A refusal: the same page, the refusal beside its input and what was typed kept (never a half-done action)."""
    if failure.kind in ("denied", "unavailable", "error") or (failure.kind == "not_found" and not any(
            m.field in fields for m in failure.messages)):
        return failure_page(request, failure, session)
    # a refusal about "designate" (replacement) comes back on member_id: the chosen replacement is the subject
    errors = _form_errors(failure, fields)
    if form == "replace" and values.get("designate") and "member_id" in errors and \
            any(values["designate"] in m.vi for m in errors["member_id"]):
        errors["designate"] = errors.pop("member_id")
    return _case_page(request, session, case_id, form=form, errors=errors, values=values, status=failure.status)


@router.get("/inbox/draws/{draw_id}")
def verify_draw(request: Request, draw_id: str, session: InboxSession) -> Response:
    if not DRAW_ID.fullmatch(draw_id):
        return error_page(request, 404, [i18n.bilingual("not_found")], session)
    result, failure = try_rpc(request, session, "assignment", "verify", draw_id=draw_id)
    if failure is not None:
        return failure_page(request, failure, session)
    record = result.get("record") if isinstance(result.get("record"), dict) else {}
    return render(request, "panel_verify.html", {"draw_id": draw_id, "result": result, "record": record,
                                                 "case_id": record.get("case_id") or result.get("case_id")},
                  session=session)
