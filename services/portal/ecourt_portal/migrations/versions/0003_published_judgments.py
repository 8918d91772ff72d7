"""Published judgments and decisions (Resolution 03/2017/NQ-HĐTP), fed by casefile's ``document_published``.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_judgments",
        sa.Column("document_id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("case_code", sa.String(21), nullable=False),
        sa.Column("case_type", sa.String(10), nullable=False),
        sa.Column("stage", sa.String(5), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("number", sa.String(60), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("issued_on", sa.Date),
        sa.Column("legal_effect_on", sa.Date, nullable=False),
        sa.Column("dated_on", sa.Date, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_published_judgments_dated", "published_judgments", ["dated_on"])
    op.create_index("ix_published_judgments_court", "published_judgments", ["court_id", "dated_on"])


def downgrade() -> None:
    op.drop_table("published_judgments")
