"""The two bus tables every service's database carries.

- ``outbox``: events written in the same transaction as the state change that caused them; the relay
  publishes them with publisher confirms and stamps ``published_at``.
- ``processed_events``: ids of events a consumer has applied, written in the same transaction as the
  effect, so a redelivered event is recognised and skipped.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB


def add_bus_tables(metadata: MetaData) -> tuple[Table, Table]:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(80), nullable=False),
        Column("version", Integer, nullable=False),
        Column("source", String(40), nullable=False),
        Column("court_id", String(20), nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Index("ix_outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),
    )
    processed = Table(
        "processed_events",
        metadata,
        Column("consumer", String(80), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return outbox, processed


def create_bus_tables(op) -> None:
    """For a service's first alembic migration: create the bus tables exactly as declared above."""
    metadata = MetaData()
    for table in add_bus_tables(metadata):
        table.create(op.get_bind())
