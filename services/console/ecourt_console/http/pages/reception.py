"""Reception: a clerk enters a civil petition, intake accepts it, the filer gets the receipt."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from ecourt_console.http import i18n
from ecourt_console.http.reception_form import CASE_TYPES, ReceptionForm, new_idempotency_key
from ecourt_console.http.rpc_errors import Message
from ecourt_console.http.security import CSRF_FIELD
from ecourt_console.http.web import (
    ReceptionSession,
    StaffSession,
    check_csrf,
    console_of,
    failure_page,
    render,
    try_rpc,
)

router = APIRouter()
Field = Annotated[str, Form()]


def _form_page(request: Request, session: StaffSession, form: ReceptionForm, status: int = 200) -> Response:
    limit_mb = console_of(request).settings.max_attachment_bytes // (1024 * 1024)
    return render(request, "reception.html", {"form": form, "case_types": CASE_TYPES, "limit_mb": limit_mb},
                  status=status, session=session)


@router.get("/reception/new")
def reception_form(request: Request, session: ReceptionSession) -> Response:
    return _form_page(request, session, ReceptionForm.blank())


@router.post("/reception/new")
def file_petition(request: Request, session: ReceptionSession,
                  csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "", idempotency_key: Field = "",
                  subject: Field = "", case_type: Field = "DS",
                  plaintiff_name: Field = "", plaintiff_cccd: Field = "", plaintiff_dob: Field = "",
                  plaintiff_phone: Field = "",
                  defendant_name: Field = "", defendant_cccd: Field = "", defendant_dob: Field = "",
                  defendant_phone: Field = "",
                  attachment: Annotated[UploadFile | None, File()] = None) -> Response:
    check_csrf(request, csrf_token, session)
    form = ReceptionForm.submitted(dict(
        subject=subject, case_type=case_type, plaintiff_name=plaintiff_name, plaintiff_cccd=plaintiff_cccd,
        plaintiff_dob=plaintiff_dob, plaintiff_phone=plaintiff_phone, defendant_name=defendant_name,
        defendant_cccd=defendant_cccd, defendant_dob=defendant_dob, defendant_phone=defendant_phone),
        idempotency_key)
    limit = console_of(request).settings.max_attachment_bytes
    data = attachment.file.read(limit + 1) if attachment is not None else b""
    if len(data) > limit:
        vi, en = i18n.bilingual("too_large", limit=limit // (1024 * 1024))
        form.add_errors([Message(vi=vi, en=en, field="attachment", code="attachment.too_large")])
        return _form_page(request, session, form, 413)
    filename = (attachment.filename if attachment is not None else "") or "don-khoi-kien.pdf"
    result, failure = try_rpc(request, session, "intake", "file_petition",
                              petition=form.petition(data, filename))
    if failure is None:
        return render(request, "receipt.html", {"receipt": result if isinstance(result, dict) else {},
                                                "portal_url": console_of(request).options.portal_url},
                      session=session)
    if failure.kind == "denied":
        return failure_page(request, failure, session)
    if failure.kind == "conflict":  # the key was used for a different filing: this is a new one
        form.idempotency_key = new_idempotency_key()
    form.add_errors(failure.messages)
    return _form_page(request, session, form, failure.status)
