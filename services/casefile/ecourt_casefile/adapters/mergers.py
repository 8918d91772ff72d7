"""The record of court mergers (sáp nhập Tòa án) carried out by ``ecourt courts merge``.

One row per dissolved court: its successor, the day the merger takes effect, how many cases were moved and
when the last one was. The row is written before the first case moves, so a rerun after a crash finds the
same merger (and refuses a different one) and moves only what is left. The court registry reads these rows
on top of its shipped data (``CourtRegistry.with_mergers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, Integer, String, Table, func, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_casefile.adapters.orm import case_state, metadata
from ecourt_shared.db import UnitOfWork

court_mergers = Table(
    "court_mergers", metadata,
    Column("old_court_id", String(20), primary_key=True),
    Column("successor_id", String(20), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("moved", Integer, nullable=False, server_default="0"),
    Column("completed_at", DateTime(timezone=True)),
)


@dataclass(frozen=True)
class MergerRecord:
    old_court_id: str
    successor_id: str
    effective_on: date
    recorded_at: datetime
    moved: int
    completed_at: datetime | None


def record_merger(uow: UnitOfWork, old: str, successor: str, effective_on: date, at: datetime) -> MergerRecord:
    """Insert the merger if it is new; return the row as stored (it may be an earlier, different one)."""
    uow.execute(insert(court_mergers).values(old_court_id=old, successor_id=successor, effective_on=effective_on,
                                             recorded_at=at, moved=0)
                .on_conflict_do_nothing(index_elements=["old_court_id"]))
    found = merger_of(uow, old)
    assert found is not None
    return found


def merger_of(uow: UnitOfWork, old: str) -> MergerRecord | None:
    row = uow.execute(select(court_mergers).where(court_mergers.c.old_court_id == old)).first()
    return None if row is None else MergerRecord(**row._mapping)


def all_mergers(uow: UnitOfWork) -> list[MergerRecord]:
    rows = uow.execute(select(court_mergers).order_by(court_mergers.c.effective_on, court_mergers.c.old_court_id))
    return [MergerRecord(**row._mapping) for row in rows]


def count_moved(uow: UnitOfWork, old: str) -> None:
    uow.execute(court_mergers.update().where(court_mergers.c.old_court_id == old)
                .values(moved=court_mergers.c.moved + 1))


def complete(uow: UnitOfWork, old: str, at: datetime) -> None:
    uow.execute(court_mergers.update().where(court_mergers.c.old_court_id == old).values(completed_at=at))


def cases_at(uow: UnitOfWork, court_id: str, limit: int) -> list[str]:
    return list(uow.execute(select(case_state.c.case_id).where(case_state.c.court_id == court_id)
                            .order_by(case_state.c.case_id).limit(limit)).scalars())


def count_cases_at(uow: UnitOfWork, court_id: str) -> int:
    return int(uow.execute(select(func.count()).select_from(case_state)
                           .where(case_state.c.court_id == court_id)).scalar_one())
