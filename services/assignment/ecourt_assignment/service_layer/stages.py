"""A case opening a new stage (appeal, cassation, retrial) or moving to another court needs a new assignment.

casefile announces every procedural step with ``case_progressed``; assignment acts only on the step that opens a
stage: the event's ``stage`` differs from the inbox row's at the same court, or the case moved from the court the
inbox row names (``from_court_id``). Then whoever sat on the case in the closing round (the assigned judge, the
panel) is recorded in ``past_seats`` and kept out of every later draw automatically (khoản 3 Điều 53 BLTTDS 2015,
Điều 53 BLTTHS 2015 [verify]), and the case returns to the inbox of the court now holding it, awaiting assignment.
Any other step, a redelivery, or a stale event (it names a court or stage the case has already left) changes
nothing. Loads stay: the judges of the closed round did the work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.service_layer import errors
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_assignment.service_layer.receiving import CONSUMER
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseProgressedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id


def opens_round(case: Any, event: CaseProgressedV1) -> bool:
    if event.from_court_id is not None:
        return event.from_court_id == case.court_id and (event.court_id, event.stage) != (case.court_id, case.stage)
    return event.court_id == case.court_id and event.stage != case.stage


def record_progress(payload: CaseProgressedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory,
                    now: Callable[[], datetime]) -> bool:
    """True if the event opened a new round for the case (it is back in an inbox, awaiting assignment)."""
    try:
        case_id = parse_case_id(payload.case_id).canonical
    except IdentifierError as exc:
        raise PoisonEvent(f"case_progressed {envelope.event_id} carries an invalid case id: {exc}") from None

    def attempt() -> bool:
        with uows() as uow:
            if not uow.claim_event(CONSUMER, envelope.event_id):
                return False
            case = repository.lock_any_inbox_case(uow, case_id)
            instant = now()
            if case is None:
                opened = payload.from_court_id is not None or payload.stage != "ST"
                if opened:  # the stage opened before case_received reached us: hold the need; details follow
                    repository.add_to_inbox(uow, {
                        "case_id": case_id, "court_id": payload.court_id, "case_type": payload.case_type,
                        "stage": payload.stage, "acceptance_number": "", "subject": "", "party_count": 0,
                        "accepted_at": envelope.occurred_at,
                        "received_at": instant, "status": "awaiting_assignment", "has_minor": False, "round": 2,
                        "stage_opened_from": payload.from_court_id})
                uow.commit()
                return opened
            if not opens_round(case, payload):
                uow.commit()
                return False
            panel_repository.close_round(uow, case, instant)
            panel_repository.open_round(uow, case, payload.court_id, payload.stage, instant)
            uow.commit()
            return True

    return retry_when_locked(attempt, lambda: errors.busy("case_id", case_id))
