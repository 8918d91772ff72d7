"""Signed checkpoints of a court's Merkle tree, and where they are kept: outside the database.

A checkpoint is ``(court, tree size, root, time)`` signed with the ledger's Ed25519 key. The signed message is
the text ``"ecourt.ledger.checkpoint.v1\\n<court>\\n<size>\\n<root hex>\\n<time>\\n"``, so anyone with the public key
can check one by hand. Next to each checkpoint the store keeps the leaf hashes it added (32 bytes each, from the
previous checkpoint's size to its own): they are authenticated by the signed root, let ``verify`` name the exact
entry that changed even when its hashes were recomputed, and let the service build proofs without reading the
whole ledger table.

The key is generated once, at ``$ECOURT_LEDGER_KEY_FILE`` or ``<data_dir>/ledger/checkpoint-key.pem`` (mode 0600,
never committed). Stores are pluggable (:class:`CheckpointStore`): append-only files under
``<data_dir>/ledger/checkpoints/<court>/`` by default (created exclusively, then made read-only), or an S3 bucket
(``ECOURT_LEDGER_CHECKPOINT_STORE=s3``; turn on Object Lock / WORM retention on that bucket to make it immutable).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic_settings import BaseSettings, SettingsConfigDict

from ecourt_shared.settings import Settings

CHECKPOINT_TAG = "ecourt.ledger.checkpoint.v1"
HASH_SIZE = 32


class LedgerSettings(BaseSettings):
    """``ECOURT_LEDGER_*``: key file, checkpoint store and how often the worker writes a checkpoint."""

    model_config = SettingsConfigDict(env_prefix="ECOURT_LEDGER_", extra="ignore")

    key_file: Path | None = None
    checkpoint_store: str = "file"  # file | s3
    checkpoint_dir: Path | None = None
    checkpoint_bucket: str = "ecourt-ledger"
    checkpoint_seconds: int = 300


class CheckpointError(Exception):
    """A checkpoint that is missing, unsigned, badly signed or contradicts another."""


@dataclass(frozen=True)
class Checkpoint:
    court_id: str
    tree_size: int
    root: bytes
    time: str  # ISO 8601 UTC, as signed
    signature: bytes = b""
    key_id: str = ""

    def message(self) -> bytes:
        return f"{CHECKPOINT_TAG}\n{self.court_id}\n{self.tree_size}\n{self.root.hex()}\n{self.time}\n".encode()

    def verify(self, public_key: Ed25519PublicKey) -> None:
        try:
            public_key.verify(self.signature, self.message())
        except InvalidSignature:
            raise CheckpointError(f"checkpoint {self.court_id}@{self.tree_size}: the signature is not valid "
                                  "for this public key") from None

    def to_json(self) -> dict[str, Any]:
        return {"court_id": self.court_id, "tree_size": self.tree_size, "root": self.root.hex(), "time": self.time,
                "key_id": self.key_id, "signature": base64.b64encode(self.signature).decode()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checkpoint:
        try:
            return cls(court_id=str(data["court_id"]), tree_size=int(data["tree_size"]),
                       root=bytes.fromhex(data["root"]), time=str(data["time"]),
                       signature=base64.b64decode(data["signature"], validate=True), key_id=str(data.get("key_id", "")))
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointError(f"not a checkpoint: {exc}") from None


@dataclass(frozen=True)
class CheckpointRecord:
    """A stored checkpoint, the size of the one before it and the tree's frontier (to continue it cheaply)."""

    checkpoint: Checkpoint
    previous_size: int
    frontier: list[tuple[int, bytes]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**self.checkpoint.to_json(), "previous_size": self.previous_size,
                "frontier": [[height, digest.hex()] for height, digest in self.frontier]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckpointRecord:
        try:
            return cls(checkpoint=Checkpoint.from_json(data), previous_size=int(data["previous_size"]),
                       frontier=[(int(h), bytes.fromhex(d)) for h, d in data.get("frontier", [])])
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointError(f"not a checkpoint record: {exc}") from None


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(private_key: Ed25519PrivateKey, court_id: str, tree_size: int, root: bytes, time: str) -> Checkpoint:
    unsigned = Checkpoint(court_id, tree_size, root, time)
    return Checkpoint(court_id, tree_size, root, time, private_key.sign(unsigned.message()),
                      key_id(private_key.public_key()))


# --- the key -----------------------------------------------------------------------------------------------

def key_path(settings: Settings, ledger: LedgerSettings | None = None) -> Path:
    ledger = ledger or LedgerSettings()
    return ledger.key_file or settings.data_dir / "ledger" / "checkpoint-key.pem"


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The checkpoint signing key; created (0600) the first time, atomically even if two processes race."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another process created it first: theirs wins
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
        public = path.with_name(path.stem + ".pub.pem")
        if not public.exists():
            public.write_bytes(public_pem(load_private_key(path).public_key()))
    return load_private_key(path)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} is not an Ed25519 public key")
    return key


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


# --- stores ------------------------------------------------------------------------------------------------

class CheckpointStore(Protocol):
    """Append-only storage of checkpoint records and their leaf segments, outside the database."""

    def append(self, record: CheckpointRecord, leaves: bytes) -> bool:
        """Store a new checkpoint; False if one of that size exists already (it must have the same root)."""

    def records(self, court_id: str) -> list[CheckpointRecord]:
        """Every checkpoint of the court, by tree size."""

    def leaves(self, court_id: str, tree_size: int) -> bytes | None:
        """The leaf hashes the checkpoint of that size added, or None if the segment is gone."""

    def courts(self) -> list[str]:
        """Courts with at least one checkpoint."""


