"""Assignment against the real broker and database: the worker process, events in, draws, events out.

Each test works in its own court, so tests never compete for the same judges or inbox.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from kombu import Connection, Exchange, Producer, Queue
from sqlalchemy import create_engine, func, select

from ecourt_assignment.adapters.orm import draws, inbox, outbox
from ecourt_assignment.domain.draw import verify_draw
from ecourt_shared.auth import Role
from ecourt_shared.bus.topology import event_exchange, subscription
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1, CaseReceivedV1, PartyRefV1
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.environment import TestEnvironment as Env

pytestmark = pytest.mark.integration

STATS_QUEUE = "evt.assignment.case_assigned.stats"


@pytest.fixture(scope="module")
def worker(service_processes: Callable[..., Any]) -> Any:
    return service_processes("assignment", "ecourt_assignment")


@pytest.fixture(scope="module")
def rpc(ecourt_env: Env, worker: Any) -> Iterator[RpcClientPool]:
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def database(ecourt_env: Env, worker: Any) -> Iterator[Any]:
    engine = create_engine(ecourt_env.settings.database_url("assignment"))
    yield engine
    engine.dispose()


class Court:
    """One court of the test: its president's token, its judges and its cases."""

    def __init__(self, env: Env, rpc: RpcClientPool) -> None:
        self.env = env
        self.rpc = rpc
        self.court_id = f"T{uuid.uuid4().hex[:5].upper()}"
        self.president = env.token(Role.PRESIDENT, court_id=self.court_id, user_id=f"chanhan-{self.court_id}")
        self._serial = 0

    def call(self, method: str, token: str | None = None, **kwargs: Any) -> Any:
        return self.rpc.call("assignment", method, token=token or self.president, **kwargs)

    def judge(self, judge_id: str, name: str, specializations: list[str] | None = None, capacity: str = "1",
              active: bool = True) -> dict[str, Any]:
        return self.call("register_judge", judge={
            "judge_id": f"{self.court_id}-{judge_id}", "full_name": name,
            "specializations": specializations or ["civil"], "capacity": capacity, "active": active})

    def received(self, case_type: str = "DS", parties: int = 2) -> CaseReceivedV1:
        self._serial += 1
        return CaseReceivedV1(
            court_id=self.court_id, case_id=make_case_id(self.court_id, 2026, self._serial),
            acceptance_number=f"{self._serial:02d}/2026/TLST-{case_type}", case_type=case_type, stage="ST",
            subject="Tranh chấp hợp đồng vay tài sản", accepted_at=datetime.now(UTC), accepted_on=date.today(),
            parties=[PartyRefV1(party_id=f"P-{n}", role="plaintiff" if n == 0 else "defendant", is_minor=False)
                     for n in range(parties)],
            documents=[], receipt_secret_hash="0" * 64)

    def inbox_ids(self) -> list[str]:
        return [c["case_id"] for c in self.call("inbox")]

    def case_in_inbox(self, payload: CaseReceivedV1, **publish_args: Any) -> EventEnvelope:
        envelope = publish(self.env, payload, **publish_args)
        wait_until(lambda: payload.case_id in self.inbox_ids(), f"{payload.case_id} in the inbox")
        return envelope


def publish(env: Env, payload: CaseReceivedV1, envelope: EventEnvelope | None = None) -> EventEnvelope:
    """Publish a case_received as intake's relay would: intake.events, routing key, JSON, message id."""
    envelope = envelope or EventEnvelope.wrap(payload)
    with Connection(env.settings.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.channel(), exchange=event_exchange("intake"))
        producer.publish(envelope.model_dump(mode="json"), routing_key=CaseReceivedV1.event_type,
                         serializer="json", message_id=envelope.event_id, delivery_mode=2, mandatory=True)
    return envelope


