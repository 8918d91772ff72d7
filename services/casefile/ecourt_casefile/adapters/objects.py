"""Reading a document's bytes from the court's bucket to check them against the event."""

from __future__ import annotations

from minio.error import S3Error

from ecourt_shared.contracts.events import DocumentRefV1
from ecourt_shared.storage import ObjectStore


class DocumentUnavailable(RuntimeError):
    """The object is not (yet) in the store: retried, since a lagging replica or upload may still deliver it."""


def read_document(store: ObjectStore, ref: DocumentRefV1) -> bytes:
    try:
        if not store.exists(ref.bucket, ref.object_key):
            raise DocumentUnavailable(f"document {ref.document_id}: no object {ref.bucket}/{ref.object_key}")
        return store.get(ref.bucket, ref.object_key)
    except S3Error as exc:
        if exc.code in ("NoSuchBucket", "NoSuchKey", "NoSuchObject", "NotFound"):
            raise DocumentUnavailable(f"document {ref.document_id}: {exc.code} for "
                                      f"{ref.bucket}/{ref.object_key}") from exc
        raise
