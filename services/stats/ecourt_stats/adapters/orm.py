"""Stats' tables: one row per case (``case_status``) plus the bus tables."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, Integer, MetaData, String, Table

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

# The statistical view of a case, folded from intake, assignment and casefile events (see
# ``ecourt_stats.domain.status`` for how out-of-order events converge). No personal data.
case_status = Table(
    "case_status", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("case_type", String(10)),  # null until case_received or case_progressed arrives
    Column("stage", String(5)),
    Column("status", String(30)),  # null while only case_assigned has arrived
    Column("status_rank", Integer, nullable=False),  # 0 = no status yet
    Column("status_at", DateTime(timezone=True)),  # occurred_at of the event that set the status
    Column("judge_id", String(80)),
    Column("judge_name", String(200)),  # a judge's name (staff), shown on workload lists
    Column("judge_assigned_at", DateTime(timezone=True)),
    Column("accepted_on", Date),
    Column("deadline_on", Date),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_case_status_court_type_status", "court_id", "case_type", "status"),
    Index("ix_case_status_court_judge", "court_id", "judge_id"),
    Index("ix_case_status_court_deadline", "court_id", "deadline_on"),
)

outbox, processed_events = add_bus_tables(metadata)
