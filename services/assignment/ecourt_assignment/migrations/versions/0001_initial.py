"""Assignment's first schema: judges, inbox, draws, assignments, bus tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ecourt_shared.db.tables import create_bus_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "judges",
        sa.Column("judge_id", sa.String(40), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False, index=True),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("specializations", ARRAY(sa.String(30)), nullable=False),
        sa.Column("capacity", sa.Numeric(5, 4), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("load_total", sa.Numeric(14, 4), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("capacity > 0 AND capacity <= 1", name="ck_judges_capacity"),
        sa.CheckConstraint("load_total >= 0", name="ck_judges_load_total"),
    )
    op.create_table(
        "inbox",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("case_type", sa.String(10), nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("acceptance_number", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("party_count", sa.Integer, nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.CheckConstraint("status IN ('awaiting_assignment', 'assigned')", name="ck_inbox_status"),
    )
    op.create_index("ix_inbox_court_status", "inbox", ["court_id", "status", "accepted_at"])
    op.create_table(
        "draws",
        sa.Column("draw_id", sa.String(40), primary_key=True),
        sa.Column("case_id", sa.String(18), nullable=False, index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("algorithm", sa.String(30), nullable=False),
        sa.Column("seed_commitment", sa.String(64), nullable=False),
        sa.Column("seed", sa.String(64)),
        sa.Column("weight", JSONB),
        sa.Column("parameters", JSONB),
        sa.Column("candidates", JSONB),
        sa.Column("eligible", JSONB),
        sa.Column("winner_judge_id", sa.String(40)),
        sa.Column("accrual", sa.Numeric(14, 4)),
        sa.Column("random_blocks_used", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True)),
        sa.Column("drawn_by", sa.String(80), nullable=False),
    )
    op.create_table(
        "assignments",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("judge_id", sa.String(40), sa.ForeignKey("judges.judge_id"), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("draw_id", sa.String(40), sa.ForeignKey("draws.draw_id")),
        sa.Column("assigned_by", sa.String(80), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("weight", sa.Numeric(10, 4), nullable=False),
        sa.Column("accrual", sa.Numeric(14, 4), nullable=False),
        sa.CheckConstraint("method IN ('random', 'designation')", name="ck_assignments_method"),
    )
    op.create_index("ix_assignments_court_judge", "assignments", ["court_id", "judge_id"])
    create_bus_tables(op)


def downgrade() -> None:
    for table in ("assignments", "draws", "inbox", "judges", "processed_events", "outbox"):
        op.drop_table(table)
