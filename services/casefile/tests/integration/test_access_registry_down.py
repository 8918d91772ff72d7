"""The full dossier opens without intake, with party references and a notice, in both ways intake can be away.

The real casefile worker on RabbitMQ, PostgreSQL, the MongoDB wire server and the S3 endpoint, no intake:

- never started: there is no ``rpc-intake`` queue, the broker returns the request at once;
- stopped (its queue still there, nobody consuming): casefile gives up after its look-up timeout, and the
  request expires in the queue instead of being answered, much later, to nobody.

The view with intake running is in tests/integration/test_access_matrix.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from kombu import Connection, Exchange, Queue

from ecourt_casefile.adapters.parties import DEFAULT_TIMEOUT
from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import NotFound
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.scenarios import publish_event as publish

pytestmark = pytest.mark.integration

INTAKE_QUEUE = "rpc-intake"  # nameko's queue name for the intake service's RPCs


@pytest.fixture(scope="module")
def casefile(service_processes, mongo_db):
    return service_processes("casefile", "ecourt_casefile")


@pytest.fixture(scope="module")
def rpc(ecourt_env, casefile):
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()




def eventually(probe: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if result := probe():
                return result
        except NotFound:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture(scope="module")
def case_id(ecourt_env, casefile, events, rpc) -> str:
    data = blank_pdf(pages=1)
    ObjectStore.from_settings(ecourt_env.settings).put_document(events.COURT, data, "application/pdf")
    payload = events.received([events.document(data)])
    publish(ecourt_env.settings.amqp_uri, payload)
    publish(ecourt_env.settings.amqp_uri, events.assigned(payload.case_id, judge_id="J-0007"))
    judge = ecourt_env.token(Role.JUDGE, user_id="u-judge", judge_id="J-0007")
    eventually(lambda: rpc.call("casefile", "get_dossier", token=judge, case_id=payload.case_id)["view"] == "full")
    return payload.case_id


def open_as_judge(ecourt_env, rpc, case_id: str, **kwargs: Any) -> tuple[dict[str, Any], float]:
    judge = ecourt_env.token(Role.JUDGE, user_id="u-judge", judge_id="J-0007")
    started = time.monotonic()
    view = rpc.call("casefile", "get_dossier", token=judge, case_id=case_id, **kwargs)
    return view, time.monotonic() - started


def assert_references_only(view: dict[str, Any]) -> None:
    assert view["view"] == "full" and view["revealed"] is False
    assert [n["code"] for n in view["notices"]] == ["parties.registry_unavailable"]
    assert "sổ đương sự" in view["notices"][0]["message_vi"] and "intake" in view["notices"][0]["message_en"]
    assert [(p["party_id"], p["role"], p["is_minor"], p["full_name"], p["cccd"], p["phone"])
            for p in view["party_details"]] == [
        (p["party_id"], p["role"], p["is_minor"], None, None, None) for p in view["parties"]]


def test_intake_never_started_answers_at_once_with_references_and_a_notice(ecourt_env, rpc, case_id, pg):
    view, seconds = open_as_judge(ecourt_env, rpc, case_id, reveal=True, reason="Tống đạt giấy triệu tập")
    assert_references_only(view)
    assert seconds < DEFAULT_TIMEOUT
    last = pg("SELECT personal_fields, party_ids, revealed, reveal_reason FROM access_log WHERE case_id = :c "
              "ORDER BY id DESC LIMIT 1", c=case_id)[0]
    assert (last.personal_fields, last.party_ids, last.revealed, last.reveal_reason) == ([], [], False, None)


def test_intake_stopped_times_out_and_the_request_expires_in_its_queue(ecourt_env, rpc, case_id):
    with Connection(ecourt_env.settings.amqp_uri) as conn:
        queue = Queue(INTAKE_QUEUE, Exchange("nameko-rpc", type="topic", durable=True), routing_key="intake.*",
                      durable=True)
        queue(conn.channel()).declare()  # what a stopped intake leaves behind
        try:
            view, seconds = open_as_judge(ecourt_env, rpc, case_id)
            assert_references_only(view)
            assert DEFAULT_TIMEOUT - 0.5 <= seconds < DEFAULT_TIMEOUT + 5
            time.sleep(DEFAULT_TIMEOUT + 0.5)
            _, waiting, _ = conn.channel().queue_declare(INTAKE_QUEUE, passive=True)
            assert waiting == 0  # expired: intake, once back, will not answer a request nobody waits for
        finally:
            conn.channel().queue_delete(INTAKE_QUEUE)
