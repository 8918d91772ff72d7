"""Uploading a document to a case's dossier, or a new version of one of its documents (``add_document``).

Who: the court's president, the judges sitting on the case and the case's clerk (the full-view readers of
``domain.access``). What: a PDF, PNG or JPEG judged by its content with the same checks intake uses
(``ecourt_shared.attachments``), within the size limit, optionally matching the SHA-256 the client computed.
Every refusal is found before anything is written and reported field by field.

Then, in order: the bytes go to the court's bucket (content-addressed, stored once); one PostgreSQL
transaction takes the case's lock, computes the version number from the dossier, appends the ledger entry
(``document.version``) and, still inside it, writes the MongoDB dossier (the new version, previous ones
kept, and a timeline entry). If the commit fails the dossier change is undone, so the dossier and the
ledger never disagree; an upload that fails leaves at most an unreferenced object that the next upload of
the same bytes reuses.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ecourt_casefile import ledger
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.domain.access import ViewKind, view_kind
from ecourt_casefile.domain.document_versions import (
    apply_upload,
    find_document,
    next_version_no,
    upload_entry,
    version_record,
    versions_of,
    without_upload,
)
from ecourt_casefile.domain.dossier import is_complete
from ecourt_casefile.service_layer.viewing import canonical_case_id, not_found
from ecourt_shared.attachments import CheckedFile, check_attachment, decode_base64
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.casefile import DocumentVersionV1
from ecourt_shared.contracts.errors import FieldError, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.storage import ObjectStore

log = logging.getLogger(__name__)

MAX_TITLE, MAX_FILENAME = 255, 255
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_BAD_FILENAME = re.compile(r"[\x00-\x1f/\\]")


@dataclass(frozen=True)
class Upload:
    title: str
    filename: str
    file: CheckedFile
    sha256: str


def _error(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


FIELD_NAMES_VI = {"title": "tiêu đề tài liệu", "filename": "tên tệp"}


def _text(value: object, field: str, limit: int, errors: list[FieldError], required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    name_vi = FIELD_NAMES_VI[field]
    if not text:
        if required:
            errors.append(_error(field, "field.required", f"Thiếu {name_vi}.", f"{field} is required"))
    elif len(text) > limit:
        errors.append(_error(field, "field.too_long", f"{name_vi.capitalize()} dài quá {limit} ký tự.",
                             f"{field} is longer than {limit} characters"))
    return text


def check_upload(title: object, filename: object, content_base64: object, declared_sha256: object,
                 max_bytes: int, title_required: bool = True) -> Upload:
    """The upload if every field is acceptable; otherwise every problem at once (``RequestRejected``).

    A new version keeps its document's title, so ``title_required`` is False for one."""
    errors: list[FieldError] = []
    clean_title = _text(title, "title", MAX_TITLE, errors, required=title_required)
    clean_name = _text(filename, "filename", MAX_FILENAME, errors)
    if clean_name and _BAD_FILENAME.search(clean_name):
        errors.append(_error("filename", "filename.invalid", "Tên tệp không được chứa dấu / \\ hay ký tự điều khiển.",
                             "the file name may not contain / \\ or control characters"))
    checked: CheckedFile | None = None
    if not isinstance(content_base64, str) or not content_base64:
        errors.append(_error("content_base64", "field.required", "Thiếu nội dung tệp.", "the file content is missing"))
    else:
        data = decode_base64(content_base64, "file")
        if isinstance(data, FieldError):
            errors.append(data.model_copy(update={"field": "content_base64"}))
        else:
            result = check_attachment(data, max_bytes, "content_base64")
            if isinstance(result, FieldError):
                errors.append(result)
            else:
                checked = result
    sha256 = ""
    if checked is not None:
        sha256 = hashlib.sha256(checked.data).hexdigest()
        if declared_sha256 is not None:
            declared = declared_sha256.strip().lower() if isinstance(declared_sha256, str) else ""
            if not _SHA256.match(declared):
                errors.append(_error("sha256", "sha256.malformed", "SHA-256 phải gồm 64 chữ số thập lục phân.",
                                     "sha256 must be 64 hexadecimal digits"))
            elif declared != sha256:
                errors.append(_error("sha256", "upload.sha256_mismatch",
                                     "Nội dung nhận được khác với tệp đã gửi (SHA-256 không khớp); hãy gửi lại.",
                                     f"the content received has sha256 {sha256}, not the {declared} declared: "
                                     f"the file changed on the way; send it again"))
    if errors:
        raise RequestRejected.of(errors)
    assert checked is not None
    return Upload(title=clean_title, filename=clean_name, file=checked, sha256=sha256)


