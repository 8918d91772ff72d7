"""The gateway's first schema: sync state (qlta_cases), outbound changes, the simulator's tables, bus tables.

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
        "qlta_cases",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("state", JSONB, nullable=False),
        sa.Column("record", JSONB, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_version", sa.Integer),
        sa.Column("last_sent_sha256", sa.String(64)),
        sa.Column("last_sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_qlta_cases_court_changed", "qlta_cases", ["court_id", "changed_at", "case_id"])
    op.create_table(
        "outbound",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(18), nullable=False),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("record", JSONB, nullable=False),
        sa.Column("source_event_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("remote_receipt", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("case_id", "version", name="uq_outbound_case_version"),
    )
    op.create_index("ix_outbound_pending", "outbound", ["next_attempt_at", "id"],
                    postgresql_where=sa.text("status = 'pending'"))
    op.create_index("ix_outbound_court_status", "outbound", ["court_id", "status"])
    # The QLTA simulator's own tables (adapters/qlta_simulator.py); unused with a real QLTA adapter.
    op.create_table(
        "qlta_sim_cases",
        sa.Column("court_code", sa.String(20), primary_key=True),
        sa.Column("case_code", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("record", JSONB, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "qlta_sim_receipts",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("receipt_id", sa.String(40), nullable=False, unique=True),
        sa.Column("court_code", sa.String(20), nullable=False),
        sa.Column("case_code", sa.String(40), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    create_bus_tables(op)


def downgrade() -> None:
    for table in ("qlta_sim_receipts", "qlta_sim_cases", "outbound", "qlta_cases", "processed_events", "outbox"):
        op.drop_table(table)
