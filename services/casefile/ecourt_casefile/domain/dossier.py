"""The dossier of a case as a document, built and changed by pure functions.

MongoDB stores the dossier; these functions decide what it contains. Each event becomes a function from
the stored document (or None) to the next one, with two properties the consumers rely on:

- **idempotent**: applying the same event again gives an equal document, so a redelivery changes nothing;
- **order-independent**: ``case_received`` and ``case_assigned`` give the same document whichever comes
  first (an assignment that overtakes its case leaves a stub that the case fills in).

The dossier holds references only: party ids, roles and the minor flag (personal data stays in intake's
party registry), and document metadata (the bytes stay in the court's bucket of the object store).
Instants are stored at millisecond precision, as BSON keeps them, so a document read back compares equal
to one rebuilt from the same event.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ecourt_shared.contracts.events import CaseAssignedV1, CaseReceivedV1, DocumentRefV1
from ecourt_shared.identifiers import format_case_id

Dossier = dict[str, Any]

DOCUMENT_VERSION = 1  # the first (and, until revisions exist, only) version of a filed document

METHOD_TEXT = {"random": ("bốc thăm ngẫu nhiên", "random draw"), "designation": ("chỉ định", "designation")}


class DossierConflict(ValueError):
    """The event contradicts the dossier (another court's case under the same id): it can never apply."""


@dataclass(frozen=True)
class TimelineEntry:
    event_id: str
    at: datetime
    kind: str
    text_vi: str
    text_en: str

    def as_document(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "at": bson_instant(self.at), "kind": self.kind,
                "text_vi": self.text_vi, "text_en": self.text_en}


def bson_instant(instant: datetime) -> datetime:
    """UTC, truncated to the millisecond (BSON's precision)."""
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    utc = instant.astimezone(UTC)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def document_entry(ref: DocumentRefV1) -> dict[str, Any]:
    return {"document_id": ref.document_id, "title": ref.title, "filename": ref.filename,
            "content_type": ref.content_type, "sha256": ref.sha256.lower(), "size": ref.size_bytes,
            "page_count": ref.page_count, "bucket": ref.bucket, "object_key": ref.object_key,
            "version": DOCUMENT_VERSION}


def received_entry(event: CaseReceivedV1, event_id: str) -> TimelineEntry:
    return TimelineEntry(
        event_id=event_id, at=event.accepted_at, kind="case_received",
        text_vi=f"Thụ lý vụ án, số thụ lý {event.acceptance_number} ngày {event.accepted_on:%d/%m/%Y}: "
                f"{event.subject}",
        text_en=f"Case accepted on {event.accepted_on.isoformat()}, acceptance number "
                f"{event.acceptance_number}: {event.subject}")


def assigned_entry(event: CaseAssignedV1, event_id: str) -> TimelineEntry:
    how_vi, how_en = METHOD_TEXT[event.method]
    return TimelineEntry(
        event_id=event_id, at=event.assigned_at, kind="case_assigned",
        text_vi=f"Phân công Thẩm phán {event.judge_name} giải quyết vụ án ({how_vi})",
        text_en=f"Judge {event.judge_name} assigned to the case ({how_en})")


def with_entry(timeline: list[dict[str, Any]], entry: TimelineEntry) -> list[dict[str, Any]]:
    """The timeline with ``entry`` added once (keyed by its event id), in time order."""
    if any(existing.get("event_id") == entry.event_id for existing in timeline):
        return list(timeline)
    return sorted([*timeline, entry.as_document()], key=lambda e: (e["at"], e["event_id"]))


def _check_court(current: Dossier | None, court_id: str, case_id: str, held_by: Collection[str] = ()) -> None:
    if current is not None and current.get("court_id") not in (None, court_id) and court_id not in held_by:
        raise DossierConflict(f"case {case_id} belongs to court {current['court_id']}, the event says {court_id}")


def _base(current: Dossier | None, case_id: str) -> Dossier:
    if current is None:
        return {"_id": case_id, "judge_id": None, "judge_assigned_at": None, "timeline": []}
    return dict(current)


def apply_case_received(current: Dossier | None, event: CaseReceivedV1, event_id: str) -> Dossier:
    """The dossier once intake's acceptance is recorded; keeps an assignment that arrived first."""
    _check_court(current, event.court_id, event.case_id)
    doc = _base(current, event.case_id)
    doc["court_id"] = event.court_id
    doc["header"] = {
        "case_code": format_case_id(event.case_id),
        "acceptance_number": event.acceptance_number,
        "case_type": event.case_type,
        "stage": event.stage,
        "subject": event.subject,
        "accepted_at": bson_instant(event.accepted_at),
        "accepted_on": event.accepted_on.isoformat(),
    }
    doc["parties"] = [{"party_id": p.party_id, "role": p.role, "is_minor": p.is_minor} for p in event.parties]
    doc["documents"] = [document_entry(d) for d in event.documents]
    doc["timeline"] = with_entry(doc.get("timeline", []), received_entry(event, event_id))
    return doc


def apply_case_assigned(current: Dossier | None, event: CaseAssignedV1, event_id: str,
                        held_by: Collection[str] = ()) -> Dossier:
    """The dossier with the judge of the latest assignment; every assignment stays in the timeline.

    ``held_by``: the courts of the case's stages (an appeal moves the case, and its dossier, to a higher court).
    """
    _check_court(current, event.court_id, event.case_id, held_by)
    doc = _base(current, event.case_id)
    doc.setdefault("court_id", event.court_id)
    at = bson_instant(event.assigned_at)
    previous = doc.get("judge_assigned_at")
    if previous is None or previous <= at:  # a late redelivery of an older assignment does not win
        doc["judge_id"] = event.judge_id
        doc["judge_name"] = event.judge_name
        doc["judge_assigned_at"] = at
    doc["timeline"] = with_entry(doc.get("timeline", []), assigned_entry(event, event_id))
    return doc


def is_complete(doc: Dossier | None) -> bool:
    """A stub left by an early assignment has no header until its case is received."""
    return doc is not None and "header" in doc
