"""Signing keeps every version's bytes in the court's bucket (real PostgreSQL and S3 endpoint, no broker).

PostgreSQL holds the metadata, the object reference and the SHA-256; the bytes are read back only if they
still hash to it. A failed upload stores no version; versions written before migration 0002 are still read
from their old column.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from minio import Minio
from sqlalchemy import create_engine, func, select
from urllib3.exceptions import MaxRetryError

from ecourt_shared.auth import Principal, Role
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.storage import ObjectMismatch, ObjectStore, court_bucket
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_signing.adapters.dev_ca import DevCertificateAuthority
from ecourt_signing.adapters.orm import document_versions, metadata, outbox, seal_queue
from ecourt_signing.domain.templates import sample_fields
from ecourt_signing.service_layer import workflow

pytestmark = pytest.mark.service

MAX_BYTES = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def uows(ecourt_env: EcourtEnv, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_signing")
    engine = create_engine(ecourt_env.settings.database_url("signing"))
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DevCertificateAuthority:
    store = DevCertificateAuthority(tmp_path_factory.mktemp("store-keys"))
    store.prepare()
    return store


@pytest.fixture(scope="module")
def store(ecourt_env: EcourtEnv) -> ObjectStore:
    return ObjectStore.from_settings(ecourt_env.settings)


def now() -> datetime:
    return datetime.now(UTC)


WHO = {"judge": Principal(user_id="u-judge-s", court_id="79KV01", roles=[Role.JUDGE], judge_id="J-2",
                          display_name="Phạm Minh Tuấn"),
       "president": Principal(user_id="u-pres-s", court_id="79KV01", roles=[Role.PRESIDENT],
                              display_name="Đặng Thị Hương"),
       "clerk": Principal(user_id="u-clerk-s", court_id="79KV01", roles=[Role.CLERK], display_name="Vũ Ngọc Ánh")}


class Signing:
    """The signing use cases on one object store (the case-access check of service.py is not what is tested)."""

    def __init__(self, uows: UnitOfWorkFactory, store: ObjectStore, keys: DevCertificateAuthority) -> None:
        self.uows, self.store, self.keys = uows, store, keys

    def draft(self, kind: str = "summons") -> dict[str, Any]:
        fields = sample_fields(kind)
        return workflow.create_draft(self.uows, self.store, WHO["judge"], fields["case_id"], kind, fields, now)

    def sign(self, who: str, state: dict[str, Any]) -> dict[str, Any]:
        return workflow.sign(self.uows, self.store, WHO[who], self.keys, state["document_id"],
                             state["current_sha256"], now, MAX_BYTES)

    def pdf(self, document_id: str) -> bytes:
        return workflow.get_document(self.uows, self.store, WHO["judge"], document_id)[1]


@pytest.fixture
def signing(uows: UnitOfWorkFactory, store: ObjectStore, keys: DevCertificateAuthority) -> Signing:
    return Signing(uows, store, keys)


def versions(uows: UnitOfWorkFactory, document_id: str) -> list[Any]:
    with uows() as uow:
        return list(uow.execute(select(document_versions).where(document_versions.c.document_id == document_id)
                                .order_by(document_versions.c.version_no)))


def unreachable_store() -> ObjectStore:
    """A real minio client aimed at a port nobody listens on: every upload fails at once."""
    import urllib3

    http = urllib3.PoolManager(retries=urllib3.Retry(total=0), timeout=2)
    return ObjectStore(Minio("127.0.0.1:9", access_key="x", secret_key="y", secure=False, http_client=http))


def test_every_version_is_in_the_bucket_and_postgres_keeps_only_reference_and_hash(
        signing: Signing, uows: UnitOfWorkFactory, store: ObjectStore) -> None:
    state = signing.draft("judgment")  # signed by the judge, the president, the clerk
    for signer in ("judge", "president", "clerk"):
        state = signing.sign(signer, state)
    assert state["status"] == "in_effect"

    rows = versions(uows, state["document_id"])
    assert [r.kind for r in rows] == ["draft", "signed", "signed", "signed"]
    for row in rows:
        assert row.pdf is None and row.bucket == court_bucket("79KV01")
        assert row.object_key == f"documents/sha256/{row.sha256[:2]}/{row.sha256}"
        data = store.get(row.bucket, row.object_key)
        assert hashlib.sha256(data).hexdigest() == row.sha256 and len(data) == row.size_bytes
    assert signing.pdf(state["document_id"]) == store.get(rows[-1].bucket, rows[-1].object_key)

    with uows() as uow:
        signed_events = [r.envelope["payload"] for r in uow.execute(select(outbox)
                         .where(outbox.c.event_type == "document_signed"))
                         if r.envelope["payload"]["document_id"] == state["document_id"]]
    assert [(e["version_no"], e["sha256"], e["bucket"], e["object_key"]) for e in signed_events] == \
        [(r.version_no, r.sha256, r.bucket, r.object_key) for r in rows[1:]]

    scan = blank_pdf(pages=1) + f"\n% {uuid.uuid4().hex}\n".encode()
    sealed = workflow.record_seal(uows, store, WHO["clerk"], state["document_id"], scan, now, MAX_BYTES)
    assert sealed["status"] == "sealed"
    with uows() as uow:
        queued = uow.execute(select(seal_queue).where(seal_queue.c.document_id == state["document_id"])).one()
        sealed_event = next(r.envelope["payload"] for r in uow.execute(select(outbox)
                            .where(outbox.c.event_type == "document_sealed"))
                            if r.envelope["payload"]["document_id"] == state["document_id"])
    assert queued.scan is None and store.get(queued.scan_bucket, queued.scan_object_key) == scan
    assert sealed_event["scan_object_key"] == queued.scan_object_key
    assert sealed_event["scan_sha256"] == hashlib.sha256(scan).hexdigest()
    assert sealed_event["sealed_by_name"] == "Vũ Ngọc Ánh"


def as_legacy_row(uows: UnitOfWorkFactory, store: ObjectStore, document_id: str) -> bytes:
    """Turn the document's draft into a row as 0001 wrote it: bytes in the column, no object reference."""
    row = versions(uows, document_id)[0]
    legacy = store.get(row.bucket, row.object_key)
    with uows() as uow:
        uow.execute(document_versions.update().where(document_versions.c.document_id == document_id)
                    .values(pdf=legacy, bucket=None, object_key=None, size_bytes=None))
        uow.commit()
    return legacy


