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
document_versions = Table(
    "document_versions", metadata,
    Column("document_id", String(40), ForeignKey("documents.document_id"), primary_key=True),
    Column("version_no", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # draft | signed
    Column("fields", JSONB),
    Column("pdf", LargeBinary, nullable=False),
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
    Column("scan", LargeBinary),
    Column("scan_sha256", String(64)),
)

outbox, processed_events = add_bus_tables(metadata)
