"""Reads and writes of assignment's tables, inside a unit of work."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import OperationalError

from ecourt_assignment.adapters.orm import (
    assignment_moves,
    assignments,
    case_parties,
    conflicts,
    draw_commitments,
    draws,
    inbox,
    judges,
    panel_seats,
    unavailability,
)
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


def lock_any_inbox_case(uow: UnitOfWork, case_id: str) -> Any:
    """The inbox row of a case whatever its court, locked ``NOWAIT`` (events move cases between courts)."""
    return uow.execute(select(inbox).where(inbox.c.case_id == case_id).with_for_update(nowait=True)).first()


def fill_placeholder(uow: UnitOfWork, case_id: str, values: dict[str, Any]) -> None:
    """Complete a row a stage opening created before ``case_received`` arrived (its descriptive fields only)."""
    uow.execute(inbox.update().where(inbox.c.case_id == case_id, inbox.c.subject == "").values(**values))


def lock_candidates(uow: UnitOfWork, court_id: str, fields: tuple[str, ...] | str, kind: str = "judge") -> list[Any]:
    """Active roster members of ``kind`` (judges by default) competent in one of ``fields``, locked (``NOWAIT``)
    in id order."""
    wanted = [fields] if isinstance(fields, str) else list(fields)
    return list(uow.execute(
        select(judges).where(judges.c.court_id == court_id, judges.c.active.is_(True), judges.c.kind == kind,
                             judges.c.specializations.overlap(wanted))
        .order_by(judges.c.judge_id).with_for_update(nowait=True)).all())


def add_parties(uow: UnitOfWork, court_id: str, case_id: str, party_ids: list[str]) -> None:
    if party_ids:
        uow.execute(insert(case_parties).values([{"case_id": case_id, "party_id": p, "court_id": court_id}
                                                 for p in sorted(set(party_ids))]).on_conflict_do_nothing())


def related_cases(uow: UnitOfWork, court_id: str, case_ids: list[str]) -> dict[str, list[Any]]:
    """For each of ``case_ids``: the other cases of the court sharing a party, with the party ids and judge."""
    if not case_ids:
        return {}
    mine, other = case_parties.alias("mine"), case_parties.alias("other")
    my_case = inbox.alias("my_case")
    rows = uow.execute(
        select(mine.c.case_id.label("of_case"), other.c.case_id, other.c.party_id, inbox.c.acceptance_number,
               assignments.c.judge_id, judges.c.full_name, inbox.c.subject,
               my_case.c.subject.label("of_case_subject"))
        .join(other, (other.c.party_id == mine.c.party_id) & (other.c.court_id == mine.c.court_id)
              & (other.c.case_id != mine.c.case_id))
        .join(inbox, inbox.c.case_id == other.c.case_id)
        .join(my_case, my_case.c.case_id == mine.c.case_id)
        .outerjoin(assignments, assignments.c.case_id == other.c.case_id)
        .outerjoin(judges, judges.c.judge_id == assignments.c.judge_id)
        .where(mine.c.court_id == court_id, mine.c.case_id.in_(case_ids))
        .order_by(mine.c.case_id, other.c.case_id, other.c.party_id)).all()
    found: dict[str, list[Any]] = {}
    for row in rows:
        found.setdefault(row.of_case, []).append(row)
    return found


def unavailable_on(uow: UnitOfWork, court_id: str, day: date) -> dict[str, Any]:
    """judge_id -> the unavailability row covering ``day`` (leave or secondment)."""
    rows = uow.execute(select(unavailability).where(unavailability.c.court_id == court_id,
                                                    unavailability.c.starts_on <= day,
                                                    unavailability.c.ends_on >= day)
                       .order_by(unavailability.c.id)).all()
    return {row.judge_id: row for row in rows}


def unavailability_of_court(uow: UnitOfWork, court_id: str, from_day: date) -> list[Any]:
    return list(uow.execute(select(unavailability).where(unavailability.c.court_id == court_id,
                                                         unavailability.c.ends_on >= from_day)
                            .order_by(unavailability.c.judge_id, unavailability.c.starts_on)).all())


def add_unavailability(uow: UnitOfWork, values: dict[str, Any]) -> int:
    return int(uow.execute(unavailability.insert().values(**values).returning(unavailability.c.id)).scalar_one())


def conflicts_of(uow: UnitOfWork, case_id: str) -> dict[str, Any]:
    """judge_id -> the first conflict declared for the judge on ``case_id``."""
    rows = uow.execute(select(conflicts).where(conflicts.c.case_id == case_id).order_by(conflicts.c.id)).all()
    found: dict[str, Any] = {}
    for row in rows:
        found.setdefault(row.judge_id, row)
    return found


def add_conflict(uow: UnitOfWork, values: dict[str, Any]) -> bool:
    stmt = insert(conflicts).values(**values).on_conflict_do_nothing(constraint="uq_conflicts_case_judge_kind")
    return uow.execute(stmt.returning(conflicts.c.id)).first() is not None


def inbox_case(uow: UnitOfWork, court_id: str, case_id: str) -> Any:
    return uow.execute(select(inbox).where(inbox.c.case_id == case_id, inbox.c.court_id == court_id)).first()


def insert_commitment(uow: UnitOfWork, values: dict[str, Any]) -> None:
    uow.execute(draw_commitments.insert().values(**values))


def lock_commitment(uow: UnitOfWork, draw_id: str) -> Any:
    return uow.execute(select(draw_commitments).where(draw_commitments.c.draw_id == draw_id)
                       .with_for_update(nowait=True)).first()


def close_commitment(uow: UnitOfWork, draw_id: str, status: str, now: datetime, reason: str | None = None) -> None:
    uow.execute(draw_commitments.update().where(draw_commitments.c.draw_id == draw_id,
                                                draw_commitments.c.status == "open")
                .values(status=status, closed_at=now, void_reason=reason))


def mark_commitment_seen(uow: UnitOfWork, draw_id: str, now: datetime) -> None:
    uow.execute(draw_commitments.update().where(draw_commitments.c.draw_id == draw_id,
                                                draw_commitments.c.seen_on_bus_at.is_(None))
                .values(seen_on_bus_at=now))


def commitment(uow: UnitOfWork, draw_id: str) -> Any:
    return uow.execute(select(draw_commitments).where(draw_commitments.c.draw_id == draw_id)).first()


def lock_assignment(uow: UnitOfWork, court_id: str, case_id: str) -> Any:
    return uow.execute(select(assignments).where(assignments.c.case_id == case_id,
                                                 assignments.c.court_id == court_id)
                       .with_for_update(nowait=True)).first()


def add_move(uow: UnitOfWork, values: dict[str, Any]) -> None:
    uow.execute(assignment_moves.insert().values(**values))


def draw_by_id(uow: UnitOfWork, draw_id: str) -> Any:
    return uow.execute(select(draws, draw_commitments.c.committed_at, draw_commitments.c.seen_on_bus_at,
                              draw_commitments.c.status.label("commitment_status"),
                              draw_commitments.c.seed_commitment.label("published_commitment"),
                              draw_commitments.c.seed.label("committed_seed"))
                       .join(draw_commitments, draw_commitments.c.draw_id == draws.c.draw_id)
                       .where(draws.c.draw_id == draw_id)).first()


def draws_of_court(uow: UnitOfWork, court_id: str) -> list[Any]:
    return list(uow.execute(select(draws.c.draw_id).where(draws.c.court_id == court_id)
                            .order_by(draws.c.drawn_at, draws.c.draw_id)).scalars())


def fairness_counts(uow: UnitOfWork, court_id: str) -> dict[str, int]:
    def count(stmt: Any) -> int:
        return int(uow.execute(stmt).scalar() or 0)

    return {
        "draws": count(select(func.count()).select_from(draws).where(draws.c.court_id == court_id)),
        "escapes": count(select(func.count()).select_from(draws).where(draws.c.court_id == court_id,
                                                                        draws.c.escape.is_(True))),
        "designations": count(select(func.count()).select_from(assignments)
                              .where(assignments.c.court_id == court_id, assignments.c.method == "designation")),
        "reassignments": count(select(func.count()).select_from(assignment_moves)
                               .where(assignment_moves.c.court_id == court_id)),
        "void_commitments": count(select(func.count()).select_from(draw_commitments)
                                  .where(draw_commitments.c.court_id == court_id,
                                         draw_commitments.c.status == "void")),
    }


def methods_per_judge(uow: UnitOfWork, court_id: str) -> dict[tuple[str, str], int]:
    rows = uow.execute(select(assignments.c.judge_id, assignments.c.method, func.count().label("n"))
                       .where(assignments.c.court_id == court_id)
                       .group_by(assignments.c.judge_id, assignments.c.method)).all()
    return {(r.judge_id, r.method): int(r.n) for r in rows}


def is_lock_not_available(exc: BaseException) -> bool:
    """True for PostgreSQL's lock_not_available (55P03), raised by ``FOR UPDATE NOWAIT`` on a held row."""
    return isinstance(exc, OperationalError) and getattr(exc.orig, "pgcode", None) == "55P03"


