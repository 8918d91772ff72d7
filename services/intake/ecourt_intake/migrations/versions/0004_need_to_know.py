"""Need to know for the party registry: who sits on each case (from ``case_assigned``), and a log of every view
of unmasked personal data (who, when, which party, which fields, why).

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_staff",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), primary_key=True),
        sa.Column("judge_id", sa.String(40)),
        sa.Column("judge_assigned_at", sa.DateTime(timezone=True)),
        sa.Column("judge_event_id", sa.String(64)),
        sa.Column("panel", JSONB),
        sa.Column("panel_assigned_at", sa.DateTime(timezone=True)),
        sa.Column("panel_event_id", sa.String(64)),
        sa.Column("clerk_id", sa.String(80)),
        sa.Column("clerk_assigned_at", sa.DateTime(timezone=True)),
        sa.Column("clerk_event_id", sa.String(64)),
    )
    op.create_table(
        "personal_data_views",
        sa.Column("view_id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("viewer_id", sa.String(80), nullable=False, index=True),
        sa.Column("viewer_roles", JSONB, nullable=False),
        sa.Column("party_id", sa.String(40), nullable=False, index=True),
        sa.Column("fields", JSONB, nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("ground", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(500)),
        sa.Column("case_id", sa.String(18)),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("personal_data_views")
    op.drop_table("case_staff")
