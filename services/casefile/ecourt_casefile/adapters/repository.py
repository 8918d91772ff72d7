"""Reads and writes of casefile's tables, inside a unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_casefile.adapters.orm import (
    access_log,
    assignments,
    case_stages,
    case_state,
    deadlines,
    processed_events,
)
from ecourt_casefile.domain.deadlines import Deadline
from ecourt_shared.auth import Principal
from ecourt_shared.db import UnitOfWork


@dataclass(frozen=True)
class CaseState:
    case_id: str
    court_id: str
    case_type: str
    stage: str
    status: str
    accepted_on: date
    judge_id: str | None
    updated_at: datetime
    stage_seq: int = 1
    state: str = "preparing"
    panel: list[str] = field(default_factory=list)
    clerk_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    case_id: str
    court_id: str
    judge_id: str
    assigned_at: datetime
    event_id: str
    panel: list[str] | None = None  # sitting members, when the assignment announced a panel
    clerk_id: str | None = None


@dataclass(frozen=True)
class StoredDeadline:
    rule_id: str
    rule_version: int
    due_on: date
    legal_basis_vi: str
    legal_basis_en: str
    explanation: list[dict[str, str]]
    needs_verification: bool
    computed_at: datetime


def already_processed(uow: UnitOfWork, consumer: str, event_id: str) -> bool:
    """A read-only look at the claim table, to skip a redelivery before doing any outside work."""
    row = uow.execute(select(processed_events.c.event_id).where(processed_events.c.consumer == consumer,
                                                                processed_events.c.event_id == event_id)).first()
    return row is not None


def lock_case(uow: UnitOfWork, case_id: str) -> None:
    """Serialize the transactions of one case (its row may not exist yet), until this one ends."""
    uow.execute(select(func.pg_advisory_xact_lock(func.hashtextextended("casefile:" + case_id, 0))))


def case_state_of(uow: UnitOfWork, case_id: str, court_id: str | None = None) -> CaseState | None:
    query = select(case_state).where(case_state.c.case_id == case_id)
    if court_id is not None:
        query = query.where(case_state.c.court_id == court_id)
    row = uow.execute(query).first()
    return CaseState(**row._mapping) if row else None


def insert_case_state(uow: UnitOfWork, state: CaseState) -> bool:
    """Record a new case; False if the case is already recorded."""
    stmt = insert(case_state).values(**state.__dict__).on_conflict_do_nothing(index_elements=["case_id"])
    created = uow.execute(stmt.returning(case_state.c.case_id)).first() is not None
    if created:
        uow.execute(case_stages.insert().values(case_id=state.case_id, seq=state.stage_seq, stage=state.stage,
                                                court_id=state.court_id, opened_on=state.accepted_on,
                                                opened_by="case_received"))
    return created


def set_judge(uow: UnitOfWork, case_id: str, judge_id: str, now: datetime) -> bool:
    result = uow.execute(case_state.update().where(case_state.c.case_id == case_id)
                         .values(judge_id=judge_id, updated_at=now))
    return bool(result.rowcount)


def set_panel(uow: UnitOfWork, case_id: str, panel: list[str], clerk_id: str | None, now: datetime) -> None:
    uow.execute(case_state.update().where(case_state.c.case_id == case_id)
                .values(panel=panel, clerk_id=clerk_id, updated_at=now))


def latest_assignment(uow: UnitOfWork, case_id: str) -> Assignment | None:
    row = uow.execute(select(assignments).where(assignments.c.case_id == case_id)).first()
    return Assignment(**row._mapping) if row else None


def record_assignment(uow: UnitOfWork, assignment: Assignment) -> bool:
    """Keep the latest assignment of the case; True if this one is now the latest."""
    stmt = insert(assignments).values(**assignment.__dict__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["case_id"],
        # an assignment without a panel (the judge alone) keeps the panel and clerk already known
        set_={"court_id": stmt.excluded.court_id, "judge_id": stmt.excluded.judge_id,
              "assigned_at": stmt.excluded.assigned_at, "event_id": stmt.excluded.event_id,
              "panel": func.coalesce(stmt.excluded.panel, assignments.c.panel),
              "clerk_id": func.coalesce(stmt.excluded.clerk_id, assignments.c.clerk_id)},
        where=assignments.c.assigned_at <= stmt.excluded.assigned_at)
    return uow.execute(stmt.returning(assignments.c.case_id)).first() is not None


def save_deadline(uow: UnitOfWork, case_id: str, deadline: Deadline, now: datetime, *, trigger_on: date,
                  stage_seq: int = 1, purpose: str = "preparation", rule_stage: str = "ST",
                  variant: str | None = None) -> bool:
    """Store a computed deadline once per (case, stage, rule); False if it was already stored."""
    stmt = insert(deadlines).values(
        case_id=case_id, stage_seq=stage_seq, rule_id=deadline.rule_id, rule_version=deadline.rule_version,
        due_on=deadline.due_on, legal_basis_vi=deadline.legal_basis_vi, legal_basis_en=deadline.legal_basis_en,
        explanation=[{"vi": step.vi, "en": step.en} for step in deadline.explanation],
        needs_verification=deadline.verify, computed_at=now, purpose=purpose, rule_stage=rule_stage,
        variant=variant, trigger_on=trigger_on, status="open",
    ).on_conflict_do_nothing(index_elements=["case_id", "stage_seq", "rule_id"])
    return uow.execute(stmt.returning(deadlines.c.rule_id)).first() is not None


_SHOWN = ("rule_id", "rule_version", "due_on", "legal_basis_vi", "legal_basis_en", "explanation",
          "needs_verification", "computed_at")


def current_deadline(uow: UnitOfWork, case_id: str) -> StoredDeadline | None:
    """The next deadline of the case: the earliest still running, else the one computed last."""
    running = (select(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.status == "open")
               .order_by(deadlines.c.due_on, deadlines.c.rule_id).limit(1))
    row = uow.execute(running).first() or uow.execute(
        select(deadlines).where(deadlines.c.case_id == case_id)
        .order_by(deadlines.c.computed_at.desc(), deadlines.c.due_on).limit(1)).first()
    if row is None:
        return None
    return StoredDeadline(**{k: row._mapping[k] for k in _SHOWN})


@dataclass(frozen=True)
class PersonalDataShown:
    """Which personal data a view carried: the fields, whose, and whether identifiers were unmasked (and why)."""

    fields: tuple[str, ...] = ()
    party_ids: tuple[str, ...] = ()
    revealed: bool = False
    reveal_reason: str | None = None


def log_access(uow: UnitOfWork, principal: Principal, case_id: str, view_kind: str, now: datetime,
               shown: PersonalDataShown = PersonalDataShown()) -> None:
    uow.execute(access_log.insert().values(
        case_id=case_id, court_id=principal.court_id, user_id=principal.user_id, judge_id=principal.judge_id,
        roles=[role.value for role in principal.roles], view_kind=view_kind, viewed_at=now,
        personal_fields=list(shown.fields), party_ids=list(shown.party_ids), revealed=shown.revealed,
        reveal_reason=shown.reveal_reason))


def running_deadline_rows(uow: UnitOfWork, case_id: str) -> list[StoredDeadline]:
    """Every deadline of the case still running (open), earliest first, as views show them."""
    rows = uow.execute(select(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.status == "open")
                       .order_by(deadlines.c.due_on, deadlines.c.rule_id)).all()
    return [StoredDeadline(**{k: r._mapping[k] for k in _SHOWN}) for r in rows]
