"""Intake's first schema: parties, cases, documents, number series, idempotency keys, bus tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from ecourt_shared.db.tables import create_bus_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parties",
        sa.Column("party_id", sa.String(40), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("cccd", sa.String(12), unique=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("name_search_key", sa.String(200), nullable=False, index=True),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("birth_year", sa.Integer),
        sa.Column("sex", sa.String(10)),
        sa.Column("phone_e164", sa.String(20)),
        sa.Column("address", sa.String(500)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("acceptance_number", sa.String(40), nullable=False),
        sa.Column("case_type", sa.String(10), nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_on", sa.Date, nullable=False),
        sa.Column("accepted_by", sa.String(80), nullable=False),
        sa.Column("receipt_secret_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("court_id", "acceptance_number", name="uq_cases_acceptance_number"),
    )
    op.create_table(
        "case_parties",
        sa.Column("case_id", sa.String(18), sa.ForeignKey("cases.case_id"), primary_key=True),
        sa.Column("party_id", sa.String(40), sa.ForeignKey("parties.party_id"), primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("is_minor", sa.Boolean, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("document_id", sa.String(40), primary_key=True),
        sa.Column("case_id", sa.String(18), sa.ForeignKey("cases.case_id"), nullable=False, index=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("page_count", sa.Integer, nullable=False),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("object_key", sa.String(255), nullable=False),
    )
    op.create_table(
        "number_series",
        sa.Column("court_id", sa.String(20), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("series", sa.String(40), primary_key=True),
        sa.Column("last_value", sa.Integer, nullable=False),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("court_id", sa.String(20), primary_key=True),
        sa.Column("idempotency_key", sa.String(100), primary_key=True),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("response", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    create_bus_tables(op)


def downgrade() -> None:
    for table in ("idempotency_keys", "number_series", "documents", "case_parties", "cases", "parties",
                  "processed_events", "outbox"):
        op.drop_table(table)
