"""Intake's tables. Personal data lives here once (``parties``); everything else references it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

parties = Table(
    "parties", metadata,
    Column("party_id", String(40), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("kind", String(20), nullable=False),  # person | organization
    Column("cccd", String(12), unique=True),  # the same CCCD is the same person, in every court
    Column("full_name", String(200), nullable=False),
    Column("name_search_key", String(200), nullable=False, index=True),
    Column("date_of_birth", Date),
    Column("birth_year", Integer),
    Column("sex", String(10)),
    Column("phone_e164", String(20)),
    Column("address", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

cases = Table(
    "cases", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("acceptance_number", String(40), nullable=False),
    Column("case_type", String(10), nullable=False),
    Column("stage", String(5), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("accepted_at", DateTime(timezone=True), nullable=False),
    Column("accepted_on", Date, nullable=False),
    Column("accepted_by", String(80), nullable=False),
    Column("receipt_secret_hash", String(64), nullable=False),
    UniqueConstraint("court_id", "acceptance_number", name="uq_cases_acceptance_number"),
)

case_parties = Table(
    "case_parties", metadata,
    Column("case_id", String(18), ForeignKey("cases.case_id"), primary_key=True),
    Column("party_id", String(40), ForeignKey("parties.party_id"), primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("is_minor", Boolean, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("document_id", String(40), primary_key=True),
    Column("case_id", String(18), ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("title", String(255), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("page_count", Integer, nullable=False),
    Column("bucket", String(63), nullable=False),
    Column("object_key", String(255), nullable=False),
)

# Gap-free numbering: a counter row per (court, year, series), incremented inside the filing's own
# transaction, so a rolled-back filing never consumes a number and concurrent filings queue on the row.
number_series = Table(
    "number_series", metadata,
    Column("court_id", String(20), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("series", String(40), primary_key=True),
    Column("last_value", Integer, nullable=False),
)

# A retried filing (same client key) gets the first result back, never a second case.
idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("court_id", String(20), primary_key=True),
    Column("idempotency_key", String(100), primary_key=True),
    Column("request_sha256", String(64), nullable=False),
    Column("response", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

outbox, processed_events = add_bus_tables(metadata)
