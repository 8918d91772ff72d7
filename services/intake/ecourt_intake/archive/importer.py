"""Recording a historical case: the original number and dates kept, a permanent id issued, one event.

Same order as a live filing (``service_layer.filing``): validate everything, store the bytes
content-addressed, then commit the case, its parties and documents, the number bookkeeping and the
``case_received`` event in one transaction. Idempotency uses the archive entry's identity (court and
official number) as the key in ``idempotency_keys``, so the identical case imported again, by any run
or process, returns the first result and emits nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_intake.adapters import repository
from ecourt_intake.adapters.orm import case_parties, cases, documents, number_series
from ecourt_intake.archive.contract import ArchiveImportResultV1, HistoricalCaseV1
from ecourt_intake.archive.rules import ValidHistoricalCase, validate_historical_case
from ecourt_intake.domain.clock import COURT_TZ, legal_day
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.contracts.events import CaseReceivedV1, DocumentRefV1, PartyRefV1
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id, make_case_id
from ecourt_shared.identifiers.receipt import new_receipt_secret, receipt_secret_hash
from ecourt_shared.storage import ObjectStore, StoredObject

CHANNEL = "archive"


def import_historical_case(case: HistoricalCaseV1, actor: Principal, uows: UnitOfWorkFactory,
                           store: ObjectStore, now: Callable[[], datetime],
                           max_bytes: int) -> ArchiveImportResultV1:
    court_id = actor.court_id
    valid = validate_historical_case(case, court_id, legal_day(now()), max_bytes)
    if isinstance(valid, list):
        raise RequestRejected.of(valid)
    key, fingerprint = valid.idempotency_key, valid.fingerprint()
    with uows() as uow:
        previous = repository.stored_response(uow, court_id, key)
    if previous is not None and previous[1]:
        return _replay(previous, fingerprint, valid)

    stored = [store.put_document(court_id, d.pdf.data, "application/pdf") for d in valid.documents]
    with uows() as uow:
        instant = now()
        if not repository.claim_idempotency_key(uow, court_id, key, fingerprint, instant):
            uow.session.rollback()  # a twin committed first: answer with its result
            with uows() as again:
                previous = repository.stored_response(again, court_id, key)
            assert previous is not None
            return _replay(previous, fingerprint, valid)
        taken = uow.execute(select(cases.c.case_id).where(
            cases.c.court_id == court_id, cases.c.acceptance_number == valid.acceptance_number)).scalar()
        if taken is not None:
            raise _number_taken(valid, str(taken))  # the unit of work rolls the key claim back
        result = _record_case(uow, valid, actor, instant, stored)
        repository.save_response(uow, court_id, key, result.model_dump(mode="json"))
        uow.commit()
    return result


def _number_taken(valid: ValidHistoricalCase, case_id: str) -> RequestRejected:
    number = valid.acceptance_number
    return RequestRejected.single(
        "acceptance_number", "archive.acceptance_number.already_used",
        f"số thụ lý {number} của tòa {valid.court_id} đã thuộc vụ án khác ({format_case_id(case_id)}) "
        f"hoặc đã được nhập với nội dung khác",
        f"acceptance number {number} of court {valid.court_id} already belongs to another case "
        f"({format_case_id(case_id)}) or was imported with different content")


def _replay(previous: tuple[str, dict[str, Any]], fingerprint: str,
            valid: ValidHistoricalCase) -> ArchiveImportResultV1:
    if previous[0] != fingerprint:
        raise _number_taken(valid, str(previous[1]["case_id"]))
    return ArchiveImportResultV1.model_validate({**previous[1], "replayed": True})


def _raise_series_to(uow: UnitOfWork, court_id: str, valid: ValidHistoricalCase) -> None:
    """Live numbering of that year continues after the highest imported number, never reusing one."""
    number = valid.number
    stmt = insert(number_series).values(court_id=court_id, year=number.year,
                                        series=f"{number.kind}-{number.case_type}", last_value=number.sequence)
    uow.execute(stmt.on_conflict_do_update(
        index_elements=["court_id", "year", "series"],
        set_={"last_value": func.greatest(number_series.c.last_value, stmt.excluded.last_value)}))


def _record_case(uow: UnitOfWork, valid: ValidHistoricalCase, actor: Principal, instant: datetime,
                 stored: list[StoredObject]) -> ArchiveImportResultV1:
    court_id, case, number = actor.court_id, valid.case, valid.number
    accepted_on = case.accepted_on
    # The paper file records the day, not the hour: the acceptance counts from the start of that legal day.
    accepted_at = datetime.combine(accepted_on, time(0), tzinfo=COURT_TZ).astimezone(UTC)
    case_id = make_case_id(court_id, number.year, repository.next_number(uow, court_id, number.year, "CASE"))
    _raise_series_to(uow, court_id, valid)
    # Nobody holds a receipt for a paper-era case: the hash of a secret never disclosed keeps the portal
    # closed for it until the court issues a receipt.
    secret_hash = receipt_secret_hash(new_receipt_secret())
    uow.execute(cases.insert().values(
        case_id=case_id, court_id=court_id, acceptance_number=valid.acceptance_number,
        case_type=number.case_type, stage=number.stage, subject=case.subject, channel=CHANNEL,
        accepted_at=accepted_at, accepted_on=accepted_on, accepted_by=actor.user_id,
        receipt_secret_hash=secret_hash))
    party_refs: list[PartyRefV1] = []
    for party, cccd in valid.parties:
        party_id = repository.upsert_party(uow, court_id, party, instant)
        minor = cccd.is_minor(accepted_on)
        if any(ref.party_id == party_id and ref.role == party.role for ref in party_refs):
            continue  # the same person listed twice in one role is one party of the case
        uow.execute(case_parties.insert().values(case_id=case_id, party_id=party_id, role=party.role,
                                                 is_minor=minor))
        party_refs.append(PartyRefV1(party_id=party_id, role=party.role, is_minor=minor))
    refs = [DocumentRefV1(document_id=f"D-{uuid.uuid4().hex[:16].upper()}", title=doc.title, filename=doc.filename,
                          content_type="application/pdf", size_bytes=obj.size, sha256=obj.sha256,
                          page_count=doc.pdf.page_count, bucket=obj.bucket, object_key=obj.key)
            for doc, obj in zip(valid.documents, stored, strict=True)]
    for ref in refs:
        uow.execute(documents.insert().values(case_id=case_id, **ref.model_dump()))
    uow.emit(CaseReceivedV1(
        court_id=court_id, case_id=case_id, acceptance_number=valid.acceptance_number,
        case_type=number.case_type, stage=number.stage, subject=case.subject, accepted_at=accepted_at,
        accepted_on=accepted_on, parties=party_refs, documents=refs, receipt_secret_hash=secret_hash,
        origin="archive"))
    return ArchiveImportResultV1(
        case_id=case_id, case_code=format_case_id(case_id), acceptance_number=valid.acceptance_number,
        accepted_on=accepted_on, party_ids=[p.party_id for p in party_refs],
        document_ids=[r.document_id for r in refs])
