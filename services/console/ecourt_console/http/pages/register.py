"""The reception register (sổ tiếp nhận): the list, registering an item, and an item's decision.

Intake's RPCs (``reception_register``, ``reception``, ``register_reception``, ``decide_reception``) hold the rules and
the role guards; these pages shape the requests and put intake's refusals next to the right inputs.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ecourt_console.http import i18n
from ecourt_console.http.pages.common import as_list
from ecourt_console.http.register_form import (
    ALL_INPUTS,
    CASE_TYPES,
    CHANNELS,
    DECISIONS,
    KINDS,
    PARTY_INPUTS,
    PARTY_KINDS,
    PARTY_ROWS,
    PROTEST_LEVELS,
    ROLES,
    STATUSES,
    DecisionForm,
    RegisterForm,
    new_idempotency_key,
)
from ecourt_console.http.rpc_errors import Message
from ecourt_console.http.security import CSRF_FIELD
from ecourt_console.http.web import (
    RegisterSession,
    StaffSession,
    check_csrf,
    console_of,
    error_page,
    failure_page,
    flash_message,
    redirect,
    render,
    try_rpc,
)

router = APIRouter()
RECEPTION_ID = re.compile(r"R-[A-Z0-9]{1,38}")
MAX_FILES = 50


def _form_page(request: Request, session: StaffSession, form: RegisterForm, status: int = 200) -> Response:
    limit_mb = console_of(request).settings.max_attachment_bytes // (1024 * 1024)
    return render(request, "register_form.html", {
        "form": form, "kinds": KINDS, "channels": CHANNELS, "case_types": CASE_TYPES, "roles": ROLES,
        "party_kinds": PARTY_KINDS, "party_rows": range(PARTY_ROWS), "party_inputs": PARTY_INPUTS,
        "limit_mb": limit_mb}, status=status, session=session)


@router.get("/reception/register")
def register_list(request: Request, session: RegisterSession, status: str = "") -> Response:
    chosen = status if status in STATUSES else ""
    rows, failure = try_rpc(request, session, "intake", "reception_register", status=chosen or None, limit=200)
    if failure is not None and failure.kind == "denied":
        return failure_page(request, failure, session)
    return render(request, "register.html", {"rows": as_list(rows, "items"), "failure": failure,
                                             "statuses": STATUSES, "chosen": chosen},
                  status=failure.status if failure else 200, session=session)


@router.get("/reception/register/new")
def register_new(request: Request, session: RegisterSession) -> Response:
    return _form_page(request, session, RegisterForm.blank())


@router.post("/reception/register/new")
async def register_submit(request: Request, session: RegisterSession) -> Response:
    form_data = await request.form(max_files=MAX_FILES, max_fields=len(ALL_INPUTS) + 10)
    return await _run_sync(_register, request, session, form_data)


def _register(request: Request, session: StaffSession, form_data: Any) -> Response:
    check_csrf(request, _text(form_data.get(CSRF_FIELD)), session)
    form = RegisterForm.submitted({name: _text(form_data.get(name)) for name in ALL_INPUTS},
                                  _text(form_data.get("idempotency_key")))
    limit = console_of(request).settings.max_attachment_bytes
    files: list[tuple[str, bytes]] = []
    for upload in form_data.getlist("attachments"):
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue  # the browser sends an empty part when no file was chosen
        data = upload.file.read(limit + 1)
        if len(data) > limit:
            vi, en = i18n.bilingual("too_large", limit=limit // (1024 * 1024))
            form.errors.add("attachments", Message(vi=vi, en=en, field="attachments", code="attachment.too_large"))
            return _form_page(request, session, form, 413)
        files.append((upload.filename, data))
    result, failure = try_rpc(request, session, "intake", "register_reception", item=form.item(files))
    if failure is None:
        return redirect(request, f"/reception/register/{result['reception_id']}", flash=_registered_flash(result))
    if failure.kind == "denied":
        return failure_page(request, failure, session)
    if failure.kind == "conflict":  # the key was used for a different item: this is a new one
        form.idempotency_key = new_idempotency_key()
    form.add_errors(failure.messages)
    return _form_page(request, session, form, failure.status)


def _registered_flash(result: dict[str, Any]) -> dict[str, Any]:
    number = str(result.get("reception_number") or "")
    vi, en = i18n.both("register.replayed" if result.get("replayed") else "register.done", number=number)
    suggestions = result.get("duplicate_suggestions") or []
    if suggestions:
        names = ", ".join(f"{s.get('full_name')} ({s.get('party_id')})" for s in suggestions)
        more_vi, more_en = i18n.both("register.duplicates", names=names)
        vi, en = f"{vi} {more_vi}", f"{en} {more_en}"
    return flash_message("warning" if suggestions else "success", vi, en,
                         [(*i18n.both("register.number"), number),
                          (*i18n.both("register.counts_from"), i18n.court_date(result.get("counts_from")))])


@router.get("/reception/register/{reception_id}")
def register_item(request: Request, reception_id: str, session: RegisterSession) -> Response:
    return _item_page(request, session, reception_id, None)


@router.post("/reception/register/{reception_id}/decision")
def decide(request: Request, reception_id: str, session: RegisterSession,
           csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "", decision: Annotated[str, Form()] = "",
           reason: Annotated[str, Form()] = "", amendment_due_on: Annotated[str, Form()] = "",
           transfer_to_court: Annotated[str, Form()] = "", related_case_id: Annotated[str, Form()] = "",
           protest_level: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token, session)
    if not RECEPTION_ID.fullmatch(reception_id):
        return error_page(request, 404, [i18n.both("item.not_found")], session)
    form = DecisionForm.submitted({"decision": decision if decision in DECISIONS else "", "reason": reason,
                                   "amendment_due_on": amendment_due_on, "transfer_to_court": transfer_to_court,
                                   "related_case_id": related_case_id, "protest_level": protest_level})
    result, failure = try_rpc(request, session, "intake", "decide_reception", decision=form.decision(reception_id))
    if failure is None:
        # rendered, not redirected: an acceptance's receipt secret is shown once and never put in a cookie
        return _item_page(request, session, reception_id, None, decided=result)
    if failure.kind in ("denied", "unavailable", "error"):
        return failure_page(request, failure, session)
    form.add_errors(failure.messages)
    return _item_page(request, session, reception_id, form, status=failure.status)


def _item_page(request: Request, session: StaffSession, reception_id: str, form: DecisionForm | None,
               decided: dict[str, Any] | None = None, status: int = 200) -> Response:
    """The entry in full (intake's ``reception``): parties, documents, decision history and the decision form."""
    if not RECEPTION_ID.fullmatch(reception_id):
        return error_page(request, 404, [i18n.both("item.not_found")], session)
    entry, failure = try_rpc(request, session, "intake", "reception", reception_id=reception_id)
    if failure is not None:
        if failure.kind == "not_found":
            return error_page(request, 404, [i18n.both("item.not_found")], session)
        return failure_page(request, failure, session)
    lodged = entry.get("accept_mode") == "lodge"
    if form is None:
        form = DecisionForm.blank(entry.get("related_case_code") if lodged else None)
    return render(request, "register_item.html", {
        "row": entry, "entry": entry, "form": form, "decided": decided, "decisions": DECISIONS, "lodged": lodged,
        "protest_levels": PROTEST_LEVELS, "open": entry.get("status") in OPEN}, status=status, session=session)


OPEN = ("received", "amendment_requested")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


async def _run_sync(fn: Any, *args: Any) -> Response:
    """The RPC pool blocks: run the page's work in a thread, as sync endpoints do."""
    from starlette.concurrency import run_in_threadpool

    response: Response = await run_in_threadpool(fn, *args)
    return response

