"""A case accepted by intake lands in the president's inbox, exactly once; commitments seen on the bus are noted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ecourt_assignment.adapters import repository
from ecourt_assignment.contracts import DrawCommittedV1
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseReceivedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id

CONSUMER = "assignment"


def record_received_case(payload: CaseReceivedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory,
                         now: Callable[[], datetime]) -> bool:
    """True if the case entered the inbox; False for a redelivery or a case already there (nothing changes).

    The party ids are kept so that later cases sharing a party are flagged to the president as related.
    """
    try:
        case_id = parse_case_id(payload.case_id).canonical
    except IdentifierError as exc:
        raise PoisonEvent(f"case_received {envelope.event_id} carries an invalid case id: {exc}") from None
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        if payload.origin == "archive":  # a historical case from `ecourt import`: nothing to assign now
            uow.commit()
            return False
        added = repository.add_to_inbox(uow, {
            "case_id": case_id, "court_id": payload.court_id, "case_type": payload.case_type,
            "stage": payload.stage, "acceptance_number": payload.acceptance_number, "subject": payload.subject,
            "party_count": len(payload.parties), "accepted_at": payload.accepted_at, "received_at": now(),
            "status": "awaiting_assignment", "has_minor": any(p.is_minor for p in payload.parties)})
        if not added:  # a stage opening may have come first: complete what it could not know
            repository.fill_placeholder(uow, case_id, {
                "acceptance_number": payload.acceptance_number, "subject": payload.subject,
                "party_count": len(payload.parties), "accepted_at": payload.accepted_at,
                "has_minor": any(p.is_minor for p in payload.parties)})
        repository.add_parties(uow, payload.court_id, case_id, [p.party_id for p in payload.parties])
        uow.commit()
    return added


def record_commitment_seen(payload: DrawCommittedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory,
                           now: Callable[[], datetime]) -> None:
    """Note when a seed commitment came back from the broker: proof it was broadcast, kept in the export."""
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        repository.mark_commitment_seen(uow, payload.draw_id, now())
        uow.commit()
