"""Reads and writes of trial panels, earlier-stage seats and stage rounds, inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from ecourt_assignment.adapters.orm import (
    assignments,
    draw_commitments,
    inbox,
    judges,
    panel_draws,
    panel_seats,
    past_seats,
)
from ecourt_shared.db import UnitOfWork


def active_seats(uow: UnitOfWork, case_id: str, round_: int) -> list[Any]:
    """The active seats of the case's round with the members' names, in seat order of the record."""
    return list(uow.execute(
        select(panel_seats, judges.c.full_name, judges.c.capacity)
        .join(judges, judges.c.judge_id == panel_seats.c.member_id)
        .where(panel_seats.c.case_id == case_id, panel_seats.c.round == round_, panel_seats.c.active.is_(True))
        .order_by(panel_seats.c.id)).all())


def lock_active_seats(uow: UnitOfWork, case_id: str, round_: int) -> list[Any]:
    return list(uow.execute(
        select(panel_seats).where(panel_seats.c.case_id == case_id, panel_seats.c.round == round_,
                                  panel_seats.c.active.is_(True))
        .order_by(panel_seats.c.id).with_for_update(nowait=True)).all())


def insert_seat(uow: UnitOfWork, values: dict[str, Any]) -> None:
    uow.execute(panel_seats.insert().values(active=True, **values))


def end_seat(uow: UnitOfWork, seat_id: int, instant: datetime, reason: str) -> None:
    uow.execute(panel_seats.update().where(panel_seats.c.id == seat_id)
                .values(active=False, ended_at=instant, end_reason=reason))


def move_presiding(uow: UnitOfWork, case_id: str, round_: int, judge_id: str, instant: datetime,
                   reason: str) -> None:
    """The case's judge changed (reassign): the presiding seat of an existing panel follows."""
    uow.execute(panel_seats.update().where(panel_seats.c.case_id == case_id, panel_seats.c.round == round_,
                                           panel_seats.c.seat == "presiding", panel_seats.c.active.is_(True))
                .values(member_id=judge_id, assigned_at=instant, reason=reason))


def insert_panel_draw(uow: UnitOfWork, values: dict[str, Any]) -> None:
    uow.execute(panel_draws.insert().values(**values))


def panel_draw_by_id(uow: UnitOfWork, draw_id: str) -> Any:
    return uow.execute(select(panel_draws, draw_commitments.c.committed_at, draw_commitments.c.seen_on_bus_at,
                              draw_commitments.c.seed_commitment.label("published_commitment"))
                       .join(draw_commitments, draw_commitments.c.draw_id == panel_draws.c.draw_id)
                       .where(panel_draws.c.draw_id == draw_id)).first()


def latest_panel_draw(uow: UnitOfWork, case_id: str, round_: int) -> Any:
    return uow.execute(select(panel_draws).where(panel_draws.c.case_id == case_id, panel_draws.c.round == round_,
                                                 panel_draws.c.kind == "panel")
                       .order_by(panel_draws.c.drawn_at.desc()).limit(1)).first()


def earlier_members(uow: UnitOfWork, case_id: str) -> dict[str, str]:
    """member_id -> ``earlier_stage:<stage>@<court>`` for everyone who sat on the case in a closed round."""
    rows = uow.execute(select(past_seats).where(past_seats.c.case_id == case_id)
                       .order_by(past_seats.c.round, past_seats.c.id)).all()
    found: dict[str, str] = {}
    for row in rows:
        found.setdefault(row.member_id, f"earlier_stage:{row.stage}@{row.court_id}")
    return found


def past_of(uow: UnitOfWork, case_id: str) -> list[Any]:
    return list(uow.execute(select(past_seats).where(past_seats.c.case_id == case_id)
                            .order_by(past_seats.c.round, past_seats.c.id)).all())


def close_round(uow: UnitOfWork, case: Any, instant: datetime) -> None:
    """Keep who sat in the closing round (the assigned judge and the active panel) and free the case for the
    next: the seats end, the assignment is kept in ``past_seats`` and removed, loads stay (the work was done)."""
    sitting: dict[tuple[str, str], None] = {}
    current = uow.execute(select(assignments).where(assignments.c.case_id == case.case_id)).first()
    if current is not None:
        sitting[(current.judge_id, "presiding")] = None
    for seat in lock_active_seats(uow, case.case_id, case.round):
        sitting[(seat.member_id, seat.seat)] = None
        end_seat(uow, seat.id, instant, "stage_closed")
    for member_id, seat_label in sitting:
        uow.execute(past_seats.insert().values(case_id=case.case_id, court_id=case.court_id, stage=case.stage,
                                               round=case.round, member_id=member_id, seat=seat_label,
                                               recorded_at=instant))
    uow.execute(assignments.delete().where(assignments.c.case_id == case.case_id))


def open_round(uow: UnitOfWork, case: Any, court_id: str, stage: str, instant: datetime) -> None:
    uow.execute(inbox.update().where(inbox.c.case_id == case.case_id)
                .values(court_id=court_id, stage=stage, status="awaiting_assignment", round=case.round + 1,
                        stage_opened_from=case.court_id, received_at=instant))
