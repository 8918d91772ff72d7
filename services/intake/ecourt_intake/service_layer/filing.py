"""Filing a petition: validate everything, store the bytes, then commit the case and its event at once.

Order matters. Validation runs before anything is written, so a refused filing leaves nothing
anywhere. The attachment is stored content-addressed before the transaction: if the transaction then
fails, the only trace is an unreferenced blob that a retry reuses. The case, its parties, documents,
numbers and the ``case_received`` event commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime

from ecourt_intake.adapters import repository
from ecourt_intake.adapters.orm import case_parties, cases, documents
from ecourt_intake.domain.clock import legal_day
from ecourt_intake.domain.petition import ValidPetition, validate_petition
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import Conflict, RequestRejected
from ecourt_shared.contracts.events import CaseReceivedV1, DocumentRefV1, PartyRefV1
from ecourt_shared.contracts.intake import FilingResultV1, PetitionV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import format_acceptance_number, format_case_id, make_case_id
from ecourt_shared.identifiers.receipt import new_receipt_secret, receipt_secret_hash
from ecourt_shared.storage import ObjectStore

STAGE = "ST"  # the walking skeleton receives first-instance petitions


def request_fingerprint(petition: PetitionV1) -> str:
    body = petition.model_dump(mode="json", exclude={"idempotency_key"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def file_petition(petition: PetitionV1, actor: Principal, uows: UnitOfWorkFactory, store: ObjectStore,
                  now: Callable[[], datetime], max_attachment_bytes: int) -> FilingResultV1:
    court_id = actor.court_id
    fingerprint = request_fingerprint(petition)
    with uows() as uow:
        previous = repository.stored_response(uow, court_id, petition.idempotency_key)
    if previous is not None and previous[1]:
        return _replay(previous, fingerprint)

    valid = validate_petition(petition, max_attachment_bytes)
    if isinstance(valid, list):
        raise RequestRejected.of(valid)
    stored = store.put_document(court_id, valid.attachment.data, "application/pdf")

    with uows() as uow:
        instant = now()
        if not repository.claim_idempotency_key(uow, court_id, petition.idempotency_key, fingerprint, instant):
            uow.session.rollback()  # a twin committed first: answer with its result
            with uows() as again:
                previous = repository.stored_response(again, court_id, petition.idempotency_key)
            assert previous is not None
            return _replay(previous, fingerprint)
        result = _record_case(uow, valid, actor, instant, stored)
        repository.save_response(uow, court_id, petition.idempotency_key, result.model_dump(mode="json"))
        uow.commit()
    return result


def _replay(previous: tuple[str, dict[str, object]], fingerprint: str) -> FilingResultV1:
    if previous[0] != fingerprint:
        raise Conflict({"errors": [{
            "field": "idempotency_key", "code": "idempotency_key.reused",
            "message_vi": "Khóa chống trùng lặp đã được dùng cho một hồ sơ khác.",
            "message_en": "this idempotency key was already used for a different filing"}]})
    return FilingResultV1.model_validate({**previous[1], "replayed": True})


def _record_case(uow, valid: ValidPetition, actor: Principal, instant: datetime, stored) -> FilingResultV1:
    petition, court_id = valid.petition, actor.court_id
    accepted_on = legal_day(instant)
    year = accepted_on.year
    case_id = make_case_id(court_id, year, repository.next_number(uow, court_id, year, "CASE"))
    acceptance = format_acceptance_number(
        repository.next_number(uow, court_id, year, f"TL{STAGE}-{petition.case_type}"), year, STAGE,
        petition.case_type)
    secret = new_receipt_secret()
    uow.execute(cases.insert().values(
        case_id=case_id, court_id=court_id, acceptance_number=acceptance, case_type=petition.case_type,
        stage=STAGE, subject=petition.subject, channel=petition.channel, accepted_at=instant,
        accepted_on=accepted_on, accepted_by=actor.user_id, receipt_secret_hash=receipt_secret_hash(secret)))
    party_refs = []
    for party in valid.parties:
        party_id = repository.upsert_party(uow, court_id, party, instant)
        minor = valid.is_minor(party, accepted_on)
        uow.execute(case_parties.insert().values(case_id=case_id, party_id=party_id, role=party.role,
                                                 is_minor=minor))
        party_refs.append(PartyRefV1(party_id=party_id, role=party.role, is_minor=minor))
    document = DocumentRefV1(
        document_id=f"D-{uuid.uuid4().hex[:16].upper()}", title=petition.attachment.title,
        filename=petition.attachment.filename, content_type="application/pdf", size_bytes=stored.size,
        sha256=stored.sha256, page_count=valid.attachment.page_count, bucket=stored.bucket, object_key=stored.key)
    uow.execute(documents.insert().values(case_id=case_id, **document.model_dump()))
    uow.emit(CaseReceivedV1(
        court_id=court_id, case_id=case_id, acceptance_number=acceptance, case_type=petition.case_type,
        stage=STAGE, subject=petition.subject, accepted_at=instant, accepted_on=accepted_on, parties=party_refs,
        documents=[document], receipt_secret_hash=receipt_secret_hash(secret)))
    return FilingResultV1(
        case_id=case_id, case_code=format_case_id(case_id), acceptance_number=acceptance, accepted_at=instant,
        accepted_on=accepted_on, receipt_secret=secret, document_ids=[document.document_id],
        party_ids=[p.party_id for p in party_refs])