def add_load(uow: UnitOfWork, judge_id: str, amount: Decimal, now: datetime) -> None:
    uow.execute(judges.update().where(judges.c.judge_id == judge_id)
                .values(load_total=judges.c.load_total + amount, updated_at=now))


def insert_draw(uow: UnitOfWork, draw_id: str, court_id: str, drawn_by: str, committed_at: datetime,
                record: dict[str, Any], escape: bool, now: datetime) -> None:
    """The draw's full record, the seed revealed, under the id of the commitment it used."""
    uow.execute(draws.insert().values(
        draw_id=draw_id, case_id=record["case_id"], court_id=court_id, algorithm=record["algorithm"],
        seed_commitment=record["seed_commitment"], seed=record["seed"], weight=record["weight"],
        parameters=record["parameters"], candidates=record["candidates"], eligible=record["eligible"],
        winner_judge_id=record["winner"], accrual=Decimal(record["accrual"]),
        random_blocks_used=record["random_blocks_used"], excluded=record["excluded"], escape=escape,
        created_at=committed_at, drawn_at=now, drawn_by=drawn_by))


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
               assignments.c.reason,
               inbox.c.acceptance_number, inbox.c.case_type, inbox.c.stage, inbox.c.subject)
        .join(inbox, inbox.c.case_id == assignments.c.case_id)
        .where(assignments.c.court_id == court_id, assignments.c.judge_id == judge_id)
        .order_by(assignments.c.assigned_at.desc(), assignments.c.case_id)).all())


