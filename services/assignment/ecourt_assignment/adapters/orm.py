"""Assignment's tables: the judge roster with running loads, the president's inbox, draws and assignments."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

INBOX_STATUSES = ("awaiting_assignment", "assigned")
METHODS = ("random", "designation")

# One row per judge seat. load_total only ever changes inside a draw's transaction, with the row locked.
judges = Table(
    "judges", metadata,
    Column("judge_id", String(40), primary_key=True),
    Column("court_id", String(20), nullable=False, index=True),
    Column("full_name", String(200), nullable=False),
    Column("specializations", ARRAY(String(30)), nullable=False),
    Column("capacity", Numeric(5, 4), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("load_total", Numeric(14, 4), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("capacity > 0 AND capacity <= 1", name="ck_judges_capacity"),
    CheckConstraint("load_total >= 0", name="ck_judges_load_total"),
)

# Cases accepted by intake (case_received), waiting in the president's inbox until assigned.
inbox = Table(
    "inbox", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("case_type", String(10), nullable=False),
    Column("stage", String(5), nullable=False),
    Column("acceptance_number", String(40), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("party_count", Integer, nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("status", String(30), nullable=False),
    CheckConstraint("status IN ('awaiting_assignment', 'assigned')", name="ck_inbox_status"),
    Index("ix_inbox_court_status", "court_id", "status", "accepted_at"),
)

# Every draw, replayable: the commitment is written first, the seed and the results with the outcome.
draws = Table(
    "draws", metadata,
    Column("draw_id", String(40), primary_key=True),
    Column("case_id", String(18), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("algorithm", String(30), nullable=False),
    Column("seed_commitment", String(64), nullable=False),
    Column("seed", String(64)),
    Column("weight", JSONB),  # the case weight and how it was computed (table version, factors)
    Column("parameters", JSONB),  # max_distance, outsider_chance
    Column("candidates", JSONB),  # every competent judge: capacity, total, distance, in_band, entered
    Column("eligible", JSONB),  # judge ids of the eligible set
    Column("winner_judge_id", String(40)),
    Column("accrual", Numeric(14, 4)),
    Column("random_blocks_used", Integer),
    Column("created_at", DateTime(timezone=True), nullable=False),  # when the commitment was recorded
    Column("drawn_at", DateTime(timezone=True)),
    Column("drawn_by", String(80), nullable=False),
)

assignments = Table(
    "assignments", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("judge_id", String(40), ForeignKey("judges.judge_id"), nullable=False),
    Column("method", String(20), nullable=False),
    Column("draw_id", String(40), ForeignKey("draws.draw_id")),
    Column("assigned_by", String(80), nullable=False),
    Column("assigned_at", DateTime(timezone=True), nullable=False),
    Column("weight", Numeric(10, 4), nullable=False),  # the case weight
    Column("accrual", Numeric(14, 4), nullable=False),  # what the judge's load total grew by
    CheckConstraint("method IN ('random', 'designation')", name="ck_assignments_method"),
    Index("ix_assignments_court_judge", "court_id", "judge_id"),
)

outbox, processed_events = add_bus_tables(metadata)
