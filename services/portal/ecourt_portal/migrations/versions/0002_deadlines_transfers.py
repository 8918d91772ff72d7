"""Transfers and deadline alerts on the public case row.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("progress_court_id", sa.String(20)),
    ("transfer_court_id", sa.String(20)),
    ("transfer_from_court_id", sa.String(20)),
    ("transfer_reason", sa.String(10)),
    ("transferred_on", sa.Date),
    ("transferred_at", sa.DateTime(timezone=True)),
    ("transfer_event_id", sa.String(64)),
    ("court_name_vi", sa.Text),
    ("court_name_en", sa.Text),
    ("alert_kind", sa.String(12)),
    ("alert_rule_id", sa.String(120)),
    ("alert_due_on", sa.Date),
    ("alert_basis_vi", sa.Text),
    ("alert_basis_en", sa.Text),
    ("alert_at", sa.DateTime(timezone=True)),
    ("alert_event_id", sa.String(64)),
)


def upgrade() -> None:
    for name, type_ in NEW_COLUMNS:
        op.add_column("public_cases", sa.Column(name, type_))


def downgrade() -> None:
    for name, _ in reversed(NEW_COLUMNS):
        op.drop_column("public_cases", name)
