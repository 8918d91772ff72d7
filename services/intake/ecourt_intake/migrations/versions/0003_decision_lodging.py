"""A decision keeps what casefile recorded when an appeal, protest or review petition was lodged on its case.

The register entry's full view shows it (step, stage opened, the counting date casefile used) long after the
accepting officer's answer is gone; casefile is not asked again for it.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reception_decisions", sa.Column("lodging", JSONB))


def downgrade() -> None:
    op.drop_column("reception_decisions", "lodging")
