"""Which dossier document may be published, and where its text comes from.

Resolution 03/2017/NQ-HĐTP publishes judgments and decisions of the court (art. 2-3 [verify]), not procedural
papers (notices, summonses, the decision to bring a case to trial). A document from signing is publishable once
it has taken effect as a signed document: every required signature stored (``in_effect``), or sealed after that.
Its text then comes from signing, never from the caller. A document a clerk uploaded (a scan of a paper judgment,
version ``source == "upload"``) has no text layer signing knows of: the caller types or pastes its text (OCR is
out of scope), and says whether it is a judgment or a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ecourt_casefile.domain.publication.workflow import PublicationRefused

# Signing's template kinds the resolution publishes, and what the portal calls them. Signing has no template yet
# for the decisions it also publishes (đình chỉ giải quyết vụ án, công nhận sự thỏa thuận [verify]): add them here
# when it does. A suspension (tạm đình chỉ) does not end the case and is left out [verify].
PUBLISHED_KINDS: dict[str, str] = {"judgment": "judgment"}
EFFECTIVE = ("in_effect", "sealed")


@dataclass(frozen=True)
class Source:
    origin: str  # "signed": the text comes from signing; "upload": the caller supplies it
    kind: str | None  # "judgment" | "decision" for a signed document; the caller says for an upload
    sha256: str  # the dossier's latest version of the document
    version: int
    title: str


def _latest_version(entry: dict[str, Any]) -> dict[str, Any]:
    versions = entry.get("versions") or []
    return dict(versions[-1]) if versions else {"source": "filed", "version": entry.get("version", 1)}


def publishable_source(entry: dict[str, Any] | None, document_id: str) -> Source:
    """The document's source if it may be published, else :class:`PublicationRefused` on ``document_id``."""
    if entry is None:
        raise PublicationRefused("document_id", "publication.unknown_document",
                                 f"Hồ sơ vụ án không có văn bản {document_id}.",
                                 f"the case's dossier has no document {document_id}")
    latest = _latest_version(entry)
    if latest.get("source") == "upload" and not entry.get("kind"):
        return Source(origin="upload", kind=None, sha256=entry["sha256"], version=latest["version"],
                      title=entry.get("title") or "")
    kind = PUBLISHED_KINDS.get(entry.get("kind") or "")
    if kind is None:
        raise PublicationRefused("document_id", "publication.not_publishable_kind",
                                 "Chỉ bản án, quyết định của Tòa án được công bố (Nghị quyết 03/2017/NQ-HĐTP); "
                                 "văn bản này không phải bản án hoặc quyết định được công bố.",
                                 "only judgments and decisions are published (Resolution 03/2017/NQ-HĐTP); this "
                                 "document is not a judgment or a published decision")
    if entry.get("status") not in EFFECTIVE:
        raise PublicationRefused("document_id", "publication.not_signed",
                                 "Văn bản chưa được ký đủ bởi những người phải ký nên chưa có hiệu lực; chưa công "
                                 "bố được.",
                                 "the document is not yet signed by every required signer, so it is not in effect "
                                 "and cannot be published")
    return Source(origin="signed", kind=kind, sha256=entry["sha256"], version=latest["version"],
                  title=entry.get("title") or "")