def roster(uow: UnitOfWork, court_id: str, kind: str | None = "judge") -> list[Any]:
    """The court's roster members of ``kind`` (every kind for None); ``assigned_cases`` counts the cases a judge
    is assigned to, or the active panel seats of an assessor or clerk."""
    counts = (select(assignments.c.judge_id, func.count().label("n")).where(assignments.c.court_id == court_id)
              .group_by(assignments.c.judge_id).subquery())
    seats = (select(panel_seats.c.member_id, func.count().label("n"))
             .where(panel_seats.c.court_id == court_id, panel_seats.c.active.is_(True), panel_seats.c.kind != "judge")
             .group_by(panel_seats.c.member_id).subquery())
    stmt = (select(judges, (func.coalesce(counts.c.n, 0) + func.coalesce(seats.c.n, 0)).label("assigned_cases"))
            .outerjoin(counts, counts.c.judge_id == judges.c.judge_id)
            .outerjoin(seats, seats.c.member_id == judges.c.judge_id)
            .where(judges.c.court_id == court_id).order_by(judges.c.judge_id))
    if kind is not None:
        stmt = stmt.where(judges.c.kind == kind)
    return list(uow.execute(stmt).all())


def lock_judge(uow: UnitOfWork, judge_id: str) -> Any:
    """A judge row of any court, locked ``NOWAIT`` (None if the id is new)."""
    return uow.execute(select(judges).where(judges.c.judge_id == judge_id).with_for_update(nowait=True)).first()


def lowest_active_load(uow: UnitOfWork, court_id: str, kind: str = "judge") -> Decimal:
    value = uow.execute(select(func.min(judges.c.load_total))
                        .where(judges.c.court_id == court_id, judges.c.active.is_(True),
                               judges.c.kind == kind)).scalar()
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
        where=(judges.c.court_id == stmt.excluded.court_id) & (judges.c.kind == stmt.excluded.kind))
    row = uow.execute(stmt.returning(literal_column("(xmax = 0)").label("created"))).first()
    return None if row is None else bool(row.created)


def latest_draw(uow: UnitOfWork, court_id: str, case_id: str) -> Any:
    return uow.execute(select(draws).where(draws.c.court_id == court_id, draws.c.case_id == case_id,
                                           draws.c.drawn_at.is_not(None))
                       .order_by(draws.c.drawn_at.desc()).limit(1)).first()
