"""Registering what arrives: validate everything, store the scans, then write the register entry at once.

As for petitions, nothing is written before validation passes; scans are stored content-addressed first
(a failed transaction leaves at most an unreferenced blob that a retry reuses); the entry, its parties,
documents, reception number and ``ReceptionRegisteredV1`` commit together.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ecourt_intake.adapters import registry, repository
from ecourt_intake.adapters.orm import cases, reception_documents, reception_parties, receptions
from ecourt_intake.domain.attachments import CheckedFile
from ecourt_intake.domain.clock import legal_day
from ecourt_intake.domain.parties import PartyDetails
from ecourt_intake.domain.reception import validate_reception
from ecourt_intake.service_layer.idempotency import fingerprint, replay
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.contracts.events import DocumentRefV1
from ecourt_shared.contracts.reception import (
    DuplicateSuggestionV1,
    ReceptionRegisteredV1,
    ReceptionResultV1,
    ReceptionV1,
)
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.storage import ObjectStore, StoredObject


@dataclass
class Entry:
    """What the register records, however the item came in (``register_reception`` or ``file_petition``)."""

    kind: str
    case_type: str | None
    stage: str | None
    subject: str
    channel: str
    received_at: datetime
    counts_from: date
    counting_basis: str
    parties: list[tuple[str, str | None, PartyDetails | None]]  # (role, party_id, details)
    files: list[tuple[CheckedFile, StoredObject, str, str]]  # (checked, stored, title, filename)
    sender: str | None = None
    related_case_id: str | None = None
    related_case_ref: str | None = None
    postmark_date: date | None = None
    detention_certified_date: date | None = None
    submitted_at: datetime | None = None
    party_roles: list[tuple[str, str]] = field(default_factory=list)
    documents: list[DocumentRefV1] = field(default_factory=list)
    suggestions: list[DuplicateSuggestionV1] = field(default_factory=list)


def reception_number(seq: int, year: int) -> str:
    """The register's own number, ``TN2026-000123``: per court and year, gap-free like official numbers."""
    return f"TN{year}-{seq:06d}"


def _party_ids(uow: UnitOfWork, actor: Principal, entry: Entry) -> None:
    for i, (role, party_id, details) in enumerate(entry.parties):
        if party_id is not None:
            if registry.get_visible(uow, actor.court_id, party_id) is None:
                raise RequestRejected.single(f"parties.{i}.party_id", "party.not_found",
                                             f"Không có đương sự {party_id} trong sổ của Tòa án.",
                                             f"no registered party {party_id} in this court's registry")
            resolved = registry.resolve(uow, party_id)
        else:
            assert details is not None
            suggestions = registry.possible_duplicates(uow, actor.court_id, details) if details.identity is None else []
            resolved, _ = registry.register(uow, actor.court_id, details, actor.user_id, entry.received_at)
            entry.suggestions += [DuplicateSuggestionV1(input_index=i, party_id=s.party_id, full_name=s.full_name,
                                                        date_of_birth=s.date_of_birth) for s in suggestions]
        if (resolved, role) not in entry.party_roles:
            entry.party_roles.append((resolved, role))


