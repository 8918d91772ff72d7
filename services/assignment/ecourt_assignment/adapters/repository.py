"""Reads and writes of assignment's tables, inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError

from ecourt_assignment.adapters.orm import assignments, draws, inbox, judges
from ecourt_assignment.contracts import JudgeInputV1
from ecourt_shared.db import UnitOfWork


def add_to_inbox(uow: UnitOfWork, values: dict[str, Any]) -> bool:
    """Put a received case in the inbox; False if it is already there (nothing is changed then)."""
    stmt = insert(inbox).values(**values).on_conflict_do_nothing(index_elements=["case_id"])
    return uow.execute(stmt.returning(inbox.c.case_id)).first() is not None


def lock_inbox_case(uow: UnitOfWork, court_id: str, case_id: str) -> Any:
    """The inbox row of a case of this court, locked until the transaction ends (None if there is none).

    ``NOWAIT``: if another transaction holds the row, PostgreSQL raises LockNotAvailable at once (see
    :func:`is_lock_not_available`) instead of blocking the whole eventlet worker inside psycopg2.
    """
    return uow.execute(select(inbox).where(inbox.c.case_id == case_id, inbox.c.court_id == court_id)
                       .with_for_update(nowait=True)).first()


def lock_candidates(uow: UnitOfWork, court_id: str, field: str) -> list[Any]:
    """Active judges of the court competent in ``field``, locked (``NOWAIT``) in judge_id order."""
    return list(uow.execute(
        select(judges).where(judges.c.court_id == court_id, judges.c.active.is_(True),
                             judges.c.specializations.contains([field]))
        .order_by(judges.c.judge_id).with_for_update(nowait=True)).all())


def is_lock_not_available(exc: BaseException) -> bool:
    """True for PostgreSQL's lock_not_available (55P03), raised by ``FOR UPDATE NOWAIT`` on a held row."""
    return isinstance(exc, OperationalError) and getattr(exc.orig, "pgcode", None) == "55P03"


def add_load(uow: UnitOfWork, judge_id: str, amount: Decimal, now: datetime) -> None:
    uow.execute(judges.update().where(judges.c.judge_id == judge_id)
                .values(load_total=judges.c.load_total + amount, updated_at=now))


def record_commitment(uow: UnitOfWork, draw_id: str, case_id: str, court_id: str, algorithm: str,
                      commitment: str, drawn_by: str, now: datetime) -> None:
    uow.execute(draws.insert().values(draw_id=draw_id, case_id=case_id, court_id=court_id, algorithm=algorithm,
                                      seed_commitment=commitment, drawn_by=drawn_by, created_at=now))


def record_outcome(uow: UnitOfWork, draw_id: str, record: dict[str, Any], now: datetime) -> None:
    uow.execute(draws.update().where(draws.c.draw_id == draw_id).values(
        seed=record["seed"], weight=record["weight"], parameters=record["parameters"],
        candidates=record["candidates"], eligible=record["eligible"], winner_judge_id=record["winner"],
        accrual=Decimal(record["accrual"]), random_blocks_used=record["random_blocks_used"], drawn_at=now))


def mark_assigned(uow: UnitOfWork, case_id: str) -> None:
    uow.execute(inbox.update().where(inbox.c.case_id == case_id).values(status="assigned"))


def assignment_of(uow: UnitOfWork, case_id: str) -> Any:
    return uow.execute(select(assignments, judges.c.full_name)
                       .join(judges, judges.c.judge_id == assignments.c.judge_id)
                       .where(assignments.c.case_id == case_id)).first()


def awaiting(uow: UnitOfWork, court_id: str) -> list[Any]:
    return list(uow.execute(select(inbox).where(inbox.c.court_id == court_id,
                                                inbox.c.status == "awaiting_assignment")
                            .order_by(inbox.c.accepted_at, inbox.c.case_id)).all())


def judge(uow: UnitOfWork, court_id: str, judge_id: str) -> Any:
    return uow.execute(select(judges).where(judges.c.court_id == court_id, judges.c.judge_id == judge_id)).first()


def cases_of_judge(uow: UnitOfWork, court_id: str, judge_id: str) -> list[Any]:
    return list(uow.execute(
        select(assignments.c.case_id, assignments.c.method, assignments.c.draw_id, assignments.c.assigned_at,
               inbox.c.acceptance_number, inbox.c.case_type, inbox.c.stage, inbox.c.subject)
        .join(inbox, inbox.c.case_id == assignments.c.case_id)
        .where(assignments.c.court_id == court_id, assignments.c.judge_id == judge_id)
        .order_by(assignments.c.assigned_at.desc(), assignments.c.case_id)).all())


def roster(uow: UnitOfWork, court_id: str) -> list[Any]:
    counts = (select(assignments.c.judge_id, func.count().label("n")).where(assignments.c.court_id == court_id)
              .group_by(assignments.c.judge_id).subquery())
    return list(uow.execute(
        select(judges, func.coalesce(counts.c.n, 0).label("assigned_cases"))
        .outerjoin(counts, counts.c.judge_id == judges.c.judge_id)
        .where(judges.c.court_id == court_id).order_by(judges.c.judge_id)).all())


def lock_judge(uow: UnitOfWork, judge_id: str) -> Any:
    """A judge row of any court, locked ``NOWAIT`` (None if the id is new)."""
    return uow.execute(select(judges).where(judges.c.judge_id == judge_id).with_for_update(nowait=True)).first()


def lowest_active_load(uow: UnitOfWork, court_id: str) -> Decimal:
    value = uow.execute(select(func.min(judges.c.load_total))
                        .where(judges.c.court_id == court_id, judges.c.active.is_(True))).scalar()
    return Decimal(value) if value is not None else Decimal(0)


def upsert_judge(uow: UnitOfWork, court_id: str, judge_input: JudgeInputV1, starting_load: Decimal,
                 now: datetime) -> bool | None:
    """Insert or update a judge of ``court_id``. True: created; False: updated; None: the id is another court's.

    The load total is set only when the judge is created; afterwards only draws change it.
    """
    values = judge_input.model_dump()
    stmt = insert(judges).values(court_id=court_id, load_total=starting_load, created_at=now, updated_at=now,
                                 **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["judge_id"],
        set_={"full_name": stmt.excluded.full_name, "specializations": stmt.excluded.specializations,
              "capacity": stmt.excluded.capacity, "active": stmt.excluded.active, "updated_at": now},
        where=judges.c.court_id == stmt.excluded.court_id)
    row = uow.execute(stmt.returning(literal_column("(xmax = 0)").label("created"))).first()
    return None if row is None else bool(row.created)


def latest_draw(uow: UnitOfWork, court_id: str, case_id: str) -> Any:
    return uow.execute(select(draws).where(draws.c.court_id == court_id, draws.c.case_id == case_id,
                                           draws.c.drawn_at.is_not(None))
                       .order_by(draws.c.drawn_at.desc()).limit(1)).first()
