"""Reads and writes of intake's tables, inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from ecourt_intake.adapters.orm import idempotency_keys, number_series
from ecourt_intake.domain.parties import PartyDetails
from ecourt_intake.domain.petition import ValidParty
from ecourt_shared.db import UnitOfWork


def next_number(uow: UnitOfWork, court_id: str, year: int, series: str) -> int:
    """Take the next number of a series; the row stays locked until the transaction ends."""
    stmt = insert(number_series).values(court_id=court_id, year=year, series=series, last_value=1)
    stmt = stmt.on_conflict_do_update(index_elements=["court_id", "year", "series"],
                                      set_={"last_value": number_series.c.last_value + 1})
    return int(uow.execute(stmt.returning(number_series.c.last_value)).scalar_one())


def claim_idempotency_key(uow: UnitOfWork, court_id: str, key: str, request_sha256: str, now: datetime) -> bool:
    """True if this request is the first with the key; a concurrent twin waits here for our commit."""
    stmt = insert(idempotency_keys).values(court_id=court_id, idempotency_key=key, request_sha256=request_sha256,
                                           response={}, created_at=now).on_conflict_do_nothing()
    return uow.execute(stmt.returning(idempotency_keys.c.idempotency_key)).first() is not None


def stored_response(uow: UnitOfWork, court_id: str, key: str) -> tuple[str, dict[str, Any]] | None:
    row = uow.execute(select(idempotency_keys.c.request_sha256, idempotency_keys.c.response)
                      .where(idempotency_keys.c.court_id == court_id,
                             idempotency_keys.c.idempotency_key == key)).first()
    return (row.request_sha256, row.response) if row else None


def save_response(uow: UnitOfWork, court_id: str, key: str, response: dict[str, Any]) -> None:
    uow.execute(idempotency_keys.update().where(idempotency_keys.c.court_id == court_id,
                                                idempotency_keys.c.idempotency_key == key)
                .values(response=response))


def upsert_party(uow: UnitOfWork, court_id: str, party: ValidParty, now: datetime, actor: str = "intake") -> str:
    """Reference the existing person with this CCCD, or register them once (with version 1 in the registry)."""
    from ecourt_intake.adapters import registry

    details = PartyDetails(kind="person", full_name=party.full_name, cccd=party.cccd, date_of_birth=party.date_of_birth,
                           birth_year=party.birth_year, sex=party.sex, phone_e164=party.phone_e164,
                           address=party.address)
    return registry.register(uow, court_id, details, actor, now)[0]
