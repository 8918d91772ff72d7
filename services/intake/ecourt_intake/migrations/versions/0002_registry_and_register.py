"""Party registry (identifiers of every kind, versions, merges) and the reception register with decisions.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("parties", sa.Column("tax_code", sa.String(13), unique=True))
    op.add_column("parties", sa.Column("bar_number", sa.String(40), unique=True))
    op.add_column("parties", sa.Column("procuracy_code", sa.String(20), unique=True))
    op.add_column("parties", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("parties", sa.Column("merged_into", sa.String(40), sa.ForeignKey("parties.party_id")))
    op.create_index("ix_parties_name_birth", "parties", ["name_search_key", "date_of_birth"])
    op.create_table(
        "party_versions",
        sa.Column("party_id", sa.String(40), sa.ForeignKey("parties.party_id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("snapshot", JSONB, nullable=False),
        sa.Column("changed_fields", JSONB, nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("changed_by", sa.String(80), nullable=False),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Rows the walking skeleton registered get their first version, so every party has a complete history.
    op.execute("""
        INSERT INTO party_versions (party_id, version, snapshot, changed_fields, reason, changed_by, court_id,
                                    changed_at)
        SELECT party_id, 1, jsonb_build_object('kind', kind, 'full_name', full_name, 'cccd', cccd,
                   'date_of_birth', date_of_birth, 'birth_year', birth_year, 'sex', sex, 'phone_e164', phone_e164,
                   'address', address, 'tax_code', NULL, 'bar_number', NULL, 'procuracy_code', NULL),
               '[]'::jsonb, 'registered at reception', 'migration-0002', court_id, created_at
        FROM parties""")
    op.create_table(
        "party_merges",
        sa.Column("merge_id", sa.String(40), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("survivor_id", sa.String(40), sa.ForeignKey("parties.party_id"), nullable=False),
        sa.Column("merged_id", sa.String(40), sa.ForeignKey("parties.party_id"), nullable=False, index=True),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("merged_by", sa.String(80), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reverted_by", sa.String(80)),
        sa.Column("reverted_at", sa.DateTime(timezone=True)),
        sa.Column("revert_reason", sa.String(1000)),
    )
    op.create_table(
        "receptions",
        sa.Column("reception_id", sa.String(40), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("reception_number", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("case_type", sa.String(10)),
        sa.Column("stage", sa.String(5)),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("sender", sa.String(300)),
        sa.Column("related_case_id", sa.String(18)),
        sa.Column("related_case_ref", sa.String(60)),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(80), nullable=False),
        sa.Column("counts_from", sa.Date, nullable=False),
        sa.Column("counting_basis", sa.String(30), nullable=False),
        sa.Column("postmark_date", sa.Date),
        sa.Column("detention_certified_date", sa.Date),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("case_id", sa.String(18)),
        sa.UniqueConstraint("court_id", "reception_number", name="uq_receptions_number"),
    )
    op.create_index("ix_receptions_court_status", "receptions", ["court_id", "status"])
    op.create_table(
        "reception_parties",
        sa.Column("reception_id", sa.String(40), sa.ForeignKey("receptions.reception_id"), primary_key=True),
        sa.Column("party_id", sa.String(40), sa.ForeignKey("parties.party_id"), primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "reception_documents",
        sa.Column("document_id", sa.String(40), primary_key=True),
        sa.Column("reception_id", sa.String(40), sa.ForeignKey("receptions.reception_id"), nullable=False,
                  index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("page_count", sa.Integer, nullable=False),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("object_key", sa.String(255), nullable=False),
    )
    op.create_table(
        "reception_decisions",
        sa.Column("decision_id", sa.String(40), primary_key=True),
        sa.Column("reception_id", sa.String(40), sa.ForeignKey("receptions.reception_id"), nullable=False,
                  index=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("decision", sa.String(30), nullable=False),
        sa.Column("reason", sa.String(2000)),
        sa.Column("amendment_due_on", sa.Date),
        sa.Column("transfer_to_court", sa.String(20)),
        sa.Column("decided_by", sa.String(80), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.String(18)),
        sa.Column("acceptance_number", sa.String(40)),
    )
    op.add_column("cases", sa.Column("reception_id", sa.String(40), sa.ForeignKey("receptions.reception_id")))


def downgrade() -> None:
    op.drop_column("cases", "reception_id")
    for table in ("reception_decisions", "reception_documents", "reception_parties", "receptions", "party_merges",
                  "party_versions"):
        op.drop_table(table)
    op.drop_index("ix_parties_name_birth", "parties")
    for column in ("merged_into", "version", "procuracy_code", "bar_number", "tax_code"):
        op.drop_column("parties", column)
