"""Stats' tables: one row per case (``case_status``), deadline alerts, and the bus tables."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text

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
    # added in 0002 (see domain.status: the holding court, and when the case last moved on)
    Column("status_court_id", String(20)),
    Column("transfer_court_id", String(20)),
    Column("from_court_id", String(20)),
    Column("transferred_at", DateTime(timezone=True)),
    Column("progressed_at", DateTime(timezone=True)),
    Column("progressed_rule_id", String(120)),
    Column("progressed_due_on", Date),
    Index("ix_case_status_court_type_status", "court_id", "case_type", "status"),
    Index("ix_case_status_court_judge", "court_id", "judge_id"),
    Index("ix_case_status_court_deadline", "court_id", "deadline_on"),
)

# Deadline alerts raised by casefile's watch (deadline_approaching / deadline_missed), one row per case, kind,
# rule and due day. Which of them the president's dashboard lists is decided when reading, against the case's
# row (its court now, and whether it moved on since), so the alerts converge in any arrival order.
deadline_alerts = Table(
    "deadline_alerts", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("kind", String(12), primary_key=True),  # approaching | missed
    Column("rule_id", String(120), primary_key=True),
    Column("due_on", Date, primary_key=True),
    Column("court_id", String(20), nullable=False),  # the court when raised (the case's row may know better)
    Column("stage", String(5), nullable=False),
    Column("judge_id", String(80)),
    Column("legal_basis_vi", Text, nullable=False),
    Column("legal_basis_en", Text, nullable=False),
    Column("raised_at", DateTime(timezone=True), nullable=False),  # occurred_at of the (latest) event
    Index("ix_deadline_alerts_court_kind", "court_id", "kind", "due_on"),
)

outbox, processed_events = add_bus_tables(metadata)
