"""Recording the judge of a case (``case_assigned``), whichever of it and ``case_received`` comes first.

The assignment is kept in ``assignments`` (the latest one per case, by ``assigned_at``), whether or not
the case is known yet; when it is, ``case_state.judge_id`` follows. ``case_received`` reads the same row
when it records the case, so an assignment that overtook its case is applied then, without retries and
without ever reaching the dead-letter queue. A new judge of a recorded case is a state change: it is appended
to the case's ledger (``case.assigned``) in the same transaction; an early assignment enters the ledger with
the case's ``case.received`` entry. Both transactions take the case's advisory lock, so neither
can miss the other's write. The MongoDB dossier converges the same way: an early assignment leaves a stub
that the case fills in (``domain.dossier``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ecourt_casefile import ledger
from ecourt_casefile.adapters import procedure as steps_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.domain.dossier import DossierConflict, apply_case_assigned
from ecourt_casefile.service_layer.receiving import CONSUMER
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1
from ecourt_shared.db import UnitOfWorkFactory


def assign_judge(event: CaseAssignedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory, dossiers: DossierStore,
                 now: Callable[[], datetime]) -> None:
    with uows() as uow:
        if repository.already_processed(uow, CONSUMER, envelope.event_id):
            return
        held_by = steps_repo.courts_of(uow, event.case_id)  # courts of every stage: a case may have moved
    try:
        dossiers.change(event.case_id, lambda doc: apply_case_assigned(doc, event, envelope.event_id, held_by))
    except DossierConflict as exc:
        raise PoisonEvent(f"case {event.case_id}: {exc}") from exc

    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        repository.lock_case(uow, event.case_id)
        state = repository.case_state_of(uow, event.case_id)
        if state is not None and state.court_id != event.court_id and event.court_id in held_by:
            uow.commit()  # an assignment at a court the case has left (an earlier stage): history only
            return
        if state is not None and state.court_id != event.court_id:
            raise PoisonEvent(f"case {event.case_id} belongs to court {state.court_id}, "
                              f"the assignment says {event.court_id}")
        # the trial panel and the clerk (assignment's panel draw or a member's replacement), sitting members only:
        # kept with the assignment so a panel announced before casefile has the case is applied when it arrives
        panel = None if event.panel is None else [m.member_id for m in event.panel if not m.substitute]
        latest = repository.record_assignment(uow, repository.Assignment(
            case_id=event.case_id, court_id=event.court_id, judge_id=event.judge_id,
            assigned_at=event.assigned_at, event_id=envelope.event_id, panel=panel,
            clerk_id=event.clerk_id if panel is not None else None))
        if latest and state is not None:
            instant = now()
            if panel is None or state.judge_id != event.judge_id:
                repository.set_judge(uow, event.case_id, event.judge_id, instant)
                ledger.append(uow, event.case_id, event.court_id, "case.assigned", {
                    "event_id": envelope.event_id, "judge_id": event.judge_id, "previous_judge_id": state.judge_id,
                    "method": event.method, "draw_id": event.draw_id, "assigned_by": event.assigned_by,
                    "assigned_at": event.assigned_at}, instant)
            if panel is not None:
                repository.set_panel(uow, event.case_id, panel, event.clerk_id, instant)
                ledger.append(uow, event.case_id, event.court_id, "case.panel", {
                    "event_id": envelope.event_id, "panel": panel, "previous_panel": list(state.panel),
                    "clerk_id": event.clerk_id, "previous_clerk_id": state.clerk_id,
                    "panel_draw_id": event.panel_draw_id, "assigned_by": event.assigned_by,
                    "assigned_at": event.assigned_at}, instant)
        uow.commit()