def _name(tree_size: int) -> str:
    return f"{tree_size:012d}"


class FileCheckpointStore:
    """``<root>/<court>/<size>.leaves`` then ``<size>.json``: each written once (O_EXCL), fsynced, made read-only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _write_once(self, path: Path, data: bytes) -> bool:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return True

    def append(self, record: CheckpointRecord, leaves: bytes) -> bool:
        cp = record.checkpoint
        folder = self.root / cp.court_id
        folder.mkdir(parents=True, exist_ok=True)
        meta = folder / f"{_name(cp.tree_size)}.json"
        if meta.exists():
            return _same_checkpoint(CheckpointRecord.from_json(json.loads(meta.read_bytes())), record)
        leaves_path = folder / f"{_name(cp.tree_size)}.leaves"
        if not self._write_once(leaves_path, leaves) and leaves_path.read_bytes() != leaves:
            raise CheckpointError(f"{leaves_path} exists with other leaves")
        written = self._write_once(meta, json.dumps(record.to_json(), sort_keys=True).encode() + b"\n")
        if not written:
            return _same_checkpoint(CheckpointRecord.from_json(json.loads(meta.read_bytes())), record)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return True

    def records(self, court_id: str) -> list[CheckpointRecord]:
        folder = self.root / court_id
        if not folder.is_dir():
            return []
        return [CheckpointRecord.from_json(json.loads(p.read_bytes())) for p in sorted(folder.glob("*.json"))]

    def leaves(self, court_id: str, tree_size: int) -> bytes | None:
        path = self.root / court_id / f"{_name(tree_size)}.leaves"
        return path.read_bytes() if path.exists() else None

    def courts(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and any(p.glob("*.json")))


class S3CheckpointStore:
    """The same layout as objects ``checkpoints/<court>/<size>.json|.leaves`` in one bucket (enable Object Lock)."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket
        self._bucket_ready = False

    def _ensure_bucket(self) -> None:
        if not self._bucket_ready:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)
            self._bucket_ready = True

    def _get(self, key: str) -> bytes | None:
        from minio.error import S3Error

        try:
            response = self.client.get_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound", "NoSuchBucket"):
                return None
            raise
        try:
            return bytes(response.read())
        finally:
            response.close()
            response.release_conn()

    def _put(self, key: str, data: bytes) -> None:
        self.client.put_object(self.bucket, key, io.BytesIO(data), len(data))

    def append(self, record: CheckpointRecord, leaves: bytes) -> bool:
        self._ensure_bucket()
        cp = record.checkpoint
        prefix = f"checkpoints/{cp.court_id}/{_name(cp.tree_size)}"
        existing = self._get(prefix + ".json")
        if existing is not None:
            return _same_checkpoint(CheckpointRecord.from_json(json.loads(existing)), record)
        self._put(prefix + ".leaves", leaves)
        self._put(prefix + ".json", json.dumps(record.to_json(), sort_keys=True).encode() + b"\n")
        return True

    def records(self, court_id: str) -> list[CheckpointRecord]:
        from minio.error import S3Error

        try:
            names = sorted(o.object_name for o in self.client.list_objects(
                self.bucket, prefix=f"checkpoints/{court_id}/") if o.object_name.endswith(".json"))
        except S3Error as exc:
            if exc.code == "NoSuchBucket":
                return []
            raise
        out = []
        for name in names:
            data = self._get(name)
            if data is not None:
                out.append(CheckpointRecord.from_json(json.loads(data)))
        return out

    def leaves(self, court_id: str, tree_size: int) -> bytes | None:
        return self._get(f"checkpoints/{court_id}/{_name(tree_size)}.leaves")

    def courts(self) -> list[str]:
        from minio.error import S3Error

        try:
            return sorted(o.object_name.split("/")[1] for o in self.client.list_objects(
                self.bucket, prefix="checkpoints/") if o.is_dir)
        except S3Error as exc:
            if exc.code == "NoSuchBucket":
                return []
            raise


def _same_checkpoint(existing: CheckpointRecord, new: CheckpointRecord) -> bool:
    if existing.checkpoint.root != new.checkpoint.root:
        raise CheckpointError(f"a checkpoint of {existing.checkpoint.court_id} at size "
                              f"{existing.checkpoint.tree_size} exists with another root")
    return False


def store_from_settings(settings: Settings, ledger: LedgerSettings | None = None) -> CheckpointStore:
    ledger = ledger or LedgerSettings()
    if ledger.checkpoint_store == "file":
        return FileCheckpointStore(ledger.checkpoint_dir or settings.data_dir / "ledger" / "checkpoints")
    if ledger.checkpoint_store == "s3":
        from ecourt_shared.storage import ObjectStore

        return S3CheckpointStore(ObjectStore.from_settings(settings).client, ledger.checkpoint_bucket)
    raise CheckpointError(f"ECOURT_LEDGER_CHECKPOINT_STORE must be file or s3, not {ledger.checkpoint_store!r}")


def split_leaves(segment: bytes) -> list[bytes]:
    if len(segment) % HASH_SIZE:
        raise CheckpointError("a leaf segment's length is not a multiple of 32")
    return [segment[i:i + HASH_SIZE] for i in range(0, len(segment), HASH_SIZE)]
