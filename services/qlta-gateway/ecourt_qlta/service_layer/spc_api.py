"""What the SPC reads from the gateway: one case's canonical record, and the list of changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ecourt_qlta.adapters import repository
from ecourt_shared.contracts.errors import NotFound
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id


def _not_found(case_id: str) -> NotFound:
    return NotFound({"errors": [{"field": "case_id", "code": "case.not_found",
                                 "message_vi": f"Không có vụ án {case_id} tại Tòa án này.",
                                 "message_en": f"no case {case_id} at this court"}]})


def get_case(uows: UnitOfWorkFactory, court_id: str, case_id: str) -> dict[str, Any]:
    """The case's canonical record with its version and content hash; another court's case is NotFound."""
    try:
        canonical = parse_case_id(case_id).canonical
    except IdentifierError:
        raise _not_found(case_id) from None
    with uows() as uow:
        row = repository.get_case(uow, canonical, court_id)
    if row is None:
        raise _not_found(case_id)
    return {"case_id": row.case_id, "version": row.version, "content_sha256": row.content_sha256,
            "changed_at": row.changed_at.isoformat(), "record": row.record,
            "sync": {"last_sent_version": row.last_sent_version,
                     "last_sent_at": row.last_sent_at.isoformat() if row.last_sent_at else None,
                     "in_sync": row.last_sent_sha256 == row.content_sha256}}


def list_changes(uows: UnitOfWorkFactory, court_id: str, since: datetime | None, limit: int,
                 settle_seconds: float) -> dict[str, Any]:
    """Cases whose record changed after ``since`` and before the settled horizon, oldest change first."""
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # a time without offset is read as UTC
    with uows() as uow:
        until = repository.settled_horizon(uow, settle_seconds)
        rows = repository.changes(uow, court_id, since, until, limit + 1)
    truncated = len(rows) > limit
    rows = rows[:limit]
    changes = [{"case_id": r.case_id, "case_code": r.record["case_code"], "court_code": r.record["court_code"],
                "version": r.version, "content_sha256": r.content_sha256, "changed_at": r.changed_at.isoformat()}
               for r in rows]
    next_since = rows[-1].changed_at if truncated else max(until, since) if since else until
    return {"since": since.isoformat() if since else None, "until": until.isoformat(), "changes": changes,
            "next_since": next_since.isoformat(), "truncated": truncated}
