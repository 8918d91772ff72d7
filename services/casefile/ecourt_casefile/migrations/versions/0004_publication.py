"""Publication of judgments and decisions (Resolution 03/2017/NQ-HĐTP): one record per case and document.

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
        "publications",
        sa.Column("case_id", sa.String(18), primary_key=True),
        sa.Column("document_id", sa.String(64), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10)),
        sa.Column("number", sa.String(60)),
        sa.Column("title", sa.String(300)),
        sa.Column("issued_on", sa.Date),
        sa.Column("status", sa.String(12)),
        sa.Column("flags", JSONB, nullable=False, server_default="{}"),
        sa.Column("source_sha256", sa.String(64)),
        sa.Column("encoded_text", sa.Text),
        sa.Column("aliases", JSONB, nullable=False, server_default="[]"),
        sa.Column("replacements", JSONB, nullable=False, server_default="{}"),
        sa.Column("prepared_by", sa.String(80)),
        sa.Column("prepared_at", sa.DateTime(timezone=True)),
        sa.Column("reviewed_by", sa.String(80)),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("review_reason", sa.String(2000)),
        sa.Column("released_by", sa.String(80)),
        sa.Column("released_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("publications")
