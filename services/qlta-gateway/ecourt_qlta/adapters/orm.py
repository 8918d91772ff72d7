"""The gateway's tables: sync state per case, the outbound queue to QLTA, the bus tables.

The simulator's own tables live in ``adapters/qlta_simulator.py`` (same database, separate metadata,
created by the same migration) so that reconciliation has something real to compare against.
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
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

# Sync state: the canonical record of each case as ecourt holds it, and what QLTA was last sent.
qlta_cases = Table(
    "qlta_cases", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("state", JSONB, nullable=False),  # domain.sync.CaseState (record fields + ordering keys)
    Column("record", JSONB, nullable=False),  # domain.canonical.QltaCaseRecord
    Column("content_sha256", String(64), nullable=False),
    Column("version", Integer, nullable=False),  # +1 on every content change; 1 = first
    Column("changed_at", DateTime(timezone=True), nullable=False),  # clock_timestamp() of the last change
    Column("last_sent_version", Integer),
    Column("last_sent_sha256", String(64)),
    Column("last_sent_at", DateTime(timezone=True)),
    Index("ix_qlta_cases_court_changed", "court_id", "changed_at", "case_id"),
)

# Outbound changes, one row per content change of a case: pending -> sent | failed (attempts, last_error).
outbound = Table(
    "outbound", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("case_id", String(18), nullable=False),
    Column("court_id", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("record", JSONB, nullable=False),
    Column("source_event_id", String(64), nullable=False),
    Column("status", String(10), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("remote_receipt", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("case_id", "version", name="uq_outbound_case_version"),
    Index("ix_outbound_pending", "next_attempt_at", "id", postgresql_where=text("status = 'pending'")),
    Index("ix_outbound_court_status", "court_id", "status"),
)

bus_outbox, processed_events = add_bus_tables(metadata)
