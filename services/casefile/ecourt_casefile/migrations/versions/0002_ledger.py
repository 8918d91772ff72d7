"""The electronic ledger: one append-only table of hash-chained entries, a per-court size counter.

Each row is one entry of a case's hash chain (``case_id``, ``case_seq``, ``prev_hash``) and one leaf of its
court's Merkle tree (``court_id``, ``court_index``). ``payload`` is the canonical JSON text exactly as it was
hashed (not JSONB, which would re-encode it). ``ledger_courts`` serialises appends per court (row lock) and
holds the next leaf index. A trigger refuses UPDATE and DELETE on entries, so no application code path can
rewrite history; what a database superuser can still do is what ``ecourt ledger verify`` detects.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("court_id", sa.String(20), primary_key=True),
        sa.Column("court_index", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("case_seq", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.LargeBinary, nullable=False),
        sa.Column("entry_hash", sa.LargeBinary, nullable=False),
        sa.UniqueConstraint("case_id", "case_seq", name="uq_ledger_entries_case_seq"),
    )
    op.create_table(
        "ledger_courts",
        sa.Column("court_id", sa.String(20), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
    )
    op.execute("""
        CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'ledger_entries is append-only (% refused)', TG_OP;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()
    """)
    op.execute("""
        CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER ledger_entries_no_truncate ON ledger_entries")
    op.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries")
    op.execute("DROP FUNCTION ledger_entries_append_only()")
    op.drop_table("ledger_courts")
    op.drop_table("ledger_entries")
