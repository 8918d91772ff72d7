"""Filing a petition in one step: register it and accept it (thụ lý) in the same transaction.

This is the console's and the e-filing gateway's path. It is the reception register plus an ``accept``
decision, so the register, the decision log and ``CaseReceivedV1`` are the same as for a two-step
reception. Validation runs before anything is written, so a refused filing leaves nothing anywhere; the
attachment is stored content-addressed before the transaction (a failed transaction leaves only an
unreferenced blob that a retry reuses).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from ecourt_intake.adapters import repository
from ecourt_intake.adapters.orm import receptions
from ecourt_intake.domain.attachments import CheckedFile
from ecourt_intake.domain.clock import legal_day
from ecourt_intake.domain.parties import PartyDetails
from ecourt_intake.domain.petition import validate_petition
from ecourt_intake.domain.reception import counting_date
from ecourt_intake.domain.rules import kind_rule
from ecourt_intake.service_layer.decisions import apply_decision
from ecourt_intake.service_layer.idempotency import fingerprint, replay
from ecourt_intake.service_layer.reception import Entry, record_entry
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.contracts.intake import FilingResultV1, PetitionV1
from ecourt_shared.contracts.reception import ReceptionDecisionV1, ReceptionV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.storage import ObjectStore

request_fingerprint = fingerprint


def file_petition(petition: PetitionV1, actor: Principal, uows: UnitOfWorkFactory, store: ObjectStore,
                  now: Callable[[], datetime], max_attachment_bytes: int) -> FilingResultV1:
    court_id = actor.court_id
    request_sha = fingerprint(petition)
    with uows() as uow:
        previous = repository.stored_response(uow, court_id, petition.idempotency_key)
    if previous is not None and previous[1]:
        return replay(FilingResultV1, previous, request_sha)

    instant = now()
    valid = validate_petition(petition, max_attachment_bytes)
    kind = "administrative_petition" if petition.case_type == "HC" else "petition"
    counted = counting_date(ReceptionV1.model_construct(channel=petition.channel, postmark_date=petition.postmark_date,
                                                        detention_certified_date=None, submitted_at=None), instant)
    errors = (valid if isinstance(valid, list) else []) + (counted if isinstance(counted, list) else [])
    if errors:
        raise RequestRejected.of(errors)
    assert not isinstance(valid, list) and not isinstance(counted, list)
    stored = store.put_document(court_id, valid.attachment.data, "application/pdf")
    entry = Entry(
        kind=kind, case_type=petition.case_type, stage=kind_rule(kind)["stage"], subject=petition.subject,
        channel=petition.channel, received_at=instant, counts_from=counted[0], counting_basis=counted[1],
        parties=[(p.role, None, PartyDetails(kind="person", full_name=p.full_name, cccd=p.cccd,
                                             date_of_birth=p.date_of_birth, birth_year=p.birth_year, sex=p.sex,
                                             phone_e164=p.phone_e164, address=p.address)) for p in valid.parties],
        files=[(CheckedFile(valid.attachment.data, "application/pdf", valid.attachment.page_count), stored,
                petition.attachment.title, petition.attachment.filename)],
        postmark_date=petition.postmark_date)

    with uows() as uow:
        if not repository.claim_idempotency_key(uow, court_id, petition.idempotency_key, request_sha, instant):
            uow.session.rollback()  # a twin committed first: answer with its result
            with uows() as again:
                previous = repository.stored_response(again, court_id, petition.idempotency_key)
            assert previous is not None
            return replay(FilingResultV1, previous, request_sha)
        reception_id, number = record_entry(uow, actor, entry)
        row = uow.execute(select(receptions).where(receptions.c.reception_id == reception_id)).one()
        decided = apply_decision(uow, actor, row, ReceptionDecisionV1(reception_id=reception_id, decision="accept"),
                                 instant)
        assert decided.case_id and decided.case_code and decided.acceptance_number and decided.receipt_secret
        result = FilingResultV1(
            case_id=decided.case_id, case_code=decided.case_code, acceptance_number=decided.acceptance_number,
            accepted_at=instant, accepted_on=legal_day(instant), receipt_secret=decided.receipt_secret,
            document_ids=[d.document_id for d in entry.documents], party_ids=[p for p, _ in entry.party_roles],
            reception_id=reception_id, reception_number=number)
        repository.save_response(uow, court_id, petition.idempotency_key, result.model_dump(mode="json"))
        uow.commit()
    return result

