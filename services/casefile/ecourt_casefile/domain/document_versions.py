"""Documents of a dossier with every version kept: uploads, new versions, signed (ký số) and sealed documents.

Like ``domain.dossier``, each change is a pure function from the stored dossier to the next one, and is
**idempotent** (the same version again changes nothing) and **order-independent** (signed versions may
arrive in any order: versions are kept sorted and the document's top-level fields show the latest one;
a document's status only moves forward: signing < in_effect < sealed). A version number that comes back
with different bytes is a contradiction no retry can fix (``DossierConflict``).

A document entry keeps its latest version's fields at the top (``sha256``, ``size``, ``object_key``, ...,
as the first dossiers were written) and every version under ``versions``; a document filed with the case
before versions existed is read as its version 1.

Legal note: a court document signed with a digital signature has the legal value of the signed paper
(Điều 22-23 Luật Giao dịch điện tử 2023 [verify]); the physical seal of the court on the paper copy is
recorded by the clerk (đóng dấu, Điều 20 Nghị định 99/2016/NĐ-CP về quản lý và sử dụng con dấu [verify]).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ecourt_casefile.domain.clock import COURT_TZ
from ecourt_casefile.domain.dossier import Dossier, DossierConflict, TimelineEntry, bson_instant, with_entry
from ecourt_shared.contracts.casefile import DocumentVersionV1
from ecourt_shared.contracts.signing import DocumentSealedV1, DocumentSignedV1

ROLE_TEXT = {"judge": ("Thẩm phán", "judge"), "president": ("Chánh án", "court president"),
             "clerk": ("Thư ký Tòa án", "court clerk")}
STATUS_RANK = {"signing": 1, "in_effect": 2, "sealed": 3}
_LATEST = ("sha256", "size", "content_type", "page_count", "bucket", "object_key", "filename")


def version_record(version: DocumentVersionV1) -> dict[str, Any]:
    """A version as stored in MongoDB: exactly the fields of the view, instants at BSON precision."""
    record = version.model_dump()
    if record["added_at"] is not None:
        record["added_at"] = bson_instant(record["added_at"])
    return record


def versions_of(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Every version of a document entry, oldest first (a document filed before versions existed is v1)."""
    if entry.get("versions"):
        return list(entry["versions"])
    return [version_record(DocumentVersionV1(
        version=entry.get("version", 1), source="filed", sha256=entry["sha256"], size=entry["size"],
        content_type=entry["content_type"], page_count=entry["page_count"], bucket=entry["bucket"],
        object_key=entry["object_key"], filename=entry["filename"]))]


def find_document(doc: Dossier | None, document_id: str) -> dict[str, Any] | None:
    return next((d for d in (doc or {}).get("documents", []) if d.get("document_id") == document_id), None)


def next_version_no(doc: Dossier | None, document_id: str) -> int:
    entry = find_document(doc, document_id)
    return 1 if entry is None else max(v["version"] for v in versions_of(entry)) + 1


def with_version(entry: dict[str, Any] | None, document_id: str, title: str, version: dict[str, Any],
                 **extra: Any) -> dict[str, Any]:
    """The document entry with ``version`` added once; the top-level fields follow the latest version."""
    versions = [] if entry is None else versions_of(entry)
    same = next((v for v in versions if v["version"] == version["version"]), None)
    if same is not None and same["sha256"] != version["sha256"]:
        raise DossierConflict(f"document {document_id} version {version['version']} is already stored with "
                              f"sha256 {same['sha256']}, not {version['sha256']}")
    if same is None:
        versions = sorted([*versions, version], key=lambda v: v["version"])
    latest = versions[-1]
    updated = dict(entry or {"document_id": document_id, "title": title})
    updated.update({k: latest[k] for k in _LATEST}, version=latest["version"], versions=versions, **extra)
    return updated


def _replace_document(doc: Dossier, entry: dict[str, Any]) -> Dossier:
    """The dossier with ``entry`` in place of the document of the same id, or added after the others."""
    changed = dict(doc)
    documents = list(doc.get("documents", []))
    at = next((i for i, d in enumerate(documents) if d.get("document_id") == entry["document_id"]), None)
    if at is None:
        documents.append(entry)
    else:
        documents[at] = entry
    changed["documents"] = documents
    return changed


def _local(instant: datetime) -> datetime:
    return instant.astimezone(COURT_TZ)


# -- signed and sealed court documents (from signing) -------------------------------------------------------

def signed_entry(event: DocumentSignedV1, event_id: str) -> TimelineEntry:
    role_vi, role_en = ROLE_TEXT[event.signer_role]
    after_vi = "văn bản có hiệu lực" if event.in_effect else "chờ các chữ ký tiếp theo"
    after_en = "the document is now in effect" if event.in_effect else "further signatures pending"
    return TimelineEntry(
        event_id=event_id, at=event.signed_at, kind="document_signed",
        text_vi=f"Ký số {event.title} (phiên bản {event.version_no}): {role_vi} {event.signer_name}; {after_vi}",
        text_en=f"{event.title} digitally signed (version {event.version_no}) by the {role_en} "
                f"{event.signer_name}; {after_en}")


