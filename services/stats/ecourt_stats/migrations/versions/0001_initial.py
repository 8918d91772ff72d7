"""Stats' first schema: case_status and the bus tables.

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
        "case_status",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("case_type", sa.String(10)),
        sa.Column("stage", sa.String(5)),
        sa.Column("status", sa.String(30)),
        sa.Column("status_rank", sa.Integer, nullable=False),
        sa.Column("status_at", sa.DateTime(timezone=True)),
        sa.Column("judge_id", sa.String(80)),
        sa.Column("judge_name", sa.String(200)),
        sa.Column("judge_assigned_at", sa.DateTime(timezone=True)),
        sa.Column("accepted_on", sa.Date),
        sa.Column("deadline_on", sa.Date),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_status_court_type_status", "case_status", ["court_id", "case_type", "status"])
    op.create_index("ix_case_status_court_judge", "case_status", ["court_id", "judge_id"])
    op.create_index("ix_case_status_court_deadline", "case_status", ["court_id", "deadline_on"])
    create_bus_tables(op)


def downgrade() -> None:
    for table in ("case_status", "processed_events", "outbox"):
        op.drop_table(table)
