"""Reads and writes of the gateway's tables, inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert

from ecourt_qlta.adapters.orm import outbound, qlta_cases
from ecourt_qlta.domain.canonical import QltaCaseRecord, content_sha256
from ecourt_qlta.domain.sync import CaseState
from ecourt_shared.db import UnitOfWork


def lock_case(uow: UnitOfWork, empty: CaseState) -> Any:
    """Lock the case's sync row for this transaction, creating a version-0 placeholder if it is new.

    The placeholder never outlives the transaction on its own: the first fact of a case always changes
    the record, so it commits as version 1. A concurrent first event waits on the insert, then finds
    the row with ``FOR UPDATE``; two events of one case never race.
    """
    record = empty.record()
    uow.execute(insert(qlta_cases).values(
        case_id=empty.case_id, court_id=empty.court_id, state=empty.model_dump(mode="json"),
        record=record.model_dump(mode="json"), content_sha256=content_sha256(record), version=0,
        changed_at=func.clock_timestamp()).on_conflict_do_nothing(index_elements=["case_id"]))
    return uow.execute(select(qlta_cases.c.state, qlta_cases.c.content_sha256, qlta_cases.c.version)
                       .where(qlta_cases.c.case_id == empty.case_id).with_for_update()).one()


def save_state(uow: UnitOfWork, state: CaseState) -> None:
    """Ordering keys changed but the record did not: no new version, nothing to send."""
    uow.execute(update(qlta_cases).where(qlta_cases.c.case_id == state.case_id)
                .values(state=state.model_dump(mode="json")))


def save_change(uow: UnitOfWork, state: CaseState, record: QltaCaseRecord, sha: str, version: int,
                source_event_id: str) -> None:
    """A new version of the record, and its outbound row, in the caller's transaction."""
    uow.execute(update(qlta_cases).where(qlta_cases.c.case_id == state.case_id).values(
        court_id=state.court_id, state=state.model_dump(mode="json"), record=record.model_dump(mode="json"),
        content_sha256=sha, version=version, changed_at=func.clock_timestamp()))
    uow.execute(outbound.insert().values(
        case_id=state.case_id, court_id=state.court_id, version=version, content_sha256=sha,
        record=record.model_dump(mode="json"), source_event_id=source_event_id))


def get_case(uow: UnitOfWork, case_id: str, court_id: str) -> Any:
    c = qlta_cases.c
    return uow.execute(select(c.case_id, c.record, c.content_sha256, c.version, c.changed_at,
                              c.last_sent_version, c.last_sent_sha256, c.last_sent_at)
                       .where(c.case_id == case_id, c.court_id == court_id, c.version > 0)).first()


def settled_horizon(uow: UnitOfWork, settle_seconds: float) -> datetime:
    seconds = bindparam("settle", float(settle_seconds), type_=Float)
    return uow.execute(select(func.clock_timestamp() - func.make_interval(0, 0, 0, 0, 0, 0, seconds))).scalar_one()


def changes(uow: UnitOfWork, court_id: str, since: datetime | None, until: datetime, limit: int) -> list[Any]:
    c = qlta_cases.c
    stmt = select(c.case_id, c.record, c.version, c.content_sha256, c.changed_at).where(
        c.court_id == court_id, c.version > 0, c.changed_at <= until)
    if since is not None:
        stmt = stmt.where(c.changed_at > since)
    return list(uow.execute(stmt.order_by(c.changed_at, c.case_id).limit(limit)).all())


def summary(uow: UnitOfWork, court_id: str) -> dict[str, Any]:
    c, o = qlta_cases.c, outbound.c
    cases, in_sync = uow.execute(select(
        func.count(), func.count().filter(c.last_sent_sha256 == c.content_sha256))
        .where(c.court_id == court_id, c.version > 0)).one()
    by_status = {row.status: row.n for row in uow.execute(
        select(o.status, func.count().label("n")).where(o.court_id == court_id).group_by(o.status))}
    oldest = uow.execute(select(func.min(o.created_at)).where(o.court_id == court_id, o.status == "pending")).scalar()
    return {"cases": cases, "in_sync": in_sync,
            "outbound": {s: by_status.get(s, 0) for s in ("pending", "sent", "failed")},
            "oldest_pending_at": oldest.isoformat() if oldest else None}


def case_rows(uow: UnitOfWork, court_id: str, limit: int) -> list[Any]:
    c = qlta_cases.c
    return list(uow.execute(select(c.case_id, c.record, c.version, c.content_sha256)
                            .where(c.court_id == court_id, c.version > 0).order_by(c.case_id).limit(limit)).all())


def cases_with_unsent_changes(uow: UnitOfWork, court_id: str) -> set[str]:
    o = outbound.c
    return set(uow.execute(select(o.case_id).where(o.court_id == court_id, o.status != "sent").distinct())
               .scalars())


def requeue(uow: UnitOfWork, court_id: str, *, status: str, case_id: str | None = None,
            version: int | None = None) -> int:
    """Put rows back to ``pending`` now, with a fresh attempt budget (operator retry or repair)."""
    o = outbound.c
    stmt = update(outbound).where(o.court_id == court_id, o.status == status)
    if case_id is not None:
        stmt = stmt.where(o.case_id == case_id)
    if version is not None:
        stmt = stmt.where(o.version == version)
    result = uow.execute(stmt.values(status="pending", attempts=0, next_attempt_at=func.now(), last_error=None))
    return int(result.rowcount or 0)
