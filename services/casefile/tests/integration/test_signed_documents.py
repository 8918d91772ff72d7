"""Signed documents reach the dossier: the real signing and casefile workers on RabbitMQ, PostgreSQL, the
MongoDB wire server and the S3 endpoint.

A judgment is drafted and signed over signing's RPC (judge, then president, then clerk), the clerk records
the seal; signing's relay publishes ``document_signed`` / ``document_sealed`` and casefile attaches each
signed version (verified against the bucket) to the dossier, its timeline and the case's ledger.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from kombu import Connection

from ecourt_shared.auth import Role
from ecourt_shared.bus.topology import subscription
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.errors import NotFound
from ecourt_shared.contracts.signing import DocumentSignedV1
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.scenarios import publish_event

pytestmark = pytest.mark.integration

SIGNED_DLQ = subscription(DocumentSignedV1, "casefile").dead_letter_queue_name


@pytest.fixture(scope="module")
def workers(service_processes, mongo_db):
    # Retries slow enough for a case to arrive between two attempts (test_a_signature_that_overtakes_…).
    casefile = service_processes("casefile", "ecourt_casefile", ECOURT_EVENT_RETRY_DELAY_MS="1500",
                                 ECOURT_EVENT_MAX_ATTEMPTS="6")
    return casefile, service_processes("signing", "ecourt_signing")


@pytest.fixture(scope="module")
def rpc(ecourt_env, workers):
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def store(ecourt_env):
    return ObjectStore.from_settings(ecourt_env.settings)


@pytest.fixture(scope="module")
def publish(ecourt_env, workers) -> Callable[[EventPayload], EventEnvelope]:
    return lambda payload: publish_event(ecourt_env.settings.amqp_uri, payload)


def eventually(probe: Callable[[], Any], what: str, workers=None, timeout: float = 40) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.3)
    logs = "".join(f"\n{w.log_tail(60)}" for w in workers or ())
    raise AssertionError(f"timed out waiting for {what}{logs}")


def dossier(rpc, token: str, case_id: str) -> dict[str, Any] | None:
    try:
        return rpc.call("casefile", "get_dossier", token=token, case_id=case_id)
    except NotFound:
        return None


def open_case(publish, rpc, store, events, president: str, workers) -> str:
    data = blank_pdf(pages=1)
    store.put_document(events.COURT, data, "application/pdf")
    payload = events.received([events.document(data)])
    publish(payload)
    eventually(lambda: dossier(rpc, president, payload.case_id), "the dossier", workers)
    return payload.case_id


def staff_the_case(publish, rpc, events, case_id: str, president: str, workers) -> None:
    """Assign judge J-0007 and the clerk u-clerk-sd: signing lets only the people of the case sign its documents."""
    publish(events.assigned(case_id, judge_id="J-0007", judge_name="Phạm Minh Tuấn"))
    eventually(lambda: (dossier(rpc, president, case_id) or {}).get("judge_id") == "J-0007", "the judge", workers)
    rpc.call("casefile", "record_step", token=president, case_id=case_id, step="assign_clerk",
             params={"clerk_id": "u-clerk-sd"})


def people(env) -> dict[str, str]:
    return {"judge": env.token(Role.JUDGE, user_id="u-judge-sd", judge_id="J-0007", display_name="Phạm Minh Tuấn"),
            "president": env.token(Role.PRESIDENT, user_id="u-pres-sd", display_name="Đặng Thị Hương"),
            "clerk": env.token(Role.CLERK, user_id="u-clerk-sd", display_name="Vũ Ngọc Ánh")}


def judgment_draft(rpc, token: str, case_id: str) -> dict[str, Any]:
    from ecourt_signing.domain.templates import sample_fields

    fields = {**sample_fields("judgment"), "case_id": format_case_id(case_id)}
    return rpc.call("signing", "create_draft", token=token, case_id=fields["case_id"], kind="judgment",
                    fields=fields)


def take_dead_letter(amqp_uri: str, queue: str, event_id: str) -> dict[str, Any] | None:
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        try:
            while (message := channel.basic_get(queue, no_ack=False)) is not None:
                if message.properties.get("message_id") == event_id:
                    channel.basic_ack(message.delivery_tag)
                    return {"body": json.loads(message.body),
                            "headers": dict(message.properties.get("application_headers") or {})}
            return None
        finally:
            channel.close()


def test_judge_and_president_sign_then_the_clerk_seals_and_the_dossier_shows_it_all(
        workers, rpc, publish, store, ecourt_env, events, pg):
    who = people(ecourt_env)
    case_id = open_case(publish, rpc, store, events, who["president"], workers)
    staff_the_case(publish, rpc, events, case_id, who["president"], workers)
    state = judgment_draft(rpc, who["judge"], case_id)
    signed: list[dict[str, Any]] = []
    for signer in ("judge", "president"):
        state = rpc.call("signing", "sign", token=who[signer], document_id=state["document_id"],
                         reviewed_sha256=state["current_sha256"])
        signed.append(state)

    def two_signed_versions() -> dict[str, Any] | None:
        view = dossier(rpc, who["president"], case_id)
        docs = [d for d in (view or {}).get("documents", []) if d["document_id"] == state["document_id"]]
        return docs[0] if docs and len(docs[0]["versions"]) == 2 else None
    document = eventually(two_signed_versions, "both signed versions in the dossier", workers)
    assert [v["version"] for v in document["versions"]] == [2, 3]  # version 1 is the unsigned draft
    assert [v["sha256"] for v in document["versions"]] == [s["current_sha256"] for s in signed]
    assert [(v["signer_role"], v["signer_name"], v["in_effect"]) for v in document["versions"]] == \
        [("judge", "Phạm Minh Tuấn", False), ("president", "Đặng Thị Hương", False)]
    assert document["sha256"] == signed[-1]["current_sha256"] and document["status"] == "signing"
    for version in document["versions"]:  # the bytes the dossier points to are the signed PDF, intact
        assert hashlib.sha256(store.get(version["bucket"], version["object_key"])).hexdigest() == version["sha256"]

    state = rpc.call("signing", "sign", token=who["clerk"], document_id=state["document_id"],
                     reviewed_sha256=state["current_sha256"])
    assert state["status"] == "in_effect"
    rpc.call("signing", "record_seal", token=who["clerk"], document_id=state["document_id"],
             scan_pdf_base64=base64.b64encode(blank_pdf(pages=2)).decode())

    def sealed() -> dict[str, Any] | None:
        view = dossier(rpc, who["president"], case_id)
        kinds = [e["kind"] for e in (view or {}).get("timeline", [])]
        return view if "document_sealed" in kinds and kinds.count("document_signed") == 3 else None
    view = eventually(sealed, "the seal on the timeline", workers)
    timeline = [e for e in view["timeline"] if e["kind"] in ("document_signed", "document_sealed")]
    assert [e["kind"] for e in timeline] == ["document_signed"] * 3 + ["document_sealed"]
    assert "Ký số BẢN ÁN SƠ THẨM (phiên bản 2): Thẩm phán Phạm Minh Tuấn" in timeline[0]["text_vi"]
    assert "Chánh án Đặng Thị Hương" in timeline[1]["text_vi"] and "chờ các chữ ký" in timeline[1]["text_vi"]
    assert "văn bản có hiệu lực" in timeline[2]["text_vi"] and "now in effect" in timeline[2]["text_en"]
    assert "Đóng dấu BẢN ÁN SƠ THẨM: Thư ký Tòa án Vũ Ngọc Ánh" in timeline[3]["text_vi"]
    document = next(d for d in view["documents"] if d["document_id"] == state["document_id"])
    assert document["status"] == "sealed" and len(document["versions"]) == 3

    ledger = pg("SELECT kind, payload FROM ledger_entries WHERE case_id = :c ORDER BY case_seq", c=case_id)
    kinds = [r.kind for r in ledger]
    assert kinds.count("document.signed") == 3 and kinds[-1] == "document.sealed"
    signed_payloads = [json.loads(r.payload) for r in ledger if r.kind == "document.signed"]
    assert [p["version"] for p in signed_payloads] == [2, 3, 4]
    assert [p["in_effect"] for p in signed_payloads] == [False, False, True]


def test_a_signed_version_whose_stored_bytes_were_replaced_is_dead_lettered(
        workers, rpc, publish, store, ecourt_env, events, pg):
    who = people(ecourt_env)
    case_id = open_case(publish, rpc, store, events, who["president"], workers)
    genuine = blank_pdf(pages=3) + f"\n% {uuid.uuid4().hex}\n".encode()  # its own object: others' stay intact
    stored = store.put_document(events.COURT, genuine, "application/pdf")
    forged = blank_pdf(pages=4)  # someone with bucket access replaces the object under its content address
    store.client.put_object(stored.bucket, stored.key, io.BytesIO(forged), len(forged))
    envelope = publish(DocumentSignedV1(
        court_id=events.COURT, case_id=case_id, document_id="VB-tampered0000000000", kind="judgment",
        title="BẢN ÁN SƠ THẨM", version_no=2, sha256=stored.sha256, size_bytes=stored.size, step=1,
        signer_user_id="u-judge-sd", signer_role="judge", signer_name="Phạm Minh Tuấn", certificate_serial="01",
        signed_at=datetime.now(UTC), in_effect=False, needs_seal=True, bucket=stored.bucket,
        object_key=stored.key))
    dead = eventually(lambda: take_dead_letter(ecourt_env.settings.amqp_uri, SIGNED_DLQ, envelope.event_id),
                      f"the event on {SIGNED_DLQ}", workers)
    assert "sha256" in dead["headers"]["x-ecourt-error"]
    assert dead["headers"].get("x-ecourt-attempt", 1) == 1  # at once, not retried
    view = dossier(rpc, who["president"], case_id)
    assert view is not None and all(d["document_id"] != "VB-tampered0000000000" for d in view["documents"])
    assert not pg("SELECT 1 FROM ledger_entries WHERE case_id = :c AND kind = 'document.signed'", c=case_id)


def test_a_signature_that_overtakes_its_case_is_retried_until_the_case_arrives(
        workers, rpc, publish, store, ecourt_env, events):
    who = people(ecourt_env)
    case_id = events.case_id()
    pdf = blank_pdf(pages=2)
    stored = store.put_document(events.COURT, pdf, "application/pdf")
    publish(DocumentSignedV1(
        court_id=events.COURT, case_id=format_case_id(case_id), document_id="VB-early00000000000000",
        kind="summons", title="GIẤY TRIỆU TẬP", version_no=2, sha256=stored.sha256, size_bytes=stored.size,
        step=1, signer_user_id="u-judge-sd", signer_role="judge", signer_name="Phạm Minh Tuấn",
        certificate_serial="02", signed_at=datetime.now(UTC), in_effect=True, needs_seal=True,
        bucket=stored.bucket, object_key=stored.key))
    eventually(lambda: f"case {case_id} is not recorded yet" in workers[0].log_tail(400),
               "the first delivery to find no case", workers)
    filed = blank_pdf(pages=1)
    store.put_document(events.COURT, filed, "application/pdf")
    publish(events.received([events.document(filed)], case_id=case_id))

    def attached() -> dict[str, Any] | None:
        view = dossier(rpc, who["president"], case_id)
        return next((d for d in (view or {}).get("documents", []) if d["document_id"] == "VB-early00000000000000"),
                    None)
    document = eventually(attached, "the early signature in the dossier", workers)
    assert document["status"] == "in_effect" and document["page_count"] == 2 and document["sha256"] == stored.sha256
