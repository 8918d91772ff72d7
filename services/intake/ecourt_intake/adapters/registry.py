"""The party registry's reads and writes, inside a unit of work.

Each party row is the latest version; ``party_versions`` keeps every version (1 at registration).
A merge points the duplicate at its survivor (``merged_into``) and never rewrites references, so
:func:`resolve` follows the pointer and a revert restores exactly what was there.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_intake.adapters import case_staff
from ecourt_intake.adapters.orm import (
    case_parties,
    cases,
    parties,
    party_versions,
    reception_parties,
    receptions,
)
from ecourt_intake.domain.parties import PartyDetails
from ecourt_shared.db import UnitOfWork
from ecourt_shared.identifiers import search_key

DETAIL_COLUMNS = ("kind", "full_name", "cccd", "date_of_birth", "birth_year", "sex", "phone_e164", "address",
                  "tax_code", "bar_number", "procuracy_code")


def snapshot(row: Any) -> dict[str, Any]:
    data = {column: getattr(row, column) for column in DETAIL_COLUMNS}
    data["date_of_birth"] = data["date_of_birth"].isoformat() if data["date_of_birth"] else None
    return data


def visible_to(court_id: str) -> Any:
    """A court sees the parties it registered, those in its receptions or cases, and those of the cases it was
    assigned (the appellate court after an appeal, a court the case was transferred to: ``case_staff``)."""
    in_reception = exists().where(reception_parties.c.party_id == parties.c.party_id,
                                  receptions.c.reception_id == reception_parties.c.reception_id,
                                  receptions.c.court_id == court_id)
    in_case = exists().where(case_parties.c.party_id == parties.c.party_id,
                             cases.c.case_id == case_parties.c.case_id, cases.c.court_id == court_id)
    in_assigned_case = case_staff.assigned_to_court(court_id, parties.c.party_id)  # held here after an appeal
    return or_(parties.c.court_id == court_id, in_reception, in_case, in_assigned_case)


def get_visible(uow: UnitOfWork, court_id: str, party_id: str, lock: bool = False) -> Any:
    query = select(parties).where(parties.c.party_id == party_id, visible_to(court_id))
    return uow.execute(query.with_for_update(of=parties) if lock else query).first()


def resolve(uow: UnitOfWork, party_id: str) -> str:
    """The party a reference means now: follows merges to the surviving entry."""
    seen = {party_id}
    while (target := uow.execute(select(parties.c.merged_into).where(parties.c.party_id == party_id)).scalar()):
        if target in seen:  # merges never form cycles (checked when merging); refuse to loop if one appears
            raise RuntimeError(f"merge cycle at party {party_id}")
        seen.add(target)
        party_id = target
    return party_id


def find_by_identity(uow: UnitOfWork, column: str, value: str) -> str | None:
    found = uow.execute(select(parties.c.party_id).where(parties.c[column] == value)).scalar()
    return resolve(uow, str(found)) if found else None


def possible_duplicates(uow: UnitOfWork, court_id: str, details: PartyDetails) -> list[Any]:
    """People with the same name (without diacritics) and date of birth: suggested, never matched."""
    if details.kind != "person" or details.date_of_birth is None:
        return []
    return list(uow.execute(select(parties.c.party_id, parties.c.full_name, parties.c.date_of_birth).where(
        parties.c.name_search_key == search_key(details.full_name), parties.c.date_of_birth == details.date_of_birth,
        parties.c.kind == "person", parties.c.merged_into.is_(None), visible_to(court_id))
        .order_by(parties.c.created_at)).all())


def insert_version(uow: UnitOfWork, party_id: str, version: int, data: dict[str, Any], changed: list[str],
                   reason: str, actor: str, court_id: str, now: datetime) -> None:
    uow.execute(party_versions.insert().values(party_id=party_id, version=version, snapshot=data,
                                               changed_fields=changed, reason=reason, changed_by=actor,
                                               court_id=court_id, changed_at=now))


def register(uow: UnitOfWork, court_id: str, details: PartyDetails, actor: str, now: datetime) -> tuple[str, bool]:
    """(party_id, created): the existing party with the same identifier, or a new one registered once."""
    identity = details.identity
    if identity is not None and (existing := find_by_identity(uow, *identity)):
        return existing, False
    party_id = f"P-{uuid.uuid4().hex[:16].upper()}"
    stmt = insert(parties).values(party_id=party_id, court_id=court_id, created_at=now, version=1,
                                  name_search_key=search_key(details.full_name), **details.as_row())
    if identity is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=[identity[0]])
    if uow.execute(stmt.returning(parties.c.party_id)).first() is None:  # registered concurrently
        assert identity is not None
        found = find_by_identity(uow, *identity)
        assert found is not None
        return found, False
    row = uow.execute(select(parties).where(parties.c.party_id == party_id)).one()
    insert_version(uow, party_id, 1, snapshot(row), [], "registered at reception", actor, court_id, now)
    return party_id, True


def search(uow: UnitOfWork, court_id: str, text: str, limit: int) -> list[Any]:
    key = search_key(text)
    words = [w for w in key.split() if w]
    conditions = [parties.c.name_search_key.like(f"%{w}%") for w in words]
    identifiers = [parties.c[c] == text.strip() for c in ("cccd", "tax_code", "bar_number", "procuracy_code")]
    return list(uow.execute(select(parties).where(or_(and_(*conditions), *identifiers) if words else or_(*identifiers),
                                                  visible_to(court_id))
                            .order_by(parties.c.name_search_key).limit(limit)).all())
