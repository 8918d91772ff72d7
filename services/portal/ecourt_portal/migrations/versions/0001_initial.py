"""Portal's first schema: the public read model of cases, lookup failures, bus tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from ecourt_shared.db.tables import create_bus_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_cases",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("case_code", sa.String(21), nullable=False),
        sa.Column("acceptance_number", sa.String(40)),
        sa.Column("case_type", sa.String(10)),
        sa.Column("stage", sa.String(5)),
        sa.Column("status", sa.String(30)),
        sa.Column("judge_name", sa.String(200)),
        sa.Column("judge_assigned_at", sa.DateTime(timezone=True)),
    sa.Column("judge_event_id", sa.String(64)),
        sa.Column("deadline_on", sa.Date),
        sa.Column("deadline_rule_id", sa.String(120)),
        sa.Column("legal_basis_vi", sa.Text),
        sa.Column("legal_basis_en", sa.Text),
        sa.Column("progressed_at", sa.DateTime(timezone=True)),
    sa.Column("progress_event_id", sa.String(64)),
        sa.Column("accepted_on", sa.Date),
        sa.Column("receipt_secret_hash", sa.String(64)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "lookup_failures",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_lookup_failures_client", "lookup_failures", ["client_key", "failed_at"])
    op.create_index("ix_lookup_failures_failed_at", "lookup_failures", ["failed_at"])
    create_bus_tables(op)


def downgrade() -> None:
    for table in ("lookup_failures", "public_cases", "processed_events", "outbox"):
        op.drop_table(table)
