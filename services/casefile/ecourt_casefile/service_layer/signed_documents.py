"""Signed and sealed court documents reach the dossier (``document_signed``, ``document_sealed`` from signing).

The same order as ``receiving``, every step safe to redo:

1. A redelivery already claimed in PostgreSQL stops here.
2. The case must be recorded (``case_state``): an event that overtook its ``case_received`` is retried
   (``CaseNotYetReceived``), as is a seal that overtook the signature that put the document in effect.
   A case held by another court can never apply: dead-lettered at once (``PoisonEvent``).
3. The signed PDF (and the seal scan) is read from the court's bucket and must hash to the SHA-256 and
   size the event carries: a missing object is retried (``DocumentUnavailable``); other bytes, another
   bucket, or no object reference at all (an event from before signing stored its versions there) can
   never become right and are dead-lettered at once for an operator.
4. The MongoDB dossier is changed (idempotent, order-independent: ``domain.document_versions``).
5. One PostgreSQL transaction: claim the event and append the case's ledger entry
   (``document.signed`` / ``document.sealed``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from ecourt_casefile import ledger
from ecourt_casefile.adapters import procedure as steps_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.objects import DocumentUnavailable
from ecourt_casefile.domain.document_versions import apply_document_sealed, apply_document_signed, find_document
from ecourt_casefile.domain.dossier import Dossier, DossierConflict, is_complete
from ecourt_casefile.service_layer.receiving import CONSUMER
from ecourt_shared.attachments import check_pdf
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.contracts.signing import DocumentSealedV1, DocumentSignedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id
from ecourt_shared.storage import ObjectStore, court_bucket


class CaseNotYetReceived(RuntimeError):
    """The case (or the signed document a seal is about) is not in the dossier yet: retried, it will come."""


def canonical(case_id: str) -> str:
    try:
        return parse_case_id(case_id).canonical
    except IdentifierError as exc:
        raise PoisonEvent(f"case id {case_id!r}: {exc.message_en}") from exc


def _check_case(uows: UnitOfWorkFactory, case_id: str, court_id: str, event_id: str) -> bool:
    """False if the event was already applied; raises if the case cannot take it (yet or ever)."""
    with uows() as uow:
        if repository.already_processed(uow, CONSUMER, event_id):
            return False
        state = repository.case_state_of(uow, case_id)
        held_by = steps_repo.courts_of(uow, case_id)
    if state is None:
        raise CaseNotYetReceived(f"case {case_id} is not recorded yet")
    if court_id != state.court_id and court_id not in held_by:
        raise PoisonEvent(f"case {case_id} belongs to court {state.court_id}, the event says {court_id}")
    return True


def stored_bytes(store: ObjectStore, court_id: str, what: str, bucket: str | None, key: str | None,
                 sha256: str, size: int | None) -> bytes:
    """The object's bytes if they are exactly what the event describes; else why not (retry or dead letter)."""
    if bucket is None or key is None:
        raise PoisonEvent(f"{what}: the event has no object reference (signed before versions were stored in "
                          f"the object store); attach it by hand")
    if bucket != court_bucket(court_id):
        raise PoisonEvent(f"{what} is in bucket {bucket!r}, not in the court's bucket {court_bucket(court_id)!r}")
    if not store.exists(bucket, key):
        raise DocumentUnavailable(f"{what}: no object {bucket}/{key}")
    data = store.get(bucket, key)
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256.lower():
        raise PoisonEvent(f"{what} ({bucket}/{key}) has sha256 {actual}, the event says {sha256}")
    if size is not None and len(data) != size:
        raise PoisonEvent(f"{what} has {len(data)} bytes, the event says {size}")
    return data


def record_signed(event: DocumentSignedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory,
                  dossiers: DossierStore, store: ObjectStore, now: Callable[[], datetime]) -> None:
    case_id = canonical(event.case_id)
    if not _check_case(uows, case_id, event.court_id, envelope.event_id):
        return
    what = f"signed document {event.document_id} version {event.version_no}"
    data = stored_bytes(store, event.court_id, what, event.bucket, event.object_key, event.sha256, event.size_bytes)
    checked = check_pdf(data, len(data), "signed_pdf")
    if isinstance(checked, FieldError):
        raise PoisonEvent(f"{what} is not a readable PDF: {checked.message_en}")
    pages = checked.page_count
    try:
        dossiers.change(case_id, lambda doc: _signed(doc, case_id, event, envelope.event_id, pages))
    except DossierConflict as exc:
        raise PoisonEvent(f"case {case_id}: {exc}") from exc

    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        repository.lock_case(uow, case_id)
        ledger.append(uow, case_id, event.court_id, "document.signed", {
            "event_id": envelope.event_id, "document_id": event.document_id, "kind": event.kind,
            "title": event.title, "version": event.version_no, "sha256": event.sha256.lower(),
            "size_bytes": event.size_bytes, "bucket": event.bucket, "object_key": event.object_key,
            "step": event.step, "signer_user_id": event.signer_user_id, "signer_role": event.signer_role,
            "signer_name": event.signer_name, "certificate_serial": event.certificate_serial,
            "signed_at": event.signed_at, "in_effect": event.in_effect}, now())
        uow.commit()


def _signed(doc: Dossier | None, case_id: str, event: DocumentSignedV1, event_id: str, pages: int) -> Dossier:
    if not is_complete(doc):
        raise CaseNotYetReceived(f"the dossier of case {case_id} is not complete yet")
    assert doc is not None
    return apply_document_signed(doc, event, event_id, pages)


def record_sealed(event: DocumentSealedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory,
                  dossiers: DossierStore, store: ObjectStore, now: Callable[[], datetime]) -> None:
    case_id = canonical(event.case_id)
    if not _check_case(uows, case_id, event.court_id, envelope.event_id):
        return
    if event.scan_object_key is not None:  # events from before scans were stored carry only the hash
        stored_bytes(store, event.court_id, f"seal scan of document {event.document_id}", event.scan_bucket,
                     event.scan_object_key, event.scan_sha256, event.scan_size_bytes)

    def sealed(doc: Dossier | None) -> Dossier:
        if not is_complete(doc) or find_document(doc, event.document_id) is None:
            raise CaseNotYetReceived(f"document {event.document_id} is not in the dossier of {case_id} yet")
        assert doc is not None
        return apply_document_sealed(doc, event, envelope.event_id)
    dossiers.change(case_id, sealed)

    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        repository.lock_case(uow, case_id)
        ledger.append(uow, case_id, event.court_id, "document.sealed", {
            "event_id": envelope.event_id, "document_id": event.document_id, "kind": event.kind,
            "title": event.title, "sealed_by": event.sealed_by, "sealed_by_name": event.sealed_by_name,
            "sealed_at": event.sealed_at, "scan_sha256": event.scan_sha256.lower(),
            "scan_bucket": event.scan_bucket, "scan_object_key": event.scan_object_key}, now())
        uow.commit()
