"""Object storage through the minio SDK: MinIO in production, an S3 stand-in on developer machines.

One bucket per court (``ecourt-<court id>``); document bytes are content-addressed
(``documents/sha256/<2 hex>/<sha256>``), so the same file uploaded twice is stored once and a stored
object can never silently change under its name.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from minio import Minio
from minio.error import S3Error

from ecourt_shared.settings import Settings


@dataclass(frozen=True)
class StoredObject:
    bucket: str
    key: str
    sha256: str
    size: int
    already_present: bool


def court_bucket(court_id: str) -> str:
    return f"ecourt-{court_id.lower()}"


def document_key(sha256: str) -> str:
    return f"documents/sha256/{sha256[:2]}/{sha256}"


class ObjectStore:
    def __init__(self, client: Minio) -> None:
        self.client = client
        self._known_buckets: set[str] = set()

    @classmethod
    def from_settings(cls, settings: Settings) -> ObjectStore:
        return cls(Minio(settings.s3_endpoint, access_key=settings.s3_access_key,
                         secret_key=settings.s3_secret_key, secure=settings.s3_secure,
                         region=settings.s3_region))

    def ensure_bucket(self, bucket: str) -> None:
        if bucket in self._known_buckets:
            return
        if not self.client.bucket_exists(bucket):
            try:
                self.client.make_bucket(bucket)
            except S3Error as exc:  # created concurrently by another process
                if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise
        self._known_buckets.add(bucket)

    def put_document(self, court_id: str, data: bytes, content_type: str) -> StoredObject:
        sha256 = hashlib.sha256(data).hexdigest()
        bucket, key = court_bucket(court_id), document_key(sha256)
        self.ensure_bucket(bucket)
        if self.exists(bucket, key):
            return StoredObject(bucket, key, sha256, len(data), already_present=True)
        self.client.put_object(bucket, key, io.BytesIO(data), len(data), content_type=content_type,
                               metadata={"sha256": sha256})
        return StoredObject(bucket, key, sha256, len(data), already_present=False)

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.client.stat_object(bucket, key)
            return True
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return False
            raise

    def get(self, bucket: str, key: str) -> bytes:
        response = self.client.get_object(bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()


class ObjectMismatch(ValueError):
    """The stored object's bytes do not hash to the SHA-256 recorded for them: it was replaced or damaged."""


def verified_bytes(store: ObjectStore, bucket: str, key: str, sha256: str) -> bytes:
    """The object's bytes, only if they still hash to ``sha256`` (a reader never trusts the name alone)."""
    data = store.get(bucket, key)
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256.lower():
        raise ObjectMismatch(f"{bucket}/{key} has sha256 {actual}, {sha256} was recorded")
    return data
