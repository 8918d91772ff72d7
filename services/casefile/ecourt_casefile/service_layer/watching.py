"""Approaching and missed deadlines, found by a periodic scan and announced once each on the bus.

``DeadlineApproachingV1`` when a running deadline falls due within ``warn_days`` (legal days, court time zone),
``DeadlineMissedV1`` the day after it passed with the deadline still running. Each deadline row records the
instant each event was sent, in the same transaction as the outbox row, so a scan repeated or run by two
workers at once sends nothing twice (``FOR UPDATE SKIP LOCKED``). A restart or extension clears the marks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from ecourt_casefile.adapters.orm import case_state, deadlines
from ecourt_casefile.domain.clock import legal_day
from ecourt_shared.contracts.casefile import DeadlineApproachingV1, DeadlineMissedV1
from ecourt_shared.contracts.events import DeadlineV1
from ecourt_shared.db import UnitOfWorkFactory

WARN_DAYS = 7
BATCH = 500


def scan_deadlines(uows: UnitOfWorkFactory, now: Callable[[], datetime], warn_days: int = WARN_DAYS) -> int:
    """Emit the due approaching/missed events; returns how many were emitted."""
    instant = now()
    today = legal_day(instant)
    sent = 0
    with uows() as uow:
        rows = uow.execute(
            select(deadlines, case_state.c.court_id, case_state.c.stage, case_state.c.judge_id)
            .join(case_state, case_state.c.case_id == deadlines.c.case_id)
            .where(deadlines.c.status == "open",
                   ((deadlines.c.due_on < today) & deadlines.c.missed_sent_at.is_(None))
                   | ((deadlines.c.due_on >= today) & deadlines.c.approaching_sent_at.is_(None)
                      & ((deadlines.c.due_on - today) <= warn_days)))
            .order_by(deadlines.c.due_on).limit(BATCH).with_for_update(of=deadlines, skip_locked=True)).all()
        for r in rows:
            basis = DeadlineV1(rule_id=r.rule_id, due_on=r.due_on, legal_basis_vi=r.legal_basis_vi,
                               legal_basis_en=r.legal_basis_en)
            key = (deadlines.c.case_id == r.case_id, deadlines.c.stage_seq == r.stage_seq,
                   deadlines.c.rule_id == r.rule_id)
            if r.due_on < today:
                uow.emit(DeadlineMissedV1(court_id=r.court_id, case_id=r.case_id, stage=r.stage, judge_id=r.judge_id,
                                          deadline=basis, days_over=(today - r.due_on).days))
                uow.execute(deadlines.update().where(*key).values(missed_sent_at=instant, status="missed"))
            else:
                uow.emit(DeadlineApproachingV1(court_id=r.court_id, case_id=r.case_id, stage=r.stage,
                                               judge_id=r.judge_id, deadline=basis,
                                               days_left=(r.due_on - today).days))
                uow.execute(deadlines.update().where(*key).values(approaching_sent_at=instant))
            sent += 1
        uow.commit()
    return sent
