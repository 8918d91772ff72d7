"""The president's view of the reception register: arrivals awaiting a decision, and every decision made.

Fed by intake's ``reception_registered`` and ``reception_decided``, which arrive on separate queues in any order:
both are upserts on the reception id, a decision replaces the shown one only if it is not older (``decided_at``),
so the view converges whatever the order and however often an event is redelivered. An item leaves the waiting list
with a final decision (accept, return, transfer); returned for amendment, it waits, with its due date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_assignment.adapters.orm import reception_decisions, reception_items
from ecourt_assignment.contracts import ReceptionDecisionItemV1, ReceptionInboxV1, ReceptionItemV1
from ecourt_assignment.service_layer.receiving import CONSUMER
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.reception import ReceptionDecidedV1, ReceptionRegisteredV1
from ecourt_shared.db import UnitOfWorkFactory

WAITING = (None, "request_amendment")
RECENT_DECISIONS = 100


def record_registered(payload: ReceptionRegisteredV1, envelope: EventEnvelope, uows: UnitOfWorkFactory,
                      now: Callable[[], datetime]) -> None:
    registration = {"stage": payload.stage, "channel": payload.channel, "received_at": payload.received_at,
                    "counts_from": payload.counts_from, "counting_basis": payload.counting_basis,
                    "related_case_id": payload.related_case_id, "document_count": payload.document_count,
                    "party_count": payload.party_count}
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        instant = now()
        stmt = insert(reception_items).values(
            reception_id=payload.reception_id, court_id=payload.court_id, reception_number=payload.reception_number,
            kind=payload.kind, case_type=payload.case_type, updated_at=instant, **registration)
        uow.execute(stmt.on_conflict_do_update(index_elements=["reception_id"],
                                               set_={**registration, "updated_at": instant}))
        uow.commit()


def record_decided(payload: ReceptionDecidedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory,
                   now: Callable[[], datetime]) -> None:
    shown = {"decision_id": payload.decision_id, "decision": payload.decision, "decided_by": payload.decided_by,
             "decided_at": payload.decided_at}
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        instant = now()
        uow.execute(insert(reception_decisions).values(
            decision_id=payload.decision_id, reception_id=payload.reception_id, court_id=payload.court_id,
            reception_number=payload.reception_number, kind=payload.kind, case_type=payload.case_type,
            decision=payload.decision, decided_by=payload.decided_by, decided_at=payload.decided_at,
            reason=payload.reason, amendment_due_on=payload.amendment_due_on,
            transfer_to_court=payload.transfer_to_court, case_id=payload.case_id,
            acceptance_number=payload.acceptance_number).on_conflict_do_nothing(index_elements=["decision_id"]))
        stmt = insert(reception_items).values(
            reception_id=payload.reception_id, court_id=payload.court_id, reception_number=payload.reception_number,
            kind=payload.kind, case_type=payload.case_type, updated_at=instant, **shown)
        uow.execute(stmt.on_conflict_do_update(
            index_elements=["reception_id"], set_={**shown, "updated_at": instant},
            where=or_(reception_items.c.decided_at.is_(None), reception_items.c.decided_at <= payload.decided_at)))
        uow.commit()


def reception_inbox(principal: Principal, uows: UnitOfWorkFactory) -> ReceptionInboxV1:
    """Arrivals of the caller's court awaiting a decision (oldest counting date first) and recent decisions."""
    with uows() as uow:
        uow.read_snapshot()  # both lists from one moment: an item decided meanwhile is in one of them, not both
        waiting = uow.execute(
            select(reception_items).where(reception_items.c.court_id == principal.court_id,
                                          reception_items.c.received_at.is_not(None),
                                          or_(reception_items.c.decision.is_(None),
                                              reception_items.c.decision == "request_amendment"))
            .order_by(reception_items.c.counts_from, reception_items.c.received_at)).all()
        decided = uow.execute(
            select(reception_decisions).where(reception_decisions.c.court_id == principal.court_id)
            .order_by(reception_decisions.c.decided_at.desc(), reception_decisions.c.decision_id)
            .limit(RECENT_DECISIONS)).all()
    item_fields, decision_fields = set(ReceptionItemV1.model_fields), set(ReceptionDecisionItemV1.model_fields)
    return ReceptionInboxV1(
        awaiting=[ReceptionItemV1.model_validate({k: v for k, v in r._mapping.items() if k in item_fields})
                  for r in waiting],
        decisions=[ReceptionDecisionItemV1.model_validate({k: v for k, v in r._mapping.items()
                                                           if k in decision_fields}) for r in decided])
