"""The real casefile worker process on RabbitMQ, PostgreSQL, the MongoDB wire server and the S3 endpoint.

Events are published the way intake's and assignment's relays publish them (kombu, the source's topic
exchange, routing key = event type, message id = event id); the dossier is read over RPC like the console
reads it.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from kombu import Connection, Producer

from ecourt_shared.auth import Role
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import PanelMemberV1
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.integration

STATS_QUEUE = "evt.casefile.case_progressed.stats"
DEAD_LETTERS = "evt.intake.case_received.casefile.dlq"
CIVIL_BASIS_VI = "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015"


@pytest.fixture(scope="module")
def casefile(service_processes, mongo_db):
    return service_processes("casefile", "ecourt_casefile")


@pytest.fixture(scope="module")
def rpc(ecourt_env, casefile):
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=15)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def store(ecourt_env):
    return ObjectStore.from_settings(ecourt_env.settings)


@pytest.fixture(scope="module")
def publish(ecourt_env, casefile) -> Callable[..., EventEnvelope]:
    def send(payload: EventPayload, envelope: EventEnvelope | None = None) -> EventEnvelope:
        envelope = envelope or EventEnvelope.wrap(payload)
        with Connection(ecourt_env.settings.amqp_uri, transport_options={"confirm_publish": True}) as conn:
            Producer(conn.channel()).publish(
                envelope.model_dump(mode="json"), exchange=event_exchange(payload.source),
                routing_key=payload.event_type, message_id=envelope.event_id, delivery_mode=2,
                serializer="json")
        return envelope
    return send


@pytest.fixture
def stored_pdf(store, events):
    data = blank_pdf(pages=2)
    store.put_document(events.COURT, data, "application/pdf")
    return events.document(data, page_count=2)


def eventually(probe: Callable[[], Any], timeout: float = 20, what: str = "condition", casefile=None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.2)
    log = f"\n{casefile.log_tail(60)}" if casefile is not None else ""
    raise AssertionError(f"timed out waiting for {what}{log}")


def dossier(rpc, token: str, case_id: str) -> dict[str, Any] | None:
    try:
        return rpc.call("casefile", "get_dossier", token=token, case_id=case_id)
    except NotFound:
        return None


@dataclass(frozen=True)
class Fetched:
    body: dict[str, Any]
    message_id: str | None
    headers: dict[str, Any]


def take_message(amqp_uri: str, queue: str, match: Callable[[Fetched], bool]) -> Fetched | None:
    """Fetch the first message of ``queue`` that matches and acknowledge it; others go back to the queue."""
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        try:
            while (message := channel.basic_get(queue, no_ack=False)) is not None:
                fetched = Fetched(json.loads(message.body), message.properties.get("message_id"),
                                  dict(message.properties.get("application_headers") or {}))
                if match(fetched):
                    channel.basic_ack(message.delivery_tag)
                    return fetched
            return None
        finally:
            channel.close()  # releases the unacknowledged others


def test_case_received_opens_the_dossier_with_its_deadline_and_emits_case_progressed(
        casefile, publish, rpc, ecourt_env, events, stored_pdf, pg):
    payload = events.received([stored_pdf])
    envelope = publish(payload)
    president = ecourt_env.token(Role.PRESIDENT, user_id="u-president")

    view = eventually(lambda: dossier(rpc, president, payload.case_id), what="the dossier", casefile=casefile)
    assert view["view"] == "full" and view["status"] == "preparing"
    assert view["documents"][0]["sha256"] == stored_pdf.sha256 and view["documents"][0]["page_count"] == 2
    assert view["next_deadline_on"] == "2026-05-15" and view["deadline"]["due_on"] == "2026-05-15"
    assert CIVIL_BASIS_VI in view["deadline"]["legal_basis_vi"]
    answer = rpc.call("casefile", "case_deadline", token=president, case_id=payload.case_id)
    assert answer["deadline"]["due_on"] == "2026-05-15" and "art. 203" in answer["deadline"]["legal_basis_en"]

    progressed = eventually(lambda: take_message(
        ecourt_env.settings.amqp_uri, STATS_QUEUE, lambda m: m.body["payload"]["case_id"] == payload.case_id),
        what=f"case_progressed on {STATS_QUEUE}", casefile=casefile)
    body = progressed.body
    assert body["event_type"] == "case_progressed" and body["source"] == "casefile"
    assert progressed.message_id == body["event_id"]
    assert body["payload"]["status"] == "preparing" and body["payload"]["deadline"]["due_on"] == "2026-05-15"
    assert CIVIL_BASIS_VI in body["payload"]["deadline"]["legal_basis_vi"]

    # Redelivery of the very same event (same event id): nothing changes.
    publish(payload, envelope)
    sentinel = events.received([stored_pdf])
    publish(sentinel)
    eventually(lambda: dossier(rpc, president, sentinel.case_id), what="the sentinel dossier", casefile=casefile)
    time.sleep(1)
    again = dossier(rpc, president, payload.case_id)
    assert again is not None and len(again["timeline"]) == 1 and again["timeline"] == view["timeline"]
    assert len(pg("SELECT 1 FROM deadlines WHERE case_id = :c", c=payload.case_id)) == 1
    assert len(pg("SELECT 1 FROM outbox WHERE envelope->'payload'->>'case_id' = :c", c=payload.case_id)) == 1


def test_case_assigned_before_case_received_converges(casefile, publish, rpc, ecourt_env, events, stored_pdf, pg):
    case_id = events.case_id()
    publish(events.assigned(case_id, judge_id="J-0042", judge_name="Phạm Thị Dung"))
    eventually(lambda: pg("SELECT 1 FROM assignments WHERE case_id = :c", c=case_id),
               what="the pending assignment", casefile=casefile)
    publish(events.received([stored_pdf], case_id=case_id))

    judge = ecourt_env.token(Role.JUDGE, user_id="u-j42", judge_id="J-0042")
    view = eventually(lambda: dossier(rpc, judge, case_id), what="the dossier", casefile=casefile)
    assert view["view"] == "full" and view["judge_id"] == "J-0042"
    assert [e["kind"] for e in view["timeline"]] == ["case_received", "case_assigned"]
    assert "Phạm Thị Dung" in view["timeline"][1]["text_vi"]


def test_a_panel_announced_before_the_case_is_applied_when_the_case_arrives(
        casefile, publish, rpc, ecourt_env, events, stored_pdf, pg):
    case_id = events.case_id()
    judge = events.assigned(case_id, judge_id="J-0051", judge_name="Đỗ Minh Khoa")
    panel = judge.model_copy(update={
        "assigned_at": datetime(2026, 1, 17, 3, 0, tzinfo=UTC), "clerk_id": "u-clerk-51", "panel_draw_id": "PD-51",
        "panel": [PanelMemberV1(member_id="J-0051", full_name="Đỗ Minh Khoa", kind="judge", seat="presiding",
                                method="assigned"),
                  PanelMemberV1(member_id="HT-0001", full_name="Vũ Thị Hoa", kind="assessor", seat="assessor-1"),
                  PanelMemberV1(member_id="HT-0002", full_name="Trần Văn Bình", kind="assessor", seat="assessor-2"),
                  PanelMemberV1(member_id="HT-0003", full_name="Lý Văn Sang", kind="assessor",
                                seat="substitute-assessor-1", substitute=True)]})
    publish(judge)
    publish(panel)
    eventually(lambda: pg("SELECT 1 FROM assignments WHERE case_id = :c AND panel IS NOT NULL", c=case_id),
               what="the pending panel", casefile=casefile)
    publish(events.received([stored_pdf], case_id=case_id))

    state = eventually(lambda: pg("SELECT judge_id, panel, clerk_id FROM case_state WHERE case_id = :c", c=case_id),
                       what="the case", casefile=casefile)[0]
    # sitting members only: the substitute joins the panel only when replacing a member
    assert (state.judge_id, state.panel, state.clerk_id) == ("J-0051", ["J-0051", "HT-0001", "HT-0002"],
                                                              "u-clerk-51")
    clerk = ecourt_env.token(Role.CLERK, user_id="u-clerk-51")
    assert eventually(lambda: dossier(rpc, clerk, case_id), what="the clerk's view")["view"] == "full"

    # a later judge-only assignment (the presiding judge reassigned) keeps the panel's other seats and the clerk
    publish(events.assigned(case_id, judge_id="J-0052", assigned_at=datetime(2026, 1, 18, 3, 0, tzinfo=UTC)))
    eventually(lambda: pg("SELECT 1 FROM case_state WHERE case_id = :c AND judge_id = 'J-0052'", c=case_id),
               what="the new presiding judge", casefile=casefile)
    assert pg("SELECT clerk_id FROM case_state WHERE case_id = :c", c=case_id)[0].clerk_id == "u-clerk-51"
    kinds = [r.kind for r in pg("SELECT kind FROM ledger_entries WHERE case_id = :c ORDER BY case_seq", c=case_id)]
    assert kinds.count("case.assigned") == 1 and kinds.count("case.panel") == 0  # recorded before the case


def test_a_judge_who_is_not_assigned_sees_essentials_and_another_court_sees_nothing(
        casefile, publish, rpc, ecourt_env, events, stored_pdf, pg):
    payload = events.received([stored_pdf])
    publish(payload)
    publish(events.assigned(payload.case_id, judge_id="J-0007"))
    president = ecourt_env.token(Role.PRESIDENT, user_id="u-president-2")
    full_views_by_president = []

    def judge_recorded() -> bool:
        view = dossier(rpc, president, payload.case_id)
        if view is not None:
            full_views_by_president.append(view)
        return view is not None and view["judge_id"] == "J-0007"
    eventually(judge_recorded, what="the assigned judge", casefile=casefile)

    other_judge = ecourt_env.token(Role.JUDGE, user_id="u-j99", judge_id="J-0099")
    view = rpc.call("casefile", "get_dossier", token=other_judge, case_id=payload.case_id)
    assert view == {"view": "essentials", "case_id": payload.case_id, "case_code": view["case_code"],
                    "court_id": "79KV01", "case_type": "DS", "stage": "ST", "status": "preparing",
                    "judge_id": "J-0007", "next_deadline_on": "2026-05-15"}

    with pytest.raises(NotFound):
        rpc.call("casefile", "get_dossier", token=ecourt_env.token(Role.PRESIDENT, court_id="01TC00"),
                 case_id=payload.case_id)

    assigned_judge = ecourt_env.token(Role.JUDGE, user_id="u-j7", judge_id="J-0007")
    assert rpc.call("casefile", "get_dossier", token=assigned_judge, case_id=payload.case_id)["view"] == "full"
    # One row per full view (each of the president's successful polls, then the assigned judge), none for
    # the essentials view or the refused call.
    logged = pg("SELECT user_id, view_kind FROM access_log WHERE case_id = :c ORDER BY id", c=payload.case_id)
    assert [(r.user_id, r.view_kind) for r in logged] == \
        [("u-president-2", "full")] * len(full_views_by_president) + [("u-j7", "full")]


def test_a_document_whose_bytes_do_not_match_goes_to_the_dead_letter_queue(
        casefile, publish, rpc, ecourt_env, events, stored_pdf, pg):
    payload = events.received([stored_pdf.model_copy(update={"sha256": "cd" * 32})])
    envelope = publish(payload)
    dead = eventually(lambda: take_message(ecourt_env.settings.amqp_uri, DEAD_LETTERS,
                                           lambda m: m.message_id == envelope.event_id),
                      what=f"the event on {DEAD_LETTERS}", casefile=casefile)
    assert "sha256" in dead.headers["x-ecourt-error"]
    assert dead.headers.get("x-ecourt-attempt", 1) == 1  # dead-lettered at once, not retried
    assert dossier(rpc, ecourt_env.token(Role.PRESIDENT), payload.case_id) is None
    assert not pg("SELECT 1 FROM case_state WHERE case_id = :c", c=payload.case_id)


def test_a_document_missing_from_the_store_is_retried_then_dead_lettered(
        casefile, publish, rpc, ecourt_env, events, pg):
    never_stored = events.document(blank_pdf(pages=1), object_key=f"documents/test-never/{uuid.uuid4().hex}")
    payload = events.received([never_stored])
    envelope = publish(payload)
    dead = eventually(lambda: take_message(ecourt_env.settings.amqp_uri, DEAD_LETTERS,
                                           lambda m: m.message_id == envelope.event_id),
                      what=f"the event on {DEAD_LETTERS}", casefile=casefile)
    assert dead.headers["x-ecourt-attempt"] == ecourt_env.settings.event_max_attempts  # retried, bounded
    assert "DocumentUnavailable" in dead.headers["x-ecourt-error"]
    assert dossier(rpc, ecourt_env.token(Role.PRESIDENT), payload.case_id) is None


def test_notes_stay_with_the_case_when_its_judge_changes(casefile, publish, rpc, ecourt_env, events, stored_pdf, pg):
    payload = events.received([stored_pdf])
    publish(payload)
    publish(events.assigned(payload.case_id, judge_id="J-0061", judge_name="Hồ Thị Mai"))
    first = ecourt_env.token(Role.JUDGE, user_id="u-j61", judge_id="J-0061", display_name="Hồ Thị Mai")
    eventually(lambda: (dossier(rpc, first, payload.case_id) or {}).get("view") == "full",
               what="the first judge's full view", casefile=casefile)
    written = rpc.call("casefile", "add_note", token=first, case_id=payload.case_id,
                       text="  Bị đơn hẹn nộp chứng cứ bổ sung trước ngày 15/4.  ")
    assert (written["text"], written["written_by_name"], written["judge_id_then"], written["carried_over"]) == (
        "Bị đơn hẹn nộp chứng cứ bổ sung trước ngày 15/4.", "Hồ Thị Mai", "J-0061", False)

    with pytest.raises(RequestRejected) as empty:
        rpc.call("casefile", "add_note", token=first, case_id=payload.case_id, text="   ")
    assert empty.value.detail["errors"][0]["field"] == "text"
    stranger = ecourt_env.token(Role.JUDGE, user_id="u-j69", judge_id="J-0069")
    with pytest.raises(PermissionDenied):
        rpc.call("casefile", "add_note", token=stranger, case_id=payload.case_id, text="Không được ghi")
    with pytest.raises(NotFound):
        rpc.call("casefile", "add_note", token=ecourt_env.token(Role.PRESIDENT, court_id="01TC00"),
                 case_id=payload.case_id, text="Tòa khác")

    # the case is reassigned (recusal): the new judge finds the note, marked as carried over from the earlier judge
    publish(events.assigned(payload.case_id, judge_id="J-0062", judge_name="Phan Văn Tài",
                            assigned_at=datetime(2026, 2, 1, 3, 0, tzinfo=UTC)))
    second = ecourt_env.token(Role.JUDGE, user_id="u-j62", judge_id="J-0062")
    view = eventually(lambda: (lambda v: v if v and v["view"] == "full" else None)(
        dossier(rpc, second, payload.case_id)), what="the new judge's full view", casefile=casefile)
    assert [(n["note_id"], n["carried_over"]) for n in view["case_notes"]] == [(written["note_id"], True)]
    filed = view["documents"][0]  # a document filed with the petition is shown as its version 1
    assert [(v["version"], v["source"], v["sha256"]) for v in filed["versions"]] == [(1, "filed", filed["sha256"])]
    assert dossier(rpc, first, payload.case_id)["view"] == "essentials"  # the earlier judge no longer reads it

    entry = pg("SELECT payload FROM ledger_entries WHERE case_id = :c AND kind = 'case.note'", c=payload.case_id)
    assert len(entry) == 1 and "chứng cứ" not in entry[0].payload and written["note_id"] in entry[0].payload
