"""Where a version's bytes live: the court's bucket of the object store, or (before 0002) a PostgreSQL column.

Every new version (draft, signed PDF, seal scan) is uploaded content-addressed before the transaction that
records it commits, so a failed upload leaves no row that points to nothing; a failed transaction after a
successful upload leaves only an unreferenced object that the next attempt with the same bytes reuses.
Reading checks the SHA-256 recorded in PostgreSQL: bytes that changed in the bucket are never signed,
served or verified against as if they were the reviewed version.
"""

from __future__ import annotations

from typing import Any

from ecourt_shared.storage import ObjectStore, StoredObject, verified_bytes

PDF = "application/pdf"


def upload_pdf(store: ObjectStore, court_id: str, pdf: bytes) -> StoredObject:
    return store.put_document(court_id, pdf, PDF)


def version_columns(stored: StoredObject) -> dict[str, Any]:
    """The columns of ``document_versions`` that reference the stored bytes."""
    return {"pdf": None, "bucket": stored.bucket, "object_key": stored.key, "sha256": stored.sha256,
            "size_bytes": stored.size}


def version_pdf(store: ObjectStore, version: Any) -> bytes:
    """The bytes of a ``document_versions`` row: from the bucket (hash-checked), or the legacy column."""
    if version.object_key is not None:
        return verified_bytes(store, version.bucket, version.object_key, version.sha256)
    return bytes(version.pdf)
