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
    Text,
    text,
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
    Column("stage_seq", Integer, nullable=False, server_default="1"),  # the current row of case_stages
    Column("state", String(30), nullable=False, server_default="preparing"),  # state of the procedure machine
    Column("panel", JSONB, nullable=False, server_default="[]"),  # judge ids of the trial panel
    Column("clerk_id", String(80)),  # user id of the clerk of the case
    Column("attributes", JSONB, nullable=False, server_default="{}"),  # crime category, closed hearing, outcome
)

# Every stage the case went through, at which court, and how it ended (the case id never changes).
case_stages = Table(
    "case_stages", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("stage", String(5), nullable=False),
    Column("court_id", String(20), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("opened_by", String(40), nullable=False),
    Column("outcome", String(40)),
)

# Every procedural step recorded, by whom, with its parameters.
case_steps = Table(
    "case_steps", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("case_id", String(18), nullable=False),
    Column("stage_seq", Integer, nullable=False),
    Column("stage", String(5), nullable=False),
    Column("court_id", String(20), nullable=False),
    Column("step", String(40), nullable=False),
    Column("from_state", String(30), nullable=False),
    Column("to_state", String(30), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("params", JSONB, nullable=False),
    Column("user_id", String(80), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_case_steps_case", "case_id", "id"),
    # one reception entry (appeal, protest, review petition) is lodged on exactly one step
    Index("ix_case_steps_reception", text("(params->>'reception_id')"), unique=True,
          postgresql_where=text("params ? 'reception_id'")),
)

# One row per (case, stage, rule): the due date as computed, its legal basis, the counting steps, and its
# lifecycle: open -> met (the step it governs happened) | paused (suspension) | missed (the timer saw it pass).
deadlines = Table(
    "deadlines", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("stage_seq", Integer, primary_key=True, server_default="1"),
    Column("rule_id", String(80), primary_key=True),
    Column("rule_version", Integer, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("legal_basis_vi", String(500), nullable=False),
    Column("legal_basis_en", String(500), nullable=False),
    Column("explanation", JSONB, nullable=False),  # [{"vi": ..., "en": ...}, ...]
    Column("needs_verification", Boolean, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("purpose", String(20), nullable=False, server_default="preparation"),
    Column("rule_stage", String(5), nullable=False, server_default="ST"),
    Column("variant", String(40)),
    Column("trigger_on", Date, nullable=False),
    Column("status", String(10), nullable=False, server_default="open"),
    Column("extension_used", Integer, nullable=False, server_default="0"),
    Column("extensions", Integer, nullable=False, server_default="0"),
    Column("approaching_sent_at", DateTime(timezone=True)),
    Column("missed_sent_at", DateTime(timezone=True)),
    Index("ix_deadlines_open_due", "status", "due_on"),
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
    Column("panel", JSONB(none_as_null=True)),  # sitting members' ids, when the assignment announced a panel
    Column("clerk_id", String(80)),
)

# Working notes on a case (ghi chú nghiệp vụ): the case's, not the judge's, so a new judge finds them.
case_notes = Table(
    "case_notes", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("note_id", String(40), nullable=False, unique=True),
    Column("case_id", String(18), nullable=False),
    Column("court_id", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("written_by", String(80), nullable=False),
    Column("written_by_name", String(200), nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("judge_id_then", String(40)),
    Index("ix_case_notes_case", "case_id", "id"),
)

# Every full view of a dossier: who opened it, when, in which capacity, which personal data it showed.
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
    Column("personal_fields", JSONB, nullable=False, server_default="[]"),  # personal fields the view showed
    Column("party_ids", JSONB, nullable=False, server_default="[]"),  # whose personal data it was
    Column("revealed", Boolean, nullable=False, server_default="false"),  # CCCD / phone shown unmasked
    Column("reveal_reason", String(500)),  # the reason the viewer gave for revealing
    Index("ix_access_log_case", "case_id", "viewed_at"),
)

outbox, processed_events = add_bus_tables(metadata)
