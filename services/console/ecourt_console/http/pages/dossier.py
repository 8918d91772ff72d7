"""The case file (dossier) of one case, as casefile returns it for this viewer, and what can be done from it.

Casefile holds every rule: who sees the full view, who may reveal the parties' CCCD and phone numbers (and that a
reason is required), who may write notes and add documents, which files are acceptable. This page shows what it
answers and puts each refusal next to the input it is about, keeping what was typed.

Revealing is a POST that renders the revealed view in its own response (never a redirect): the identifiers and
the reason never appear in a URL, and every page of the console is sent with ``Cache-Control: no-store``
(``app.page_headers``), so the revealed page is not kept by the browser or a proxy. Reloading the dossier shows
it masked again.
"""

from __future__ import annotations

import base64
import hashlib
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from ecourt_console.domain.roles import may_open
from ecourt_console.http import i18n
from ecourt_console.http.dossier_words import VERSION_SOURCE_NAMES
from ecourt_console.http.pages.common import as_list, canonical_case_id
from ecourt_console.http.panel_words import label
from ecourt_console.http.rpc_errors import Message, RpcFailure
from ecourt_console.http.security import CSRF_FIELD
from ecourt_console.http.web import (
    DossierSession,
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
from ecourt_shared.privacy import REASON_MAX  # longer input is cut; casefile judges the rest
from ecourt_shared.web.i18n import request_language

router = APIRouter()
CsrfForm = Annotated[str, Form(alias=CSRF_FIELD)]
TextField = Annotated[str, Form()]
NOTE_MAX = 4000  # casefile's limit (notes.MAX_NOTE)
TITLE_MAX = 300
DOCUMENT_ID_MAX = 40
# casefile's upload refusals, by field, onto this page's inputs (the file input carries the content and its hash)
UPLOAD_FIELDS = {"title": "title", "filename": "file", "content_base64": "file", "sha256": "file",
                 "replaces_document_id": "file"}

_PARTS = ("view", "header", "deadline", "documents", "timeline", "parties", "party_details", "notices",
          "case_notes", "revealed", "deadlines", "stages", "hearings", "panel")


def dossier_view(result: Any, case_id: str) -> dict[str, Any]:
    """What the dossier page shows, from either shape casefile may send.

    The header is read from a ``header`` object or from the top level (``DossierFullV1`` and
    ``DossierEssentialsV1`` are flat); the essentials view has only ``next_deadline_on``, without a legal basis.
    Parties come from ``party_details`` (names, identifiers masked unless revealed) or, from an older casefile,
    from the bare ``parties`` references.
    """
    dossier = result if isinstance(result, dict) else {}
    header = {k: v for k, v in dossier.items() if k not in _PARTS}
    if isinstance(dossier.get("header"), dict):
        header.update(dossier["header"])
    deadline = dossier.get("deadline") if isinstance(dossier.get("deadline"), dict) else None
    if deadline is None and header.get("next_deadline_on"):
        deadline = {"due_on": header["next_deadline_on"]}
    documents = as_list(dossier.get("documents"))
    return {"case_id": str(dossier.get("case_id") or case_id), "view": dossier.get("view") or "essentials",
            "header": header, "deadline": deadline, "documents": documents,
            "timeline": as_list(dossier.get("timeline")),
            "parties": as_list(dossier.get("party_details")) or as_list(dossier.get("parties")),
            "notices": as_list(dossier.get("notices")), "case_notes": as_list(dossier.get("case_notes")),
            "revealed": dossier.get("revealed") is True,
            "versionable": [d for d in documents if uploaded_document(d)]}


def uploaded_document(document: dict[str, Any]) -> bool:
    """A document uploaded to the dossier, which may get a new version here.

    Not the papers filed with the petition (they are the filing as received) and not signed court documents
    (their versions come only from the signing workflow, which casefile enforces too).
    """
    versions = as_list(document.get("versions"))
    return document.get("kind") is None and bool(versions) and versions[0].get("source") == "upload"


def _by_field(messages: list[Message], fields: dict[str, str]) -> dict[str, list[Message]]:
    """Refusals by input: a field the form has gets its messages; everything else goes on top of the form (``""``)."""
    found: dict[str, list[Message]] = {}
    for message in messages:
        found.setdefault(fields.get(message.field, ""), []).append(message)
    return found


def _page(request: Request, session: StaffSession, case_id: str, *, reveal_reason: str | None = None,
          form: str = "", errors: dict[str, list[Message]] | None = None, values: dict[str, str] | None = None,
          status: int = 200) -> Response:
    """The dossier, masked unless ``reveal_reason`` is given, with the refusal of ``form`` (if any) beside its inputs.

    A refused reveal still shows the page, masked: the refusal is the answer to the form, not to the page.
    """
    result, failure = (None, None)
    if reveal_reason is not None:
        result, failure = try_rpc(request, session, "casefile", "get_dossier", case_id=case_id, reveal=True,
                                  reason=reveal_reason)
        if failure is not None and failure.kind in ("denied", "rejected"):
            form, errors, status = "reveal", _by_field(failure.messages, {"reason": "reason"}), failure.status
            values = {"reason": reveal_reason}
            result, failure = None, None
        elif failure is not None:
            return failure_page(request, failure, session)
    if result is None:
        result, failure = try_rpc(request, session, "casefile", "get_dossier", case_id=case_id)
        if failure is not None:
            return failure_page(request, failure, session)
    view = dossier_view(result, case_id)
    if form and view["view"] != "full" and errors:  # no form on an essentials page to show the refusal beside
        return error_page(request, status, [(m.vi, m.en) for ms in errors.values() for m in ms], session)
    lang = request_language(request)
    limit = console_of(request).settings.max_attachment_bytes
    context = {
        **view, "form": form, "errors": errors or {}, "values": values or {},
        "reveal_reason": reveal_reason if view["revealed"] else None,
        "president": may_open(session.principal, "inbox"),
        "limit_mb": max(1, limit // (1024 * 1024)),
        "source_label": partial(label, VERSION_SOURCE_NAMES, lang),
    }
    return render(request, "dossier.html", context, status=status, session=session)


def _case_or_404(request: Request, session: StaffSession, case_id: str) -> str | Response:
    canonical = canonical_case_id(case_id)
    if canonical is None:
        return error_page(request, 404, [i18n.bilingual("not_found")], session)
    return canonical


@router.get("/cases/{case_id}")
def dossier(request: Request, case_id: str, session: DossierSession) -> Response:
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    return _page(request, session, canonical)


@router.post("/cases/{case_id}/reveal")
def reveal(request: Request, case_id: str, session: DossierSession, csrf_token: CsrfForm = "",
           reason: TextField = "") -> Response:
    """The revealed view, in this response only (casefile checks who may, needs the reason and logs it)."""
    check_csrf(request, csrf_token, session)
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    return _page(request, session, canonical, reveal_reason=reason.strip()[:REASON_MAX])


def _refused(request: Request, session: StaffSession, case_id: str, form: str, failure: RpcFailure,
             fields: dict[str, str], values: dict[str, str]) -> Response:
    """A refused form: the page again, the refusal beside its input and what was typed kept."""
    if failure.kind in ("unavailable", "error") or (failure.kind == "not_found" and not any(
            m.field in fields for m in failure.messages)):
        return failure_page(request, failure, session)
    return _page(request, session, case_id, form=form, errors=_by_field(failure.messages, fields), values=values,
                 status=failure.status)


@router.post("/cases/{case_id}/notes")
def add_note(request: Request, case_id: str, session: DossierSession, csrf_token: CsrfForm = "",
             text: TextField = "") -> Response:
    check_csrf(request, csrf_token, session)
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    values = {"text": text.strip()[:NOTE_MAX + 1]}  # one over the limit: casefile says it is too long
    _, failure = try_rpc(request, session, "casefile", "add_note", case_id=canonical, text=values["text"])
    if failure is not None:
        return _refused(request, session, canonical, "note", failure, {"text": "text"}, values)
    vi, en = i18n.both("dossier.notes.added")
    return redirect(request, f"/cases/{canonical}#notes", flash=flash_message("success", vi, en))


@router.post("/cases/{case_id}/documents")
def add_document(request: Request, case_id: str, session: DossierSession, csrf_token: CsrfForm = "",
                 title: TextField = "", replaces_document_id: TextField = "",
                 file: Annotated[UploadFile | None, File()] = None) -> Response:
    """A new document, or a new version of an uploaded one: the file goes to casefile with the SHA-256 of what
    the console received, so that a file changed on the way is refused instead of stored."""
    check_csrf(request, csrf_token, session)
    canonical = _case_or_404(request, session, case_id)
    if isinstance(canonical, Response):
        return canonical
    replaces = replaces_document_id.strip()[:DOCUMENT_ID_MAX] or None
    form = f"version:{replaces}" if replaces else "upload"
    values = {"title": title.strip()[:TITLE_MAX]}
    limit = console_of(request).settings.max_attachment_bytes
    data = file.file.read(limit + 1) if file is not None else b""
    problem = None
    if len(data) > limit:
        problem = Message(*i18n.bilingual("too_large", limit=limit // (1024 * 1024)), field="file",
                          code="attachment.too_large")
    elif not data:
        problem = Message(*i18n.both("dossier.upload.no_file"), field="file", code="field.required")
    if problem is not None:
        return _page(request, session, canonical, form=form, errors={"file": [problem]}, values=values,
                     status=413 if problem.code == "attachment.too_large" else 422)
    filename = ((file.filename if file is not None else "") or "tai-lieu.pdf").rsplit("/", 1)[-1][-255:]
    result, failure = try_rpc(request, session, "casefile", "add_document", case_id=canonical,
                              title=values["title"], filename=filename,
                              content_base64=base64.b64encode(data).decode("ascii"),
                              replaces_document_id=replaces, sha256=hashlib.sha256(data).hexdigest())
    if failure is not None:
        return _refused(request, session, canonical, form, failure, UPLOAD_FIELDS, values)
    stored = result if isinstance(result, dict) else {}
    version = str(stored.get("version") or "?")
    vi, en = i18n.both("dossier.upload.done", title=str(stored.get("title") or values["title"]), version=version)
    shown = (("document_id", "dossier.upload.document_id"), ("sha256", "dossier.upload.sha256"))
    details = [(*i18n.both(key), str(stored[field])) for field, key in shown if stored.get(field)]
    return redirect(request, f"/cases/{canonical}#documents", flash=flash_message("success", vi, en, details))
