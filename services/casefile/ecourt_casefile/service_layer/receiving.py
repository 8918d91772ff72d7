"""Opening the dossier of a case intake accepted (``case_received``).

Order matters, and every step is safe to redo:

1. A redelivery already claimed in PostgreSQL stops here (the rest was done before the claim committed).
2. Each document is checked in the object store: in the court's bucket, present, same SHA-256 and size.
   A missing object is retried (``DocumentUnavailable``); different bytes, or another bucket, can never
   become right, so the event is dead-lettered at once (``PoisonEvent``) for an operator to look at.
3. The MongoDB dossier is written (compare-and-swap, idempotent, keeps an assignment that came first).
   It is written before the claim, so a failure after it only causes a harmless redo.
4. One PostgreSQL transaction: claim the event, record the case state ("preparing") with the judge of
   any assignment that arrived first, store the first statutory deadline, append the case's first ledger
   entries (``case.received``, then one ``document.version`` per document), and emit ``case_progressed``
   through the outbox. All or nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from ecourt_casefile import ledger
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.objects import read_document
from ecourt_casefile.domain.deadlines import Deadline, DeadlineError, compute_first_deadline
from ecourt_casefile.domain.documents import content_mismatch, misplaced
from ecourt_casefile.domain.dossier import DossierConflict, apply_case_received
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseProgressedV1, CaseReceivedV1, DeadlineV1
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError
from ecourt_shared.storage import ObjectStore

log = logging.getLogger(__name__)

CONSUMER = "casefile"
STATUS_PREPARING = "preparing"

FirstDeadline = Callable[[str, str, date], Deadline]


def verify_documents(event: CaseReceivedV1, store: ObjectStore) -> None:
    for ref in event.documents:
        problem = misplaced(ref, event.court_id)
        if problem is None:
            problem = content_mismatch(ref, read_document(store, ref))
        if problem is not None:
            raise PoisonEvent(f"case {event.case_id}: {problem}")


def first_deadline(event: CaseReceivedV1, compute: FirstDeadline) -> Deadline | None:
    """The preparation deadline, or None when the engine has no answer (logged, the case is still recorded).

    No answer is a fact about the legal data, not about this event: a criminal case needs its crime
    category, a date beyond the loaded holiday calendar needs next year's data. Refusing the case for it
    would hide the whole dossier; recording it without a deadline shows the gap to the clerk instead.
    """
    try:
        return compute(event.case_type, event.stage, event.accepted_on)
    except DeadlineError as exc:
        log.warning("case %s: no first deadline (%s): %s", event.case_id, exc.code, exc.message_en)
        return None


def record_in_ledger(uow: UnitOfWork, event: CaseReceivedV1, envelope: EventEnvelope, judge_id: str | None,
                     deadline: Deadline | None, at: datetime) -> None:
    """The case's first ledger entries: the state it is recorded in, then version 1 of each document."""
    ledger.append(uow, event.case_id, event.court_id, "case.received", {
        "event_id": envelope.event_id, "acceptance_number": event.acceptance_number,
        "case_type": event.case_type, "stage": event.stage, "status": STATUS_PREPARING,
        "accepted_at": event.accepted_at, "accepted_on": event.accepted_on, "judge_id": judge_id,
        "parties": [{"party_id": p.party_id, "role": p.role} for p in event.parties],
        "deadline": None if deadline is None else {
            "rule_id": deadline.rule_id, "due_on": deadline.due_on, "legal_basis_vi": deadline.legal_basis_vi}}, at)
    for ref in event.documents:
        ledger.append(uow, event.case_id, event.court_id, "document.version", {
            "document_id": ref.document_id, "version": 1, "sha256": ref.sha256, "size_bytes": ref.size_bytes,
            "content_type": ref.content_type, "bucket": ref.bucket, "object_key": ref.object_key,
            "title": ref.title}, at)


def receive_case(event: CaseReceivedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory, dossiers: DossierStore,
                 store: ObjectStore, now: Callable[[], datetime],
                 compute: FirstDeadline = compute_first_deadline) -> None:
    with uows() as uow:
        if repository.already_processed(uow, CONSUMER, envelope.event_id):
            return
    verify_documents(event, store)
    try:
        dossiers.change(event.case_id, lambda doc: apply_case_received(doc, event, envelope.event_id))
    except (DossierConflict, IdentifierError) as exc:
        raise PoisonEvent(f"case {event.case_id}: {exc}") from exc
    # A historical case from the archive import: its statutory periods ran long ago, so computing them now
    # would only raise "missed" alarms; the court records its steps when it works on the case again.
    deadline = None if event.origin == "archive" else first_deadline(event, compute)

    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return  # a twin delivery committed first
        repository.lock_case(uow, event.case_id)
        instant = now()
        pending = repository.latest_assignment(uow, event.case_id)
        early = pending if pending is not None and pending.court_id == event.court_id else None
        judge_id = early.judge_id if early is not None else None
        created = repository.insert_case_state(uow, repository.CaseState(
            case_id=event.case_id, court_id=event.court_id, case_type=event.case_type, stage=event.stage,
            status=STATUS_PREPARING, accepted_on=event.accepted_on, judge_id=judge_id, updated_at=instant,
            panel=(early.panel or []) if early is not None else [],
            clerk_id=early.clerk_id if early is not None else None))
        if not created:
            log.warning("case %s is already recorded; event %s only claimed", event.case_id, envelope.event_id)
            uow.commit()
            return
        if deadline is not None:
            repository.save_deadline(uow, event.case_id, deadline, instant, trigger_on=event.accepted_on,
                                     rule_stage=event.stage)
        record_in_ledger(uow, event, envelope, judge_id, deadline, instant)
        uow.emit(CaseProgressedV1(
            court_id=event.court_id, case_id=event.case_id, case_type=event.case_type, stage=event.stage,
            status=STATUS_PREPARING,
            deadline=None if deadline is None else DeadlineV1(
                rule_id=deadline.rule_id, due_on=deadline.due_on, legal_basis_vi=deadline.legal_basis_vi,
                legal_basis_en=deadline.legal_basis_en)))
        uow.commit()
