"""The S3 checkpoint store against the real S3 stand-in: write, read back, signatures, tampering detected."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import pytest

from ecourt_casefile.ledger.checkpoints import (
    CheckpointError,
    CheckpointRecord,
    S3CheckpointStore,
    load_or_create_key,
)
from ecourt_casefile.ledger.verifying import verify_case, verify_court
from ecourt_shared.storage import ObjectStore

pytestmark = pytest.mark.integration


@pytest.fixture
def s3_book(book: Any, ecourt_env: Any) -> Any:
    """The conftest's ledger of a fresh court, checkpointed into a fresh bucket of the S3 stand-in."""
    client = ObjectStore.from_settings(ecourt_env.settings).client
    book.store = S3CheckpointStore(client, f"ecourt-checkpoints-{uuid.uuid4().hex[:10]}")
    return book


def overwrite(store: S3CheckpointStore, key: str, data: bytes) -> None:
    """What someone with write access to the bucket could do (no Object Lock on the stand-in)."""
    store.client.put_object(store.bucket, key, io.BytesIO(data), len(data))


def test_checkpoints_written_to_s3_read_back_signed_and_verify(s3_book: Any) -> None:
    s3_book.append(cases=3, per_case=4)
    first = s3_book.checkpoint()
    s3_book.append(cases=2, per_case=3)
    second = s3_book.checkpoint()
    assert s3_book.checkpoint() is None  # nothing new: no third checkpoint
    store: S3CheckpointStore = s3_book.store

    records = store.records(s3_book.court)
    assert [r.checkpoint.tree_size for r in records] == [12, 18]
    assert [r.checkpoint for r in records] == [first.checkpoint, second.checkpoint]
    assert records[1].previous_size == 12
    for record in records:
        record.checkpoint.verify(s3_book.key.public_key())  # raises if the signature does not hold
    assert len(store.leaves(s3_book.court, 12) or b"") == 12 * 32
    assert len(store.leaves(s3_book.court, 18) or b"") == 6 * 32
    assert s3_book.court in store.courts()
    assert store.append(second, store.leaves(s3_book.court, 18) or b"") is False  # same checkpoint again: no-op

    report = verify_court(s3_book.uows.engine, s3_book.court, store, s3_book.key.public_key())
    assert report.ok, report.problem
    assert (report.entries, report.checkpoints) == (18, 2)
    assert verify_case(s3_book.uows.engine, s3_book.case(0), store, s3_book.key.public_key()).ok


def test_another_key_does_not_verify_the_s3_checkpoints(s3_book: Any, tmp_path: Any) -> None:
    s3_book.append(cases=2, per_case=2)
    s3_book.checkpoint()
    stranger = load_or_create_key(tmp_path / "other.pem")
    report = verify_court(s3_book.uows.engine, s3_book.court, s3_book.store, stranger.public_key())
    assert not report.ok and report.problem.code == "signature"


def test_a_tampered_checkpoint_object_is_detected(s3_book: Any) -> None:
    s3_book.append(cases=2, per_case=3)
    s3_book.checkpoint()
    store: S3CheckpointStore = s3_book.store
    key = f"checkpoints/{s3_book.court}/{6:012d}.json"
    original = json.loads(store._get(key) or b"{}")
    forged = {**original, "root": "00" * 32}  # a different tree root under the old signature
    overwrite(store, key, json.dumps(forged, sort_keys=True).encode())
    report = verify_court(s3_book.uows.engine, s3_book.court, store, s3_book.key.public_key())
    assert not report.ok and report.problem.code == "signature"
    # and writing the true checkpoint again is refused: the stored one contradicts it
    with pytest.raises(CheckpointError):
        store.append(CheckpointRecord.from_json(original), store.leaves(s3_book.court, 6) or b"")


def test_tampered_leaves_in_s3_are_detected(s3_book: Any) -> None:
    s3_book.append(cases=2, per_case=3)
    s3_book.checkpoint()
    store: S3CheckpointStore = s3_book.store
    leaves = bytearray(store.leaves(s3_book.court, 6) or b"")
    leaves[40] ^= 0x01  # one bit of the second leaf hash
    overwrite(store, f"checkpoints/{s3_book.court}/{6:012d}.leaves", bytes(leaves))
    report = verify_court(s3_book.uows.engine, s3_book.court, store, s3_book.key.public_key())
    assert not report.ok, "a changed leaf segment must not verify"
