"""Uploads and new versions of dossier documents (``add_document``), on real PostgreSQL, MongoDB and S3.

The service runs through ``worker_factory`` with the real adapters; only the broker is absent. Every
refusal is checked to leave nothing behind: no ledger entry, an unchanged dossier, no object in the bucket.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

import pytest
from nameko.testing.services import worker_factory

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.domain.clock import utc_now
from ecourt_casefile.service import CasefileService
from ecourt_casefile.service_layer import uploading
from ecourt_shared.auth import Principal, Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.storage import ObjectStore, court_bucket, document_key
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.service

# The smallest well-formed PNG: signature, IHDR (1x1), IDAT, IEND.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJ"
                       "RU5ErkJggg==")


@pytest.fixture(scope="module")
def uows(casefile_engine):
    return UnitOfWorkFactory(casefile_engine, metadata)


@pytest.fixture(scope="module")
def dossiers(mongo_db):
    return DossierStore(mongo_db)


@pytest.fixture(scope="module")
def store(ecourt_env):
    return ObjectStore.from_settings(ecourt_env.settings)


@pytest.fixture
def service(uows, dossiers, store, ecourt_env):
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(CasefileService, db=uows, dossiers=dossiers, store=store,
                          auth=Authenticator(lambda token: verify_token(token, key)))


def unique_pdf(pages: int = 1) -> bytes:
    """A valid PDF no other test stores (a comment after the end), so bucket checks are about this test only."""
    return blank_pdf(pages=pages) + f"\n% {uuid.uuid4().hex}\n".encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture
def case(service, events, store) -> dict[str, Any]:
    """A received case with one filed document, assigned to judge J-0007."""
    filed = unique_pdf(2)
    store.put_document(events.COURT, filed, "application/pdf")
    payload = events.received([events.document(filed, page_count=2)])
    service.on_case_received(payload, events.envelope(payload))
    assigned = events.assigned(payload.case_id)
    service.on_case_assigned(assigned, events.envelope(assigned))
    return {"case_id": payload.case_id, "filed": payload.documents[0]}


def judge(env) -> str:
    return env.token(Role.JUDGE, user_id="u-j7", judge_id="J-0007", display_name="Lê Văn Cường")


def ledger_of(pg, case_id: str) -> list[Any]:
    return pg("SELECT kind, payload FROM ledger_entries WHERE case_id = :c ORDER BY case_seq", c=case_id)


def snapshot(pg, dossiers, case_id: str) -> tuple[Any, ...]:
    return len(ledger_of(pg, case_id)), dossiers.get(case_id)


def test_an_upload_becomes_version_1_and_a_replacement_version_2_with_both_kept(
        service, case, ecourt_env, dossiers, store, pg):
    first = unique_pdf(3)
    added = service.add_document(judge(ecourt_env), format_case_id(case["case_id"]), "Biên bản hòa giải",
                                 "bien-ban-hoa-giai.pdf", b64(first), sha256=hashlib.sha256(first).hexdigest())
    assert (added["version"], added["page_count"], added["content_type"], added["source"]) == \
        (1, 3, "application/pdf", "upload")
    assert added["sha256"] == hashlib.sha256(first).hexdigest() and not added["already_stored"]
    assert store.get(court_bucket("79KV01"), added["object_key"]) == first

    # a new version keeps its document's title: none is needed
    second = service.add_document(judge(ecourt_env), case["case_id"], None, "scan.png",
                                  b64(PNG), replaces_document_id=added["document_id"])
    assert (second["document_id"], second["version"], second["content_type"]) == \
        (added["document_id"], 2, "image/png")

    doc = dossiers.get(case["case_id"])
    entry = next(d for d in doc["documents"] if d["document_id"] == added["document_id"])
    assert entry["title"] == "Biên bản hòa giải" and entry["version"] == 2
    assert entry["sha256"] == hashlib.sha256(PNG).hexdigest() and entry["filename"] == "scan.png"
    assert [(v["version"], v["sha256"], v["content_type"]) for v in entry["versions"]] == [
        (1, hashlib.sha256(first).hexdigest(), "application/pdf"), (2, hashlib.sha256(PNG).hexdigest(), "image/png")]
    kinds = [e["kind"] for e in doc["timeline"]]
    assert kinds.count("document_added") == 1 and kinds.count("document_version") == 1
    version_texts = [e["text_vi"] for e in doc["timeline"] if e["kind"] == "document_version"]
    assert "phiên bản 2 thay phiên bản 1" in version_texts[0]

    uploads = [json.loads(r.payload) for r in ledger_of(pg, case["case_id"])
               if r.kind == "document.version" and json.loads(r.payload).get("added_by") == "u-j7"]
    assert [(u["version"], u["sha256"]) for u in uploads] == [(1, added["sha256"]), (2, second["sha256"])]

    view = service.get_dossier(ecourt_env.token(Role.PRESIDENT), case["case_id"])
    shown = next(d for d in view["documents"] if d["document_id"] == added["document_id"])
    assert [v["version"] for v in shown["versions"]] == [1, 2] and shown["version"] == 2
    assert {v["added_by_name"] for v in shown["versions"]} == {"Lê Văn Cường"}


def test_a_filed_document_gets_a_second_version_and_keeps_its_first(service, case, ecourt_env, dossiers):
    filed = case["filed"]
    newer = unique_pdf(1)
    clerk = ecourt_env.token(Role.PRESIDENT, user_id="u-president")
    result = service.add_document(clerk, case["case_id"], "Đơn khởi kiện (bản sửa đổi)", "don-sua-doi.pdf",
                                  b64(newer), replaces_document_id=filed.document_id)
    assert result["version"] == 2
    entry = next(d for d in dossiers.get(case["case_id"])["documents"] if d["document_id"] == filed.document_id)
    assert [(v["version"], v["source"], v["sha256"]) for v in entry["versions"]] == \
        [(1, "filed", filed.sha256), (2, "upload", hashlib.sha256(newer).hexdigest())]


def test_refusals_are_field_by_field_and_leave_nothing(service, case, ecourt_env, dossiers, store, pg):
    case_id = case["case_id"]
    before = snapshot(pg, dossiers, case_id)
    token = judge(ecourt_env)

    def refused(**overrides: Any) -> list[tuple[str, str]]:
        call = {"title": "Tài liệu", "filename": "tai-lieu.pdf", "content_base64": b64(unique_pdf())}
        with pytest.raises(RequestRejected) as exc:
            service.add_document(token, case_id, **{**call, **overrides})
        return [(e.field, e.code) for e in exc.value.errors]

    not_a_document = b"MZ\x90\x00 this is an executable, not a scan" + uuid.uuid4().bytes
    assert refused(content_base64=b64(not_a_document)) == [("content_base64", "attachment.unsupported_type")]
    renamed_text = f"plain text named .pdf {uuid.uuid4()}".encode()
    assert refused(content_base64=b64(renamed_text), filename="don.pdf") == \
        [("content_base64", "attachment.unsupported_type")]
    assert refused(content_base64="%%% not base64") == [("content_base64", "attachment.bad_encoding")]
    good = unique_pdf()
    assert refused(content_base64=b64(good), sha256="ab" * 32) == [("sha256", "upload.sha256_mismatch")]
    assert refused(title="  ", filename="../../etc/passwd") == [("title", "field.required"),
                                                               ("filename", "filename.invalid")]
    assert refused(replaces_document_id="D-DOESNOTEXIST0000") == [("replaces_document_id", "document.unknown")]
    same_as_filed = store.get(case["filed"].bucket, case["filed"].object_key)
    assert refused(content_base64=b64(same_as_filed), replaces_document_id=case["filed"].document_id) == \
        [("content_base64", "document.unchanged")]

    principal = Principal(user_id="u-j7", court_id="79KV01", roles=[Role.JUDGE], display_name="Lê Văn Cường",
                          judge_id="J-0007")
    oversized = unique_pdf(2)
    with pytest.raises(RequestRejected) as too_big:
        uploading.add_document(principal, case_id, "Tài liệu", "lon.pdf", b64(oversized), None, None,
                               service.db, dossiers, store, utc_now, max_bytes=len(oversized) - 1)
    assert [(e.field, e.code) for e in too_big.value.errors] == [("content_base64", "attachment.too_large")]

    with pytest.raises(RequestRejected) as malformed:
        service.add_document(token, "79KV01-2026-1", "Tài liệu", "a.pdf", b64(unique_pdf()))
    assert malformed.value.errors[0].field == "case_id"
    with pytest.raises(NotFound):  # another court's case, exactly like none
        service.add_document(ecourt_env.token(Role.PRESIDENT, court_id="01TC00"), case_id, "Tài liệu", "a.pdf",
                             b64(unique_pdf()))
    for outsider in (ecourt_env.token(Role.JUDGE, user_id="u-j99", judge_id="J-0099"),
                     ecourt_env.token(Role.RECEPTION, user_id="u-reception")):
        with pytest.raises(PermissionDenied):
            service.add_document(outsider, case_id, "Tài liệu", "a.pdf", b64(unique_pdf()))

    assert snapshot(pg, dossiers, case_id) == before  # no ledger entry, the dossier unchanged
    for data in (not_a_document, renamed_text, good, oversized):  # and nothing in the bucket
        sha = hashlib.sha256(data).hexdigest()
        assert not store.exists(court_bucket("79KV01"), document_key(sha))


class CommitFails(UnitOfWorkFactory):
    """PostgreSQL as usual, except that the commit is lost (the connection drops at that moment)."""

    def __call__(self):  # type: ignore[no-untyped-def]
        uow = super().__call__()

        def lost() -> None:
            raise ConnectionError("connection lost during COMMIT")
        uow.commit = lost  # type: ignore[method-assign]
        return uow


def test_an_upload_whose_commit_fails_is_undone_in_the_dossier(case, casefile_engine, dossiers, store, pg):
    case_id = case["case_id"]
    ledger_before, dossier_before = snapshot(pg, dossiers, case_id)
    principal = Principal(user_id="u-j7", court_id="79KV01", roles=[Role.JUDGE], display_name="Lê Văn Cường",
                          judge_id="J-0007")
    with pytest.raises(ConnectionError):
        uploading.add_document(principal, case_id, "Tài liệu", "a.pdf", b64(unique_pdf()), None, None,
                               CommitFails(casefile_engine, metadata), dossiers, store, utc_now, max_bytes=10**7)
    ledger_after, dossier_after = snapshot(pg, dossiers, case_id)
    assert ledger_after == ledger_before
    assert {k: v for k, v in dossier_after.items() if k != "revision"} == \
        {k: v for k, v in dossier_before.items() if k != "revision"}