def wait_until(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def court(ecourt_env: Env, rpc: RpcClientPool) -> Court:
    return Court(ecourt_env, rpc)


@pytest.fixture
def assigned_events(ecourt_env: Env, bus_topology: None) -> Iterator[Callable[[str], dict[str, Any]]]:
    """Collects case_assigned events from a private queue bound like stats' (no other consumer can take them)."""
    conn = Connection(ecourt_env.settings.amqp_uri)
    channel = conn.channel()
    name = f"test.case_assigned.{uuid.uuid4().hex[:8]}"
    Queue(name, exchange=Exchange("assignment.events", type="topic", durable=True),
          routing_key=CaseAssignedV1.event_type, exclusive=True, auto_delete=True)(channel).declare()

    def find(case_id: str) -> dict[str, Any]:
        def poll() -> dict[str, Any] | None:
            while (message := channel.basic_get(name, no_ack=True)) is not None:
                body = json.loads(message.body)
                if body["payload"]["case_id"] == case_id:
                    return body
            return None
        return wait_until(poll, f"case_assigned for {case_id}")

    yield find
    channel.close()
    conn.release()


def test_received_case_reaches_the_inbox_and_a_random_draw_assigns_it(
        court: Court, ecourt_env: Env, assigned_events: Callable[[str], dict[str, Any]],
        database: Any) -> None:
    an = court.judge("TP-1", "Nguyễn Văn An")
    assert an["created"] is True and an["load_total"] == "0.0000"
    court.judge("TP-2", "Trần Thị Bình", capacity="0.5")
    court.judge("TP-3", "Lê Văn Cường", specializations=["criminal"])  # not competent for a civil case
    payload = court.received(parties=3)
    court.case_in_inbox(payload)
    [listed] = court.call("inbox")
    assert listed["acceptance_number"] == payload.acceptance_number and listed["party_count"] == 3

    result = court.call("assign_random", case_id=payload.case_id)
    assert result["method"] == "random" and result["case_id"] == payload.case_id
    assert result["judge_id"] in (f"{court.court_id}-TP-1", f"{court.court_id}-TP-2")
    assert len(result["seed_commitment"]) == 64 and result["weight"] == "1.2000"  # DS 1.0 × 3 parties 1.2
    assert court.inbox_ids() == []

    # the draw is recorded and replays; the winner's load grew by weight / capacity
    draw = court.call("draw", case_id=payload.case_id)
    assert draw["verified"] is True and draw["draw_id"] == result["draw_id"]
    assert draw["record"]["seed_commitment"] == result["seed_commitment"]
    assert verify_draw(draw["record"])
    assert {c["judge_id"] for c in draw["record"]["candidates"]} == {f"{court.court_id}-TP-1",
                                                                     f"{court.court_id}-TP-2"}
    roster = {j["judge_id"]: j for j in court.call("roster")}
    winner = roster[result["judge_id"]]
    expected = "1.2000" if winner["capacity"] == "1" else "2.4000"
    assert winner["load_total"] == expected and winner["assigned_cases"] == 1
    assert sum(j["assigned_cases"] for j in roster.values()) == 1

    # the judge sees the case; the president can look at any judge of the court
    judge_token = ecourt_env.token(Role.JUDGE, court_id=court.court_id, judge_id=result["judge_id"])
    [mine] = court.call("judge_cases", token=judge_token)
    assert mine["case_id"] == payload.case_id and mine["acceptance_number"] == payload.acceptance_number
    assert mine["case_type"] == "DS" and mine["subject"] == payload.subject and mine["assigned_at"]
    assert court.call("judge_cases", judge_id=result["judge_id"]) == [mine]

    # case_assigned leaves through the outbox to every subscriber
    event = assigned_events(payload.case_id)
    assert event["payload"]["judge_id"] == result["judge_id"]
    assert event["payload"]["draw_id"] == result["draw_id"]
    assert event["payload"]["assigned_by"] == f"chanhan-{court.court_id}"
    with database.connect() as conn:
        wait_until(lambda: conn.execute(select(func.count()).select_from(outbox)
                                        .where(outbox.c.published_at.is_(None))).scalar() == 0,
                   "the outbox to drain")
        seed = conn.execute(select(draws.c.seed).where(draws.c.draw_id == result["draw_id"])).scalar()
        assert seed is not None
    _assert_in_stats_queue(ecourt_env, payload.case_id, result["judge_id"])


def _assert_in_stats_queue(env: Env, case_id: str, judge_id: str) -> None:
    """The durable queue stats consumes (declared by the topology) holds the event, unless a stats worker of
    this test session is already consuming it, in which case the private queue above was the proof."""
    assert subscription(CaseAssignedV1, "stats").queue_name == STATS_QUEUE
    with Connection(env.settings.amqp_uri) as conn:
        channel = conn.channel()
        _, _, consumers = channel.queue_declare(STATS_QUEUE, passive=True)
        if consumers:
            return
        found = []
        while (message := channel.basic_get(STATS_QUEUE, no_ack=False)) is not None:
            body = json.loads(message.body)
            if body["payload"]["case_id"] == case_id:
                found.append(body)
                channel.basic_ack(message.delivery_tag)
        channel.close()  # releases the other courts' messages back to the queue
    assert [b["payload"]["judge_id"] for b in found] == [judge_id]


def test_second_assignment_is_refused_with_conflict(court: Court) -> None:
    court.judge("TP-1", "Phạm Thị Dung")
    payload = court.received()
    court.case_in_inbox(payload)
    first = court.call("assign_random", case_id=payload.case_id)
    with pytest.raises(Conflict) as caught:
        court.call("assign_random", case_id=payload.case_id)
    [error] = caught.value.detail["errors"]
    assert error["field"] == "case_id" and error["code"] == "case.already_assigned"
    assert "Phạm Thị Dung" in error["message_vi"] and "already assigned" in error["message_en"]
    assert [j["load_total"] for j in court.call("roster")] == ["1.0000"]
    assert first["judge_name"] == "Phạm Thị Dung"


def test_concurrent_draws_for_one_case_assign_it_once(court: Court) -> None:
    for n in range(1, 5):
        court.judge(f"TP-{n}", f"Thẩm phán Số {n}")
    payload = court.received()
    court.case_in_inbox(payload)
    outcomes: list[Any] = []
    barrier = threading.Barrier(2)

    def draw() -> None:
        barrier.wait()
        try:
            outcomes.append(court.call("assign_random", case_id=payload.case_id))
        except Exception as exc:  # collected and checked below
            outcomes.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    successes = [o for o in outcomes if isinstance(o, dict)]
    refusals = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(successes) == 1 and len(refusals) == 1, outcomes
    roster = court.call("roster")
    assert sum(j["assigned_cases"] for j in roster) == 1
    assert sorted(j["load_total"] for j in roster) == ["0.0000", "0.0000", "0.0000", "1.0000"]


def test_concurrent_draws_for_different_cases_share_the_judges_safely(court: Court) -> None:
    for n in range(1, 4):
        court.judge(f"TP-{n}", f"Thẩm phán Số {n}")
    cases = [court.received() for _ in range(6)]
    for payload in cases:
        publish(court.env, payload)
    wait_until(lambda: len(court.inbox_ids()) == 6, "six cases in the inbox")
    results: list[Any] = []
    threads = [threading.Thread(target=lambda c=c: results.append(court.call("assign_random", case_id=c.case_id)))
               for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 6
    roster = court.call("roster")
    assert sum(j["assigned_cases"] for j in roster) == 6
    assert sum(float(j["load_total"]) for j in roster) == pytest.approx(6.0)


def test_duplicate_case_received_leaves_one_inbox_row(court: Court, ecourt_env: Env,
                                                      database: Any) -> None:
    payload = court.received()
    envelope = court.case_in_inbox(payload)
    publish(ecourt_env, payload, envelope=envelope)  # the same delivery again (same event id)
    publish(ecourt_env, payload.model_copy(update={"subject": "Nội dung khác"}))  # a second event, same case
    marker = court.received()
    court.case_in_inbox(marker)  # one queue, in order: once the marker is in, the duplicates were handled
    with database.connect() as conn:
        rows = conn.execute(select(inbox.c.subject).where(inbox.c.case_id == payload.case_id)).all()
    assert [r.subject for r in rows] == [payload.subject]
    assert court.inbox_ids() == [payload.case_id, marker.case_id]


def test_another_courts_president_sees_nothing_and_gets_not_found(court: Court, ecourt_env: Env,
                                                                  rpc: RpcClientPool) -> None:
    court.judge("TP-1", "Hoàng Văn Em")
    payload = court.received()
    court.case_in_inbox(payload)
    other = Court(ecourt_env, rpc)
    other.judge("TP-1", "Vũ Thị Giang")
    assert other.call("inbox") == []
    with pytest.raises(NotFound) as caught:
        other.call("assign_random", case_id=payload.case_id)
    assert caught.value.detail["errors"][0]["code"] == "case.not_found"
    with pytest.raises(NotFound):
        other.call("draw", case_id=payload.case_id)
    with pytest.raises(NotFound):
        other.call("judge_cases", judge_id=f"{court.court_id}-TP-1")
    assert court.inbox_ids() == [payload.case_id]  # untouched
    with pytest.raises(NotFound):
        court.call("assign_random", case_id=make_case_id(court.court_id, 2026, 999))


def test_refusals_name_their_field(court: Court, ecourt_env: Env) -> None:
    court.judge("TP-1", "Đặng Văn Hùng", specializations=["criminal"])
    court.judge("TP-2", "Bùi Thị Lan", active=False)
    payload = court.received(case_type="HNGĐ")
    court.case_in_inbox(payload)
    with pytest.raises(RequestRejected) as caught:  # nobody active and competent in the civil field
        court.call("assign_random", case_id=payload.case_id)
    assert caught.value.errors[0].field == "case_id"
    assert caught.value.errors[0].code == "assignment.no_candidates"
    assert court.inbox_ids() == [payload.case_id]

    with pytest.raises(RequestRejected) as caught:
        court.call("assign_random", case_id="not-a-case")
    assert caught.value.errors[0].field == "case_id"
    with pytest.raises(RequestRejected) as caught:
        court.judge("TP-3", "Ngô Văn Khoa", specializations=["tax"])
    assert caught.value.errors[0].field == "judge.specializations"
    with pytest.raises(PermissionDenied):
        court.call("inbox", token=ecourt_env.token(Role.JUDGE, court_id=court.court_id, judge_id="x"))

    # reactivating the civil judge makes the draw possible; the display form of the id is accepted too
    court.judge("TP-2", "Bùi Thị Lan", active=True)
    display = f"{payload.case_id[:6]}-{payload.case_id[6:10]}-{payload.case_id[10:16]}-{payload.case_id[16:]}"
    assert court.call("assign_random", case_id=display)["judge_id"] == f"{court.court_id}-TP-2"


def test_register_judge_updates_without_touching_the_load_and_new_judges_start_at_the_lowest(
        court: Court, ecourt_env: Env, rpc: RpcClientPool) -> None:
    court.judge("TP-1", "Trịnh Văn Minh")
    for _ in range(2):
        payload = court.received()
        court.case_in_inbox(payload)
        court.call("assign_random", case_id=payload.case_id)
    updated = court.judge("TP-1", "Trịnh Văn Minh", capacity="0.5")
    assert updated["created"] is False and updated["load_total"] == "2.0000" and updated["capacity"] == "0.5"
    newcomer = court.judge("TP-2", "Lý Thị Nga")
    assert newcomer["created"] is True and newcomer["load_total"] == "2.0000"
    it_admin = ecourt_env.token(Role.IT_ADMIN, court_id=court.court_id)
    assert court.call("register_judge", token=it_admin, judge={
        "judge_id": f"{court.court_id}-TP-3", "full_name": "Mai Văn Phúc", "specializations": ["civil"]})["created"]
    other = Court(ecourt_env, rpc)
    with pytest.raises(Conflict):  # a judge id of this court cannot be taken over by another court
        other.call("register_judge", judge={"judge_id": f"{court.court_id}-TP-1", "full_name": "Giả Mạo",
                                            "specializations": ["civil"]})


def test_the_commitment_goes_over_the_bus_and_the_president_sees_fairness_and_tables(court: Court) -> None:
    court.judge("TP-1", "Đỗ Văn Quang")
    court.judge("TP-2", "Hồ Thị Rạng")
    payload = court.received()
    court.case_in_inbox(payload)
    commitment = court.call("commit_draw", case_id=payload.case_id)
    result = court.call("assign_random", case_id=payload.case_id, draw_id=commitment["draw_id"])
    assert result["seed_commitment"] == commitment["seed_commitment"]
    checked = wait_until(lambda: (v := court.call("verify", draw_id=result["draw_id"]))["seen_on_bus_at"] and v,
                         "the draw_committed event to come back from the broker")
    assert checked["verified"] is True and checked["committed_at"] <= checked["drawn_at"]
    view = court.call("fairness")
    assert view["draws"] == 1 and view["designations"] == 0 and view["weight_table_version"] == "2026.2-draft"
    assert {j["judge_id"] for j in view["judges"]} == {f"{court.court_id}-TP-1", f"{court.court_id}-TP-2"}
    [_, current] = court.call("weight_tables")
    assert current["draw"]["escape_ceiling"] == "6.0" and current["approved_by"]["vi"]
