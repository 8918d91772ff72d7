"""Opening a case at acceptance (thụ lý): permanent id, official acceptance number, ``CaseReceivedV1``.

Runs inside the accepting transaction; the number series rows stay locked until it commits, so numbers
are gap-free and never repeat however many receptions are accepted at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ecourt_intake.adapters import repository
from ecourt_intake.adapters.orm import case_parties, cases, documents, parties
from ecourt_intake.domain.clock import legal_day
from ecourt_intake.domain.parties import PartyDetails
from ecourt_intake.domain.rules import reception_rules
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.events import CaseReceivedV1, DocumentRefV1, PartyRefV1
from ecourt_shared.db import UnitOfWork
from ecourt_shared.identifiers import format_acceptance_number, format_case_id, make_case_id
from ecourt_shared.identifiers.receipt import new_receipt_secret, receipt_secret_hash


@dataclass(frozen=True)
class OpenedCase:
    case_id: str
    case_code: str
    acceptance_number: str
    accepted_at: datetime
    receipt_secret: str
    party_refs: list[PartyRefV1]


def _is_minor(uow: UnitOfWork, party_id: str, on: object) -> bool:
    row = uow.execute(select(parties).where(parties.c.party_id == party_id)).one()
    details = PartyDetails(kind=row.kind, full_name=row.full_name, date_of_birth=row.date_of_birth,
                           birth_year=row.birth_year)
    return details.is_minor(on)


def open_case(uow: UnitOfWork, actor: Principal, *, case_type: str, stage: str, subject: str, channel: str,
              reception_id: str | None, party_roles: list[tuple[str, str]], docs: list[DocumentRefV1],
              instant: datetime) -> OpenedCase:
    court_id = actor.court_id
    accepted_on = legal_day(instant)
    year = accepted_on.year
    case_id = make_case_id(court_id, year, repository.next_number(uow, court_id, year, "CASE"))
    acceptance = format_acceptance_number(
        repository.next_number(uow, court_id, year, f"TL{stage}-{case_type}"), year, stage, case_type)
    secret = new_receipt_secret()
    uow.execute(cases.insert().values(
        case_id=case_id, court_id=court_id, acceptance_number=acceptance, case_type=case_type, stage=stage,
        subject=subject, channel=channel, accepted_at=instant, accepted_on=accepted_on, accepted_by=actor.user_id,
        receipt_secret_hash=receipt_secret_hash(secret), reception_id=reception_id))
    case_roles = reception_rules()["case_roles"]
    refs: list[PartyRefV1] = []
    for party_id, role in party_roles:
        ref = PartyRefV1(party_id=party_id, role=case_roles[role], is_minor=_is_minor(uow, party_id, accepted_on))
        if any((r.party_id, r.role) == (ref.party_id, ref.role) for r in refs):
            continue
        uow.execute(case_parties.insert().values(case_id=case_id, party_id=party_id, role=ref.role,
                                                 is_minor=ref.is_minor))
        refs.append(ref)
    for doc in docs:
        uow.execute(documents.insert().values(case_id=case_id, **doc.model_dump()))
    uow.emit(CaseReceivedV1(
        court_id=court_id, case_id=case_id, acceptance_number=acceptance, case_type=case_type,
        stage=stage, subject=subject, accepted_at=instant, accepted_on=accepted_on,
        parties=refs, documents=docs, receipt_secret_hash=receipt_secret_hash(secret)))
    return OpenedCase(case_id, format_case_id(case_id), acceptance, instant, secret, refs)
