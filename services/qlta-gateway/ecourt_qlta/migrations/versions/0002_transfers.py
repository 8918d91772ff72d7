"""Transfers: the simulator marks the court a transferred case left.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("qlta_sim_cases", sa.Column("moved_to_court_code", sa.String(20)))


def downgrade() -> None:
    op.drop_column("qlta_sim_cases", "moved_to_court_code")
