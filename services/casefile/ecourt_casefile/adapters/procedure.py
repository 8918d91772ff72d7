"""Reads and writes of the procedure tables (stages, steps, deadline lifecycle), inside a unit of work."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_casefile.adapters.orm import case_stages, case_state, case_steps, deadlines
from ecourt_casefile.domain.procedure import DeadlineChange, OpenDeadline
from ecourt_shared.db import UnitOfWork

RUNNING = ("open", "paused")


def running_deadlines(uow: UnitOfWork, case_id: str) -> list[OpenDeadline]:
    rows = uow.execute(select(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.status.in_(RUNNING))
                       .order_by(deadlines.c.due_on)).all()
    return [OpenDeadline(rule_id=r.rule_id, purpose=r.purpose, rule_stage=r.rule_stage, variant=r.variant,
                         trigger_on=r.trigger_on, due_on=r.due_on, status=r.status, extension_used=r.extension_used,
                         extensions=r.extensions, legal_basis_vi=r.legal_basis_vi, legal_basis_en=r.legal_basis_en)
            for r in rows]


def stage_opened_on(uow: UnitOfWork, case_id: str, seq: int) -> date:
    row = uow.execute(select(case_stages.c.opened_on).where(case_stages.c.case_id == case_id,
                                                            case_stages.c.seq == seq)).first()
    if row is None:
        raise LookupError(f"case {case_id} has no stage {seq}")
    return date.fromisoformat(str(row.opened_on))


def stages_of(uow: UnitOfWork, case_id: str) -> list[dict[str, Any]]:
    rows = uow.execute(select(case_stages).where(case_stages.c.case_id == case_id).order_by(case_stages.c.seq))
    return [dict(r._mapping) for r in rows]


def steps_of(uow: UnitOfWork, case_id: str) -> list[dict[str, Any]]:
    rows = uow.execute(select(case_steps).where(case_steps.c.case_id == case_id).order_by(case_steps.c.id))
    return [dict(r._mapping) for r in rows]


def apply_change(uow: UnitOfWork, case_id: str, stage_seq: int, change: DeadlineChange, now: datetime) -> None:
    where = (deadlines.c.case_id == case_id, deadlines.c.rule_id == change.rule_id, deadlines.c.status.in_(RUNNING))
    if change.verb in ("close", "pause"):
        uow.execute(deadlines.update().where(*where).values(status="met" if change.verb == "close" else "paused"))
        return
    d = change.deadline
    assert d is not None and change.trigger_on is not None
    values = {"rule_version": d.rule_version, "due_on": d.due_on, "legal_basis_vi": d.legal_basis_vi,
              "legal_basis_en": d.legal_basis_en, "explanation": [{"vi": s.vi, "en": s.en} for s in d.explanation],
              "needs_verification": d.verify, "computed_at": now, "trigger_on": change.trigger_on, "status": "open",
              "extension_used": change.extension_used, "approaching_sent_at": None, "missed_sent_at": None}
    if change.verb == "extend":
        uow.execute(deadlines.update().where(*where).values(**values, extensions=deadlines.c.extensions + 1))
    elif change.verb == "restart":
        uow.execute(deadlines.update().where(*where).values(**values))
    else:
        stmt = insert(deadlines).values(case_id=case_id, stage_seq=stage_seq, rule_id=change.rule_id,
                                        purpose=change.purpose, rule_stage=change.rule_stage, variant=change.variant,
                                        extensions=0, **values)
        uow.execute(stmt.on_conflict_do_update(index_elements=["case_id", "stage_seq", "rule_id"], set_=values))


def supersede_running(uow: UnitOfWork, case_id: str, keep_purposes: tuple[str, ...] = ("publication",)) -> None:
    """A stage left for another: its running time limits end, except those that outlive it (publication)."""
    uow.execute(deadlines.update().where(deadlines.c.case_id == case_id, deadlines.c.status.in_(RUNNING),
                                         deadlines.c.purpose.not_in(keep_purposes)).values(status="superseded"))


def record_step(uow: UnitOfWork, **values: Any) -> None:
    uow.execute(case_steps.insert().values(**values))


def update_case(uow: UnitOfWork, case_id: str, **values: Any) -> None:
    uow.execute(case_state.update().where(case_state.c.case_id == case_id).values(**values))


def open_stage(uow: UnitOfWork, case_id: str, stage: str, court_id: str, opened_on: date, opened_by: str) -> int:
    seq = int(uow.execute(select(func.coalesce(func.max(case_stages.c.seq), 0))
                          .where(case_stages.c.case_id == case_id)).scalar_one()) + 1
    uow.execute(case_stages.insert().values(case_id=case_id, seq=seq, stage=stage, court_id=court_id,
                                            opened_on=opened_on, opened_by=opened_by))
    return seq


def close_stage(uow: UnitOfWork, case_id: str, seq: int, outcome: str) -> None:
    uow.execute(case_stages.update().where(case_stages.c.case_id == case_id, case_stages.c.seq == seq)
                .values(outcome=outcome))


def courts_of(uow: UnitOfWork, case_id: str) -> set[str]:
    rows = uow.execute(select(case_stages.c.court_id).where(case_stages.c.case_id == case_id))
    return {r.court_id for r in rows}
