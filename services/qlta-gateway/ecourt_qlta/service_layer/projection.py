"""Events in, canonical record and outbound change out: one transaction per event.

The event id is claimed, the case's sync row is merged and (if the record's content changed) the new
version and its ``outbound`` row are written, all in the same transaction, committed once. A
redelivered event finds its claim and does nothing, so one event never yields two outbound rows; an
event that changes nothing QLTA sees (a stale status, a duplicate) yields none.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecourt_qlta.adapters import repository
from ecourt_qlta.domain.canonical import content_sha256
from ecourt_qlta.domain.sync import (
    AssignedFact,
    CaseState,
    Fact,
    ProgressedFact,
    ReceivedFact,
    TransferredFact,
    merge,
)
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.casefile import CaseTransferredV1
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id

CONSUMER = "qlta"


@dataclass(frozen=True)
class Projected:
    applied: bool  # False: a redelivery, already applied
    version: int | None = None  # the new version when the record changed (an outbound row was queued)


def _checked(case_id: str) -> str:
    try:
        return parse_case_id(case_id).canonical
    except IdentifierError as exc:  # never send QLTA a case code that fails its check digits
        raise PoisonEvent(f"case_id {case_id!r} is not a valid ecourt case id: {exc}") from None


def received_fact(payload: CaseReceivedV1, envelope: EventEnvelope) -> ReceivedFact:
    return ReceivedFact(case_id=_checked(payload.case_id), court_id=payload.court_id,
                        acceptance_number=payload.acceptance_number, accepted_on=payload.accepted_on,
                        case_type=payload.case_type, stage=payload.stage, subject=payload.subject,
                        occurred_at=envelope.occurred_at)


def progressed_fact(payload: CaseProgressedV1, envelope: EventEnvelope) -> ProgressedFact:
    return ProgressedFact(case_id=_checked(payload.case_id), court_id=payload.court_id,
                          case_type=payload.case_type, stage=payload.stage, status=payload.status,
                          occurred_at=envelope.occurred_at,
                          deadline_on=payload.deadline.due_on if payload.deadline else None,
                          deadline_basis=payload.deadline.legal_basis_vi if payload.deadline else None)


def assigned_fact(payload: CaseAssignedV1, envelope: EventEnvelope) -> AssignedFact:
    return AssignedFact(case_id=_checked(payload.case_id), court_id=payload.court_id, judge_id=payload.judge_id,
                        judge_name=payload.judge_name, method=payload.method, assigned_at=payload.assigned_at)


def transferred_fact(payload: CaseTransferredV1, envelope: EventEnvelope) -> TransferredFact:
    return TransferredFact(case_id=_checked(payload.case_id), court_id=payload.court_id,
                           from_court_id=payload.from_court_id, reason=payload.reason,
                           transferred_on=payload.transferred_on, occurred_at=envelope.occurred_at)


def project(uows: UnitOfWorkFactory, event_id: str, fact: Fact) -> Projected:
    with uows() as uow:
        if not uow.claim_event(CONSUMER, event_id):
            return Projected(applied=False)
        row = repository.lock_case(uow, CaseState.empty(fact.case_id, fact.court_id))
        current = CaseState.model_validate(row.state)
        merged = merge(current, fact)
        version = None
        if merged != current:
            record = merged.record()
            sha = content_sha256(record)
            if sha != row.content_sha256 or row.version == 0:
                version = row.version + 1
                repository.save_change(uow, merged, record, sha, version, event_id)
            else:
                repository.save_state(uow, merged)
        uow.commit()  # the only commit: claim, sync state and outbound row together
    return Projected(applied=True, version=version)
