"""Checking that the bytes in the object store are the document the event describes.

A document is opened into a dossier only if its object is in the case's court bucket and its content
hashes to the SHA-256 (and has the size) that intake recorded. Anything else is a different document
under the same name, and no retry can fix that.
"""

from __future__ import annotations

import hashlib

from ecourt_shared.contracts.events import DocumentRefV1
from ecourt_shared.storage import court_bucket


def misplaced(ref: DocumentRefV1, court_id: str) -> str | None:
    """Why the reference points outside the court's own bucket, or None when it does not."""
    expected = court_bucket(court_id)
    if ref.bucket != expected:
        return f"document {ref.document_id} is in bucket {ref.bucket!r}, not in the court's bucket {expected!r}"
    return None


def content_mismatch(ref: DocumentRefV1, data: bytes) -> str | None:
    """Why ``data`` is not the document ``ref`` describes, or None when it is."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != ref.sha256.lower():
        return (f"document {ref.document_id} ({ref.bucket}/{ref.object_key}) has sha256 {actual}, "
                f"the event says {ref.sha256}")
    if len(data) != ref.size_bytes:
        return f"document {ref.document_id} has {len(data)} bytes, the event says {ref.size_bytes}"
    return None