def outbox_size(uows: UnitOfWorkFactory) -> int:
    with uows() as uow:
        return int(uow.execute(select(func.count()).select_from(outbox)).scalar_one())


def test_a_failed_upload_stores_no_version_and_no_event(
        signing: Signing, keys: DevCertificateAuthority, uows: UnitOfWorkFactory, store: ObjectStore) -> None:
    state = signing.draft()
    as_legacy_row(uows, store, state["document_id"])  # the reviewed draft is read without the object store
    events_before = outbox_size(uows)
    broken = Signing(uows, unreachable_store(), keys)
    with pytest.raises(MaxRetryError):
        broken.sign("judge", state)
    assert len(versions(uows, state["document_id"])) == 1  # no half-signed version
    assert outbox_size(uows) == events_before
    assert workflow.get_document(uows, store, WHO["judge"], state["document_id"])[0]["status"] == "draft"
    with pytest.raises(MaxRetryError):  # a draft whose upload fails is not created either
        broken.draft()
    assert outbox_size(uows) == events_before


def test_bytes_changed_in_the_bucket_are_never_signed_or_served(
        signing: Signing, uows: UnitOfWorkFactory, store: ObjectStore) -> None:
    state = signing.draft()
    row = versions(uows, state["document_id"])[0]  # a rendered draft: its own object (it names its document)
    forged = blank_pdf(pages=3)
    store.client.put_object(row.bucket, row.object_key, io.BytesIO(forged), len(forged))
    with pytest.raises(ObjectMismatch):
        signing.sign("judge", state)
    with pytest.raises(ObjectMismatch):
        signing.pdf(state["document_id"])
    assert len(versions(uows, state["document_id"])) == 1


def test_versions_stored_before_0002_are_read_from_their_old_column(
        signing: Signing, uows: UnitOfWorkFactory, store: ObjectStore) -> None:
    state = signing.draft()
    legacy = as_legacy_row(uows, store, state["document_id"])
    assert signing.pdf(state["document_id"]) == legacy
    signed = signing.sign("judge", state)
    assert versions(uows, state["document_id"])[1].object_key is not None  # the new version goes to S3
    assert signed["current_version"] == 2
