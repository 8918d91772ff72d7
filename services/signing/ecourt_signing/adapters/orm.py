"""Signing's tables: documents and their versions (drafts and signed PDFs), workflow steps, the seal queue."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)
from sqlalchemy.dialects.postgresql import JSONB

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("document_id", String(40), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("case_id", String(40), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("title", String(255), nullable=False),
    Column("status", String(20), nullable=False),  # draft | signing | in_effect | sealed
    Column("current_version", Integer, nullable=False),
    Column("needs_seal", Boolean, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Every version is kept: drafts (fields as typed, rendered PDF) and each signed PDF. Never updated.
# The bytes live in the court's bucket (``bucket``/``object_key``, content-addressed, checked against
# ``sha256`` on every read); ``pdf`` holds only the bytes of versions stored before migration 0002.
document_versions = Table(
    "document_versions", metadata,
    Column("document_id", String(40), ForeignKey("documents.document_id"), primary_key=True),
    Column("version_no", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # draft | signed
    Column("fields", JSONB),
    Column("pdf", LargeBinary),  # legacy bytes (before 0002); NULL when the object store holds them
    Column("bucket", String(63)),
    Column("object_key", String(200)),
    Column("size_bytes", Integer),
    Column("sha256", String(64), nullable=False, index=True),
    Column("created_by", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

workflow_steps = Table(
    "workflow_steps", metadata,
    Column("document_id", String(40), ForeignKey("documents.document_id"), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("role", String(20), nullable=False),
    Column("certify", Boolean, nullable=False),
    Column("signed_by", String(80)),
    Column("signer_name", String(200)),
    Column("certificate_serial", String(80)),
    Column("signed_at", DateTime(timezone=True)),
    Column("version_no", Integer),
)

seal_queue = Table(
    "seal_queue", metadata,
    Column("document_id", String(40), ForeignKey("documents.document_id"), primary_key=True),
    Column("court_id", String(20), nullable=False, index=True),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("sealed_at", DateTime(timezone=True)),
    Column("sealed_by", String(80)),
    Column("scan", LargeBinary),  # legacy bytes (before 0002); new scans are in the court's bucket
    Column("scan_sha256", String(64)),
    Column("scan_bucket", String(63)),
    Column("scan_object_key", String(200)),
)

outbox, processed_events = add_bus_tables(metadata)