def apply_document_signed(current: Dossier, event: DocumentSignedV1, event_id: str, page_count: int) -> Dossier:
    """The dossier with the signed version attached to its document and the signature on the timeline."""
    assert event.bucket is not None and event.object_key is not None  # checked before the bytes were read
    version = version_record(DocumentVersionV1(
        version=event.version_no, source="signed", sha256=event.sha256.lower(), size=event.size_bytes,
        content_type="application/pdf", page_count=page_count, bucket=event.bucket, object_key=event.object_key,
        filename=f"{event.kind}-{event.document_id}-v{event.version_no}.pdf", added_at=event.signed_at,
        added_by=event.signer_user_id, signer_role=event.signer_role, signer_name=event.signer_name,
        in_effect=event.in_effect))
    entry = find_document(current, event.document_id)
    status = "in_effect" if event.in_effect else "signing"
    if entry is not None and STATUS_RANK.get(entry.get("status") or "", 0) > STATUS_RANK[status]:
        status = entry["status"]  # a late signature event never moves a document back
    updated = with_version(entry, event.document_id, event.title, version, kind=event.kind, status=status)
    doc = _replace_document(current, updated)
    doc["timeline"] = with_entry(doc.get("timeline", []), signed_entry(event, event_id))
    return doc


def sealed_entry(event: DocumentSealedV1, event_id: str) -> TimelineEntry:
    who = event.sealed_by_name or event.sealed_by
    local = _local(event.sealed_at)
    return TimelineEntry(
        event_id=event_id, at=event.sealed_at, kind="document_sealed",
        text_vi=f"Đóng dấu {event.title}: Thư ký Tòa án {who} ghi nhận đóng dấu Tòa án lúc {local:%H:%M} "
                f"ngày {local:%d/%m/%Y}",
        text_en=f"{event.title} sealed: court clerk {who} recorded the court's seal at {local:%H:%M} on "
                f"{local:%Y-%m-%d} (Vietnam time)")


def apply_document_sealed(current: Dossier, event: DocumentSealedV1, event_id: str) -> Dossier:
    """The dossier with the document marked sealed (scan reference kept) and the seal on the timeline."""
    entry = find_document(current, event.document_id)
    if entry is None:
        raise ValueError(f"document {event.document_id} is not in the dossier yet")  # the caller checks first
    updated = dict(entry, status="sealed", seal={
        "sealed_by": event.sealed_by, "sealed_by_name": event.sealed_by_name,
        "sealed_at": bson_instant(event.sealed_at), "scan_sha256": event.scan_sha256.lower(),
        "scan_bucket": event.scan_bucket, "scan_object_key": event.scan_object_key})
    doc = _replace_document(current, updated)
    doc["timeline"] = with_entry(doc.get("timeline", []), sealed_entry(event, event_id))
    return doc


# -- uploads and new versions by the court's staff ---------------------------------------------------------

def upload_entry(upload_id: str, at: datetime, title: str, version_no: int, by: str) -> TimelineEntry:
    if version_no == 1:
        return TimelineEntry(event_id=upload_id, at=at, kind="document_added",
                             text_vi=f"Bổ sung tài liệu vào hồ sơ: {title} ({by})",
                             text_en=f"Document added to the dossier: {title} ({by})")
    return TimelineEntry(event_id=upload_id, at=at, kind="document_version",
                         text_vi=f"Cập nhật tài liệu {title}: phiên bản {version_no} thay phiên bản "
                                 f"{version_no - 1} ({by})",
                         text_en=f"New version of {title}: version {version_no} replaces version "
                                 f"{version_no - 1} ({by})")


def apply_upload(current: Dossier, document_id: str, title: str, version: dict[str, Any],
                 timeline: TimelineEntry) -> Dossier:
    entry = find_document(current, document_id)
    updated = with_version(entry, document_id, title if entry is None else entry["title"], version)
    doc = _replace_document(current, updated)
    doc["timeline"] = with_entry(doc.get("timeline", []), timeline)
    return doc


def without_upload(current: Dossier | None, document_id: str, version: dict[str, Any], upload_id: str) -> Dossier:
    """Undo :func:`apply_upload` (its transaction did not commit): the version and its timeline entry go."""
    assert current is not None
    doc = dict(current)
    doc["timeline"] = [e for e in doc.get("timeline", []) if e.get("event_id") != upload_id]
    entry = find_document(doc, document_id)
    if entry is None:
        return doc
    remaining = [v for v in versions_of(entry) if not (v["version"] == version["version"]
                                                       and v["sha256"] == version["sha256"])]
    if not remaining:
        doc["documents"] = [d for d in doc.get("documents", []) if d.get("document_id") != document_id]
        return doc
    latest = remaining[-1]
    return _replace_document(doc, dict(entry, versions=remaining, version=latest["version"],
                                       **{k: latest[k] for k in _LATEST}))
