"""Keeping the public read model: one transaction per event, claiming the event id with the effect.

Only public facts are taken from each event. ``CaseReceivedV1`` also carries party ids, the subject
and document references: none of it is stored here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ecourt_portal.adapters import repository
from ecourt_shared.contracts.casefile import CaseTransferredV1, DeadlineApproachingV1, DeadlineMissedV1
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id

CONSUMER = "portal"
Clock = Callable[[], datetime]


def record_receipt(uows: UnitOfWorkFactory, event: CaseReceivedV1, envelope: EventEnvelope, now: Clock) -> bool:
    """Returns False for a redelivery (nothing changes). Raises ``IdentifierError`` for a bad case id."""
    case_code = format_case_id(event.case_id)
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        repository.upsert_receipt(
            uow, case_id=event.case_id, court_id=event.court_id, case_code=case_code,
            acceptance_number=event.acceptance_number, case_type=event.case_type, stage=event.stage,
            accepted_on=event.accepted_on, receipt_secret_hash=event.receipt_secret_hash, now=now())
        uow.commit()
    return True


def record_assignment(uows: UnitOfWorkFactory, event: CaseAssignedV1, envelope: EventEnvelope, now: Clock) -> bool:
    case_code = format_case_id(event.case_id)
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        repository.upsert_assignment(
            uow, case_id=event.case_id, court_id=event.court_id, case_code=case_code, judge_name=event.judge_name,
            assigned_at=event.assigned_at, event_id=envelope.event_id, now=now())
        uow.commit()
    return True


def record_progress(uows: UnitOfWorkFactory, event: CaseProgressedV1, envelope: EventEnvelope, now: Clock) -> bool:
    """The procedural step is ordered by when casefile recorded it (``envelope.occurred_at``)."""
    case_code = format_case_id(event.case_id)
    deadline = event.deadline
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        repository.upsert_progress(
            uow, case_id=event.case_id, court_id=event.court_id, case_code=case_code, case_type=event.case_type,
            stage=event.stage, status=event.status,
            deadline_on=deadline.due_on if deadline else None, deadline_rule_id=deadline.rule_id if deadline else None,
            legal_basis_vi=deadline.legal_basis_vi if deadline else None,
            legal_basis_en=deadline.legal_basis_en if deadline else None,
            occurred_at=envelope.occurred_at, event_id=envelope.event_id, now=now())
        uow.commit()
    return True


def record_transfer(uows: UnitOfWorkFactory, event: CaseTransferredV1, envelope: EventEnvelope, now: Clock) -> bool:
    """The court that holds the case now (same case id, same receipt secret); only public facts are kept."""
    case_code = format_case_id(event.case_id)
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        repository.upsert_transfer(
            uow, case_id=event.case_id, court_id=event.court_id, case_code=case_code,
            from_court_id=event.from_court_id, reason=event.reason, transferred_on=event.transferred_on,
            court_name_vi=event.court_name_vi, court_name_en=event.court_name_en,
            occurred_at=envelope.occurred_at, event_id=envelope.event_id, now=now())
        uow.commit()
    return True


def record_alert(uows: UnitOfWorkFactory, event: DeadlineApproachingV1 | DeadlineMissedV1, envelope: EventEnvelope,
                 now: Clock) -> bool:
    """An approaching or missed deadline, with its legal basis; the judge id it carries is not stored."""
    case_code = format_case_id(event.case_id)
    kind = "missed" if isinstance(event, DeadlineMissedV1) else "approaching"
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        repository.upsert_alert(
            uow, case_id=event.case_id, court_id=event.court_id, case_code=case_code, kind=kind,
            rule_id=event.deadline.rule_id, due_on=event.deadline.due_on, basis_vi=event.deadline.legal_basis_vi,
            basis_en=event.deadline.legal_basis_en, occurred_at=envelope.occurred_at, event_id=envelope.event_id,
            now=now())
        uow.commit()
    return True