def record_entry(uow: UnitOfWork, actor: Principal, entry: Entry) -> tuple[str, str]:
    """Write the register entry with its parties and documents; returns (reception_id, reception_number)."""
    if entry.related_case_id and entry.kind == "supplement":
        found = uow.execute(select(cases.c.case_id).where(cases.c.case_id == entry.related_case_id,
                                                          cases.c.court_id == actor.court_id)).scalar()
        if found is None:
            raise RequestRejected.single("related_case", "related_case.not_in_court",
                                         "Tài liệu bổ sung phải thuộc một vụ án Tòa án này đã thụ lý.",
                                         "a supplementary document must belong to a case this court accepted")
    year = legal_day(entry.received_at).year
    reception_id = f"R-{uuid.uuid4().hex[:16].upper()}"
    number = reception_number(repository.next_number(uow, actor.court_id, year, "RECEPTION"), year)
    _party_ids(uow, actor, entry)
    uow.execute(receptions.insert().values(
        reception_id=reception_id, court_id=actor.court_id, reception_number=number, kind=entry.kind,
        case_type=entry.case_type, stage=entry.stage, subject=entry.subject, channel=entry.channel,
        sender=entry.sender, related_case_id=entry.related_case_id, related_case_ref=entry.related_case_ref,
        received_at=entry.received_at, received_by=actor.user_id, counts_from=entry.counts_from,
        counting_basis=entry.counting_basis, postmark_date=entry.postmark_date,
        detention_certified_date=entry.detention_certified_date, submitted_at=entry.submitted_at,
        status="received"))
    for position, (party_id, role) in enumerate(entry.party_roles):
        uow.execute(reception_parties.insert().values(reception_id=reception_id, party_id=party_id, role=role,
                                                      position=position))
    for position, (checked, stored, title, filename) in enumerate(entry.files):
        doc = DocumentRefV1(document_id=f"D-{uuid.uuid4().hex[:16].upper()}", title=title, filename=filename,
                            content_type=checked.content_type, size_bytes=stored.size, sha256=stored.sha256,
                            page_count=checked.page_count, bucket=stored.bucket, object_key=stored.key)
        uow.execute(reception_documents.insert().values(reception_id=reception_id, position=position,
                                                        **doc.model_dump()))
        entry.documents.append(doc)
    uow.emit(ReceptionRegisteredV1(
        court_id=actor.court_id, reception_id=reception_id, reception_number=number, kind=entry.kind,
        case_type=entry.case_type, stage=entry.stage, channel=entry.channel,
        received_at=entry.received_at, counts_from=entry.counts_from,
        counting_basis=entry.counting_basis, related_case_id=entry.related_case_id,
        document_count=len(entry.documents), party_count=len(entry.party_roles)))
    return reception_id, number


def register_reception(item: ReceptionV1, actor: Principal, uows: UnitOfWorkFactory, store: ObjectStore,
                       now: Callable[[], datetime], max_attachment_bytes: int) -> ReceptionResultV1:
    court_id, request_sha = actor.court_id, fingerprint(item)
    with uows() as uow:
        previous = repository.stored_response(uow, court_id, item.idempotency_key)
    if previous is not None and previous[1]:
        return replay(ReceptionResultV1, previous, request_sha)
    received_at = now()
    valid = validate_reception(item, received_at, max_attachment_bytes)
    if isinstance(valid, list):
        raise RequestRejected.of(valid)
    files = [(checked, store.put_document(court_id, checked.data, checked.content_type), a.title, a.filename)
             for checked, a in zip(valid.attachments, item.attachments, strict=True)]
    entry = Entry(kind=item.kind, case_type=item.case_type, stage=valid.stage, subject=item.subject,
                  channel=item.channel, received_at=received_at, counts_from=valid.counts_from,
                  counting_basis=valid.counting_basis, parties=[(p.role, p.party_id, p.details) for p in valid.parties],
                  files=files, sender=item.sender, related_case_id=valid.related_case_id,
                  related_case_ref=valid.related_case_ref, postmark_date=item.postmark_date,
                  detention_certified_date=item.detention_certified_date, submitted_at=item.submitted_at)
    with uows() as uow:
        if not repository.claim_idempotency_key(uow, court_id, item.idempotency_key, request_sha, received_at):
            uow.session.rollback()  # a twin committed first: answer with its result
            with uows() as again:
                previous = repository.stored_response(again, court_id, item.idempotency_key)
            assert previous is not None
            return replay(ReceptionResultV1, previous, request_sha)
        reception_id, number = record_entry(uow, actor, entry)
        result = ReceptionResultV1(
            reception_id=reception_id, reception_number=number, kind=item.kind, status="received",
            received_at=received_at, counts_from=valid.counts_from, counting_basis=valid.counting_basis,
            related_case_id=valid.related_case_id, party_ids=[p for p, _ in entry.party_roles],
            document_ids=[d.document_id for d in entry.documents], duplicate_suggestions=entry.suggestions)
        repository.save_response(uow, court_id, item.idempotency_key, result.model_dump(mode="json"))
        uow.commit()
    return result


def list_register(uows: UnitOfWorkFactory, actor: Principal, status: str | None, limit: int) -> list[dict[str, Any]]:
    with uows() as uow:
        query = select(receptions).where(receptions.c.court_id == actor.court_id)
        if status:
            query = query.where(receptions.c.status == status)
        rows = uow.execute(query.order_by(receptions.c.received_at.desc()).limit(min(limit, 500))).all()
        return [{k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in row._mapping.items()}
                for row in rows]


