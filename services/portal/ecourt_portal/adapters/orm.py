"""The portal's tables: public facts about cases only. No party, no name of a party, no id number.

``public_cases`` is a read model fed by events that may arrive in any order, so every column but the
key and the court may still be empty; ``judge_assigned_at`` and ``progressed_at`` (the event id breaking
ties) remember which assignment and which procedural step the row reflects, so an older event never
overwrites a newer one.
``lookup_failures`` holds hashed client keys for the rate limit, for one window at most.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, Index, MetaData, String, Table, Text

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

public_cases = Table(
    "public_cases", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("case_code", String(21), nullable=False),  # display form 79KV01-2026-000001-43
    Column("acceptance_number", String(40)),
    Column("case_type", String(10)),
    Column("stage", String(5)),
    Column("status", String(30)),
    Column("judge_name", String(200)),
    Column("judge_assigned_at", DateTime(timezone=True)),
    Column("judge_event_id", String(64)),
    Column("deadline_on", Date),
    Column("deadline_rule_id", String(120)),
    Column("legal_basis_vi", Text),
    Column("legal_basis_en", Text),
    Column("progressed_at", DateTime(timezone=True)),
    Column("progress_event_id", String(64)),
    Column("accepted_on", Date),
    Column("receipt_secret_hash", String(64)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # added in 0002: which court holds the case (the later of the latest step and the latest transfer) ...
    Column("progress_court_id", String(20)),  # the court of the step the row reflects
    Column("transfer_court_id", String(20)),
    Column("transfer_from_court_id", String(20)),
    Column("transfer_reason", String(10)),  # transfer | merger
    Column("transferred_on", Date),
    Column("transferred_at", DateTime(timezone=True)),
    Column("transfer_event_id", String(64)),
    Column("court_name_vi", Text),  # public name of transfer_court_id, when the event carried it
    Column("court_name_en", Text),
    # ... and the latest deadline alert of casefile's watch (shown until the case moves on)
    Column("alert_kind", String(12)),  # approaching | missed
    Column("alert_rule_id", String(120)),
    Column("alert_due_on", Date),
    Column("alert_basis_vi", Text),
    Column("alert_basis_en", Text),
    Column("alert_at", DateTime(timezone=True)),
    Column("alert_event_id", String(64)),
)

lookup_failures = Table(
    "lookup_failures", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("client_key", String(64), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_lookup_failures_client", "client_key", "failed_at"),
    Index("ix_lookup_failures_failed_at", "failed_at"),
)

outbox, processed_events = add_bus_tables(metadata)
