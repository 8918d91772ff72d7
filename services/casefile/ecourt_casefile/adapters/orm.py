"""Casefile's tables: procedural state and deadlines per case (PostgreSQL); the dossier itself is in MongoDB.

PostgreSQL holds what must change atomically with the events casefile consumes and emits: the case's
status and stage, its judge, its computed deadlines, the assignments that arrived before their case,
and the log of who opened a full dossier.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)
from sqlalchemy.dialects.postgresql import JSONB

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

case_state = Table(
    "case_state", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False, index=True),
    Column("case_type", String(10), nullable=False),
    Column("stage", String(5), nullable=False),
    Column("status", String(30), nullable=False),
    Column("accepted_on", Date, nullable=False),
    Column("judge_id", String(40)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One row per (case, rule): the rule's due date as computed, with its legal basis and the counting steps.
deadlines = Table(
    "deadlines", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("rule_id", String(80), primary_key=True),
    Column("rule_version", Integer, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("legal_basis_vi", String(500), nullable=False),
    Column("legal_basis_en", String(500), nullable=False),
    Column("explanation", JSONB, nullable=False),  # [{"vi": ..., "en": ...}, ...]
    Column("needs_verification", Boolean, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)

# The latest assignment of each case, whether or not the case has arrived yet: a case_assigned that
# overtakes its case_received waits here and is applied when the case is recorded.
assignments = Table(
    "assignments", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("judge_id", String(40), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("event_id", String(64), nullable=False),
)

# Every full view of a dossier: who opened it, when, in which capacity.
access_log = Table(
    "access_log", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("case_id", String(18), nullable=False),
    Column("court_id", String(20), nullable=False),
    Column("user_id", String(80), nullable=False),
    Column("judge_id", String(40)),
    Column("roles", JSONB, nullable=False),
    Column("view_kind", String(20), nullable=False),
    Column("viewed_at", DateTime(timezone=True), nullable=False),
    Index("ix_access_log_case", "case_id", "viewed_at"),
)

outbox, processed_events = add_bus_tables(metadata)
