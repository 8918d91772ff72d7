"""Signing's first schema: documents, versions, workflow steps, seal queue, bus tables.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from ecourt_shared.db.tables import create_bus_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("document_id", sa.String(40), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False, index=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("needs_seal", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "document_versions",
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.document_id"), primary_key=True),
        sa.Column("version_no", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("fields", JSONB),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "workflow_steps",
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.document_id"), primary_key=True),
        sa.Column("step", sa.Integer, primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("certify", sa.Boolean, nullable=False),
        sa.Column("signed_by", sa.String(80)),
        sa.Column("signer_name", sa.String(200)),
        sa.Column("certificate_serial", sa.String(80)),
        sa.Column("signed_at", sa.DateTime(timezone=True)),
        sa.Column("version_no", sa.Integer),
    )
    op.create_table(
        "seal_queue",
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.document_id"), primary_key=True),
        sa.Column("court_id", sa.String(20), nullable=False, index=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True)),
        sa.Column("sealed_by", sa.String(80)),
        sa.Column("scan", sa.LargeBinary),
        sa.Column("scan_sha256", sa.String(64)),
    )
    create_bus_tables(op)


def downgrade() -> None:
    for table in ("seal_queue", "workflow_steps", "document_versions", "documents", "processed_events", "outbox"):
        op.drop_table(table)