def _may_upload(principal: Principal, state: repository.CaseState) -> None:
    if view_kind(principal, state.judge_id, state.panel, state.clerk_id) is not ViewKind.FULL:
        raise PermissionDenied({
            "message_vi": "Chỉ Chánh án, Thẩm phán giải quyết vụ án và Thư ký của vụ án được bổ sung tài liệu "
                          "vào hồ sơ.",
            "message_en": "Only the court president, the judges on the case and its clerk may add documents "
                          "to the dossier."})


def _replaced(doc: dict[str, Any], replaces: object, upload: Upload) -> dict[str, Any] | None:
    """The document a new version replaces (checked), or None for a new document."""
    if replaces is None:
        return None
    entry = find_document(doc, replaces) if isinstance(replaces, str) else None
    if entry is None:
        raise RequestRejected.single("replaces_document_id", "document.unknown",
                                     "Hồ sơ không có tài liệu này.", f"the dossier has no document {replaces!r}")
    if entry.get("kind") is not None:  # a court document from signing: versions come only from signing it
        raise RequestRejected.single(
            "replaces_document_id", "document.signed_by_workflow",
            "Văn bản tố tụng được ký số chỉ có phiên bản mới qua quy trình ký số (dự thảo, ký lại).",
            "a digitally signed court document gets new versions only through the signing workflow")
    if versions_of(entry)[-1]["sha256"] == upload.sha256:
        raise RequestRejected.single("content_base64", "document.unchanged",
                                     "Tệp giống hệt phiên bản hiện tại của tài liệu.",
                                     "the file is identical to the document's current version")
    return entry


def add_document(principal: Principal, case_id: object, title: object, filename: object, content_base64: object,
                 replaces_document_id: object, declared_sha256: object, uows: UnitOfWorkFactory,
                 dossiers: DossierStore, store: ObjectStore, now: Callable[[], datetime],
                 max_bytes: int) -> dict[str, Any]:
    if not isinstance(case_id, str):
        raise RequestRejected.single("case_id", "field.required", "Thiếu mã vụ án.", "case_id is required")
    case_id = canonical_case_id(case_id)
    upload = check_upload(title, filename, content_base64, declared_sha256, max_bytes,
                          title_required=replaces_document_id is None)
    with uows() as uow:
        state = repository.case_state_of(uow, case_id, court_id=principal.court_id)
    if state is None:
        raise not_found(case_id)
    _may_upload(principal, state)
    doc = dossiers.get(case_id)
    if not is_complete(doc):
        raise not_found(case_id)
    assert doc is not None
    _replaced(doc, replaces_document_id, upload)

    stored = store.put_document(principal.court_id, upload.file.data, upload.file.content_type)
    document_id = replaces_document_id if isinstance(replaces_document_id, str) else \
        f"D-{uuid.uuid4().hex[:16].upper()}"
    upload_id = f"UP-{uuid.uuid4().hex}"
    with uows() as uow:
        repository.lock_case(uow, case_id)  # uploads of one case are numbered one at a time
        instant = now()
        current = dossiers.get(case_id)
        if replaces_document_id is not None:
            assert current is not None
            _replaced(current, replaces_document_id, upload)  # again, under the lock
        added = DocumentVersionV1(
            version=next_version_no(current, document_id), source="upload", sha256=stored.sha256, size=stored.size,
            content_type=upload.file.content_type, page_count=upload.file.page_count, bucket=stored.bucket,
            object_key=stored.key, filename=upload.filename, added_at=instant, added_by=principal.user_id,
            added_by_name=principal.display_name or None)
        version = version_record(added)
        entry = find_document(current, document_id)
        title_now = upload.title if entry is None else entry["title"]
        ledger.append(uow, case_id, state.court_id, "document.version", {
            "document_id": document_id, "version": version["version"], "sha256": stored.sha256,
            "size_bytes": stored.size, "content_type": upload.file.content_type, "bucket": stored.bucket,
            "object_key": stored.key, "title": title_now, "filename": upload.filename,
            "added_by": principal.user_id, "replaces_version": version["version"] - 1 or None}, instant)
        timeline = upload_entry(upload_id, instant, title_now, version["version"], principal.display_name)
        dossiers.change(case_id, lambda d: apply_upload(d or {}, document_id, upload.title, version, timeline))
        try:
            uow.commit()
        except Exception:
            log.exception("upload %s of case %s: commit failed, undoing the dossier change", upload_id, case_id)
            dossiers.change(case_id, lambda d: without_upload(d, document_id, version, upload_id))
            raise
    return {"document_id": document_id, "title": title_now, **added.model_dump(mode="json"),
            "already_stored": stored.already_present}
