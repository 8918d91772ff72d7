"""Version bytes move to the court's bucket: object references on versions and seal scans.

New versions and scans are stored in the object store (content-addressed) and reference it here with
``bucket``/``object_key``; ``document_versions.pdf`` becomes optional. Rows written before this revision
keep their bytes in ``pdf``/``scan`` and are read from there (no data migration: uploading them would
need the object store at migrate time, and a half-done upload would be worse than the old column).

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("document_versions", "pdf", existing_type=sa.LargeBinary, nullable=True)
    op.add_column("document_versions", sa.Column("bucket", sa.String(63)))
    op.add_column("document_versions", sa.Column("object_key", sa.String(200)))
    op.add_column("document_versions", sa.Column("size_bytes", sa.Integer))
    # A version has its bytes in exactly one place: the legacy column or the object store.
    op.create_check_constraint("ck_document_versions_bytes_somewhere", "document_versions",
                               "pdf IS NOT NULL OR (bucket IS NOT NULL AND object_key IS NOT NULL)")
    op.add_column("seal_queue", sa.Column("scan_bucket", sa.String(63)))
    op.add_column("seal_queue", sa.Column("scan_object_key", sa.String(200)))


def downgrade() -> None:
    # Downgrading would lose the bytes of every version stored in the object store: refuse if there are any.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM document_versions WHERE pdf IS NULL LIMIT 1")).first():
        raise RuntimeError("versions are stored in the object store; downgrading below 0002 would orphan them")
    op.drop_column("seal_queue", "scan_object_key")
    op.drop_column("seal_queue", "scan_bucket")
    op.drop_constraint("ck_document_versions_bytes_somewhere", "document_versions", type_="check")
    op.drop_column("document_versions", "size_bytes")
    op.drop_column("document_versions", "object_key")
    op.drop_column("document_versions", "bucket")
    op.alter_column("document_versions", "pdf", existing_type=sa.LargeBinary, nullable=False)
