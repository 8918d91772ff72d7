"""Casefile's first schema: case state, deadlines, pending assignments, access log, bus tables.

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
        "case_state",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False, index=True),
        sa.Column("case_type", sa.String(10), nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("accepted_on", sa.Date, nullable=False),
        sa.Column("judge_id", sa.String(40)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "deadlines",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("rule_id", sa.String(80), primary_key=True),
        sa.Column("rule_version", sa.Integer, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("legal_basis_vi", sa.String(500), nullable=False),
        sa.Column("legal_basis_en", sa.String(500), nullable=False),
        sa.Column("explanation", JSONB, nullable=False),
        sa.Column("needs_verification", sa.Boolean, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "assignments",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("judge_id", sa.String(40), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "access_log",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(18), nullable=False),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("user_id", sa.String(80), nullable=False),
        sa.Column("judge_id", sa.String(40)),
        sa.Column("roles", JSONB, nullable=False),
        sa.Column("view_kind", sa.String(20), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_access_log_case", "case_id", "viewed_at"),
    )
    create_bus_tables(op)


def downgrade() -> None:
    for table in ("access_log", "assignments", "deadlines", "case_state", "processed_events", "outbox"):
        op.drop_table(table)
