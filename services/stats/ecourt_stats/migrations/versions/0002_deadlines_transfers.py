"""Deadline alerts and transfers: the holding court's inputs and the deadline_alerts table.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("status_court_id", sa.String(20)),
    ("transfer_court_id", sa.String(20)),
    ("from_court_id", sa.String(20)),
    ("transferred_at", sa.DateTime(timezone=True)),
    ("progressed_at", sa.DateTime(timezone=True)),
    ("progressed_rule_id", sa.String(120)),
    ("progressed_due_on", sa.Date),
)


def upgrade() -> None:
    for name, type_ in NEW_COLUMNS:
        op.add_column("case_status", sa.Column(name, type_))
    # Until now the court of a row was the court of its winning status.
    op.execute("UPDATE case_status SET status_court_id = court_id WHERE status IS NOT NULL")
    op.create_table(
        "deadline_alerts",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("kind", sa.String(12), primary_key=True),
        sa.Column("rule_id", sa.String(120), primary_key=True),
        sa.Column("due_on", sa.Date, primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("judge_id", sa.String(80)),
        sa.Column("legal_basis_vi", sa.Text, nullable=False),
        sa.Column("legal_basis_en", sa.Text, nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_deadline_alerts_court_kind", "deadline_alerts", ["court_id", "kind", "due_on"])


def downgrade() -> None:
    op.drop_table("deadline_alerts")
    for name, _ in reversed(NEW_COLUMNS):
        op.drop_column("case_status", name)
