"""Folding events into ``case_status``: one transaction per event, claim and effect together.

Exactness under crashes and redelivery rests on one rule: the event's id is claimed
(``processed_events``) and the row is changed in the **same** transaction, committed once. A worker
killed before that commit leaves nothing behind and the broker redelivers the message; a worker
killed after it leaves the claim behind, so the redelivery is skipped. Either way each event counts
exactly once.
"""

from __future__ import annotations

from ecourt_shared.contracts.casefile import CaseTransferredV1, DeadlineApproachingV1, DeadlineMissedV1
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_stats.adapters import repository
from ecourt_stats.domain.status import Fact, JudgeFact, StatusFact, TransferFact, apply

CONSUMER = "stats"


def received_fact(payload: CaseReceivedV1, envelope: EventEnvelope) -> StatusFact:
    return StatusFact(case_id=payload.case_id, court_id=payload.court_id, source="intake",
                      case_type=payload.case_type, stage=payload.stage, status="accepted",
                      occurred_at=envelope.occurred_at, accepted_on=payload.accepted_on)


def progressed_fact(payload: CaseProgressedV1, envelope: EventEnvelope) -> StatusFact:
    return StatusFact(case_id=payload.case_id, court_id=payload.court_id, source="casefile",
                      case_type=payload.case_type, stage=payload.stage, status=payload.status,
                      occurred_at=envelope.occurred_at,
                      deadline_on=payload.deadline.due_on if payload.deadline else None,
                      deadline_rule_id=payload.deadline.rule_id if payload.deadline else None)


def assigned_fact(payload: CaseAssignedV1, envelope: EventEnvelope) -> JudgeFact:
    return JudgeFact(case_id=payload.case_id, court_id=payload.court_id, judge_id=payload.judge_id,
                     judge_name=payload.judge_name, assigned_at=payload.assigned_at)


def transferred_fact(payload: CaseTransferredV1, envelope: EventEnvelope) -> TransferFact:
    return TransferFact(case_id=payload.case_id, court_id=payload.court_id, from_court_id=payload.from_court_id,
                        occurred_at=envelope.occurred_at)


def record_alert(uows: UnitOfWorkFactory, payload: DeadlineApproachingV1 | DeadlineMissedV1,
                 envelope: EventEnvelope) -> bool:
    """Keep a deadline alert for the president's dashboard; False for a redelivery."""
    kind = "missed" if isinstance(payload, DeadlineMissedV1) else "approaching"
    deadline = payload.deadline
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        repository.record_alert(uow, case_id=payload.case_id, kind=kind, rule_id=deadline.rule_id,
                                due_on=deadline.due_on, court_id=payload.court_id, stage=payload.stage,
                                judge_id=payload.judge_id, legal_basis_vi=deadline.legal_basis_vi,
                                legal_basis_en=deadline.legal_basis_en, raised_at=envelope.occurred_at)
        uow.commit()
    return True


def project(uows: UnitOfWorkFactory, event_id: str, fact: Fact) -> bool:
    """Apply one event's fact; False when the event was already applied (a redelivery)."""
    with uows() as uow:
        if not uow.claim_event(CONSUMER, event_id):
            return False
        current = repository.lock_case(uow, fact.case_id, fact.court_id)
        merged = apply(current, fact)
        if merged != current:
            repository.save_case(uow, merged)
        uow.commit()  # the only commit: claim + row change, atomically
    return True
