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


def stored_file_columns() -> list[Column]:
    """A file kept content-addressed in the court's bucket: what it is and where its bytes are."""
    return [
        Column("title", String(255), nullable=False),
        Column("filename", String(255), nullable=False),
        Column("content_type", String(100), nullable=False),
        Column("size_bytes", BigInteger, nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("page_count", Integer, nullable=False),
        Column("bucket", String(63), nullable=False),
        Column("object_key", String(255), nullable=False),
    ]


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
    Column("tax_code", String(13), unique=True),  # organizations
    Column("bar_number", String(40), unique=True),  # lawyers
    Column("procuracy_code", String(20), unique=True),  # procuracies
    Column("version", Integer, nullable=False, server_default="1"),  # bumped by each correction
    Column("merged_into", String(40), ForeignKey("parties.party_id")),  # set by a merge, cleared by its revert
)

# Corrections never overwrite: every version of a party stays here, the parties row is the latest one.
party_versions = Table(
    "party_versions", metadata,
    Column("party_id", String(40), ForeignKey("parties.party_id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("snapshot", JSONB, nullable=False),
    Column("changed_fields", JSONB, nullable=False),
    Column("reason", String(1000), nullable=False),
    Column("changed_by", String(80), nullable=False),
    Column("court_id", String(20), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# A merge only points the duplicate at the survivor (references are never rewritten), so reverting is exact.
party_merges = Table(
    "party_merges", metadata,
    Column("merge_id", String(40), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("survivor_id", String(40), ForeignKey("parties.party_id"), nullable=False),
    Column("merged_id", String(40), ForeignKey("parties.party_id"), nullable=False, index=True),
    Column("reason", String(1000), nullable=False),
    Column("merged_by", String(80), nullable=False),
    Column("merged_at", DateTime(timezone=True), nullable=False),
    Column("reverted_by", String(80)),
    Column("reverted_at", DateTime(timezone=True)),
    Column("revert_reason", String(1000)),
)

# The reception register: everything that arrives, with the date it legally counts from.
receptions = Table(
    "receptions", metadata,
    Column("reception_id", String(40), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("reception_number", String(40), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("case_type", String(10)),
    Column("stage", String(5)),
    Column("subject", String(500), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("sender", String(300)),
    Column("related_case_id", String(18)),
    Column("related_case_ref", String(60)),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("received_by", String(80), nullable=False),
    Column("counts_from", Date, nullable=False),
    Column("counting_basis", String(30), nullable=False),
    Column("postmark_date", Date),
    Column("detention_certified_date", Date),
    Column("submitted_at", DateTime(timezone=True)),
    Column("status", String(30), nullable=False),
    Column("case_id", String(18)),
    UniqueConstraint("court_id", "reception_number", name="uq_receptions_number"),
)

reception_parties = Table(
    "reception_parties", metadata,
    Column("reception_id", String(40), ForeignKey("receptions.reception_id"), primary_key=True),
    Column("party_id", String(40), ForeignKey("parties.party_id"), primary_key=True),
    Column("role", String(20), primary_key=True),
    Column("position", Integer, nullable=False),
)

reception_documents = Table(
    "reception_documents", metadata,
    Column("document_id", String(40), primary_key=True),
    Column("reception_id", String(40), ForeignKey("receptions.reception_id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    *stored_file_columns(),
)

reception_decisions = Table(
    "reception_decisions", metadata,
    Column("decision_id", String(40), primary_key=True),
    Column("reception_id", String(40), ForeignKey("receptions.reception_id"), nullable=False, index=True),
    Column("court_id", String(20), nullable=False),
    Column("decision", String(30), nullable=False),
    Column("reason", String(2000)),
    Column("amendment_due_on", Date),
    Column("transfer_to_court", String(20)),
    Column("decided_by", String(80), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("case_id", String(18)),
    Column("acceptance_number", String(40)),
    Column("lodging", JSONB),  # LodgingResultV1: what casefile recorded for a lodged appeal, protest or petition
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
    Column("reception_id", String(40), ForeignKey("receptions.reception_id")),
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
    *stored_file_columns(),
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

# Who sits on each case at each court, from ``case_assigned`` (latest wins by ``assigned_at``, whatever the order
# events arrive in): the need-to-know of the dossier's party view. One row per (case, court): after an appeal or a
# transfer the court holding the case assigns its own judges, and its row is what lets them see the parties.
case_staff = Table(
    "case_staff", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), primary_key=True),
    Column("judge_id", String(40)),
    Column("judge_assigned_at", DateTime(timezone=True)),
    Column("judge_event_id", String(64)),
    Column("panel", JSONB),  # member ids of the sitting panel (substitutes excluded), as casefile keeps it
    Column("panel_assigned_at", DateTime(timezone=True)),
    Column("panel_event_id", String(64)),
    Column("clerk_id", String(80)),  # the clerk's user id: with the panel's draw, or casefile's assign_clerk step
    Column("clerk_assigned_at", DateTime(timezone=True)),
    Column("clerk_event_id", String(64)),
)

# Every view of unmasked personal data (who, when, which party, which fields, why): append-only.
personal_data_views = Table(
    "personal_data_views", metadata,
    Column("view_id", BigInteger, primary_key=True, autoincrement=True),
    Column("court_id", String(20), nullable=False),
    Column("viewer_id", String(80), nullable=False, index=True),
    Column("viewer_roles", JSONB, nullable=False),
    Column("party_id", String(40), nullable=False, index=True),
    Column("fields", JSONB, nullable=False),
    Column("purpose", String(40), nullable=False),  # the view: party | party_history | search_match | ...
    Column("ground", String(40), nullable=False),  # why the viewer may: reception_desk | case_judge | ...
    Column("reason", String(500)),  # the viewer's own words, when the view asks for them (a dossier reveal)
    Column("case_id", String(18)),
    Column("viewed_at", DateTime(timezone=True), nullable=False),
)

outbox, processed_events = add_bus_tables(metadata)
