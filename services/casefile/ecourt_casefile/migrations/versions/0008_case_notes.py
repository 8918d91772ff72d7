"""Working notes on a case (ghi chú nghiệp vụ), kept with the case so they carry over when it changes judge.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_notes",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("note_id", sa.String(40), nullable=False, unique=True),
        sa.Column("case_id", sa.String(18), nullable=False),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("written_by", sa.String(80), nullable=False),
        sa.Column("written_by_name", sa.String(200), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("judge_id_then", sa.String(40)),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id", "id"])


def downgrade() -> None:
    op.drop_table("case_notes")
