"""The worker process on the real broker: intake's reception events reach the president's reception inbox (any
order, redelivered or not), casefile's stage openings put a case back in an inbox, and a panel drawn over RPC is
announced with its clerk on ``case_assigned``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from kombu import Connection, Exchange, Queue

from ecourt_shared.auth import Role
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1, PartyRefV1
from ecourt_shared.contracts.reception import ReceptionDecidedV1, ReceptionRegisteredV1
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.environment import TestEnvironment as Env
from ecourt_shared.testing.scenarios import publish_event

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def worker(service_processes: Callable[..., Any]) -> Any:
    return service_processes("assignment", "ecourt_assignment")


@pytest.fixture(scope="module")
def rpc(ecourt_env: Env, worker: Any) -> Iterator[RpcClientPool]:
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


def publish(env: Any, payload: Any, envelope: EventEnvelope | None = None) -> EventEnvelope:
    return publish_event(env.settings.amqp_uri, payload, envelope)


def wait_until(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Court:
    def __init__(self, env: Env, rpc: RpcClientPool) -> None:
        self.env, self.rpc = env, rpc
        self.court_id = f"R{uuid.uuid4().hex[:5].upper()}"
        self.president = env.token(Role.PRESIDENT, court_id=self.court_id, user_id=f"chanhan-{self.court_id}")

    def call(self, method: str, **kwargs: Any) -> Any:
        return self.rpc.call("assignment", method, token=self.president, **kwargs)

    def registered(self, n: int, counts_from: date) -> ReceptionRegisteredV1:
        return ReceptionRegisteredV1(
            court_id=self.court_id, reception_id=f"RC-{self.court_id}-{n}", reception_number=f"{n}/2026/TN",
            kind="petition", case_type="DS", stage="ST", channel="post", received_at=datetime.now(UTC),
            counts_from=counts_from, counting_basis="postmark", related_case_id=None, document_count=2,
            party_count=2)

    def decided(self, n: int, decision: str, at: datetime, reason: str | None) -> ReceptionDecidedV1:
        return ReceptionDecidedV1(
            court_id=self.court_id, decision_id=f"DC-{self.court_id}-{n}-{decision}",
            reception_id=f"RC-{self.court_id}-{n}", reception_number=f"{n}/2026/TN", kind="petition",
            case_type="DS", decision=decision, decided_by=f"tiepnhan-{self.court_id}", decided_at=at, reason=reason,
            amendment_due_on=date.today() + timedelta(days=15) if decision == "request_amendment" else None,
            transfer_to_court=None, case_id=None, acceptance_number=None)


@pytest.fixture
def court(ecourt_env: Env, rpc: RpcClientPool) -> Court:
    return Court(ecourt_env, rpc)


def test_reception_arrivals_and_decisions_reach_the_presidents_inbox_in_any_order(court: Court, ecourt_env: Env):
    today = date.today()
    publish(ecourt_env, court.registered(1, today - timedelta(days=2)))
    second = publish(ecourt_env, court.registered(2, today - timedelta(days=5)))
    publish(ecourt_env, court.registered(2, today), envelope=second)  # a redelivery changes nothing
    inbox = wait_until(lambda: (r := court.call("reception_inbox")) and len(r["awaiting"]) == 2 and r,
                       "two arrivals awaiting a decision")
    assert [i["reception_number"] for i in inbox["awaiting"]] == ["2/2026/TN", "1/2026/TN"]  # oldest counting first
    assert inbox["awaiting"][0]["counts_from"] == (today - timedelta(days=5)).isoformat()
    assert inbox["awaiting"][0]["counting_basis"] == "postmark" and inbox["awaiting"][0]["kind"] == "petition"

    now = datetime.now(UTC)
    publish(ecourt_env, court.decided(1, "request_amendment", now, "Thiếu bản sao giấy tờ tùy thân"))
    publish(ecourt_env, court.decided(2, "return", now, "Vụ việc không thuộc thẩm quyền của Tòa án"))
    inbox = wait_until(lambda: (r := court.call("reception_inbox")) and len(r["decisions"]) == 2 and r,
                       "two decisions")
    assert [i["reception_number"] for i in inbox["awaiting"]] == ["1/2026/TN"]  # amendment: still waiting
    assert inbox["awaiting"][0]["decision"] == "request_amendment"
    returned = next(d for d in inbox["decisions"] if d["decision"] == "return")
    assert returned["decided_by"] == f"tiepnhan-{court.court_id}"
    assert returned["reason"] == "Vụ việc không thuộc thẩm quyền của Tòa án"

    # a decision that overtakes its registration: the item never shows as waiting
    publish(ecourt_env, court.decided(3, "accept", now, None))
    wait_until(lambda: len(court.call("reception_inbox")["decisions"]) == 3, "the third decision")
    publish(ecourt_env, court.registered(3, today))
    publish(ecourt_env, court.decided(1, "accept", now + timedelta(minutes=5), None))
    wait_until(lambda: court.call("reception_inbox")["awaiting"] == [], "no item left waiting")
    time.sleep(0.5)
    assert court.call("reception_inbox")["awaiting"] == []


@pytest.fixture
def assigned_events(ecourt_env: Env, bus_topology: None) -> Iterator[Callable[[str, int], list[dict[str, Any]]]]:
    conn = Connection(ecourt_env.settings.amqp_uri)
    channel = conn.channel()
    name = f"test.case_assigned.{uuid.uuid4().hex[:8]}"
    Queue(name, exchange=Exchange("assignment.events", type="topic", durable=True),
          routing_key=CaseAssignedV1.event_type, exclusive=True, auto_delete=True)(channel).declare()
    seen: list[dict[str, Any]] = []

    def find(case_id: str, count: int) -> list[dict[str, Any]]:
        def poll() -> list[dict[str, Any]] | None:
            while (message := channel.basic_get(name, no_ack=True)) is not None:
                seen.append(json.loads(message.body))
            mine = [e for e in seen if e["payload"]["case_id"] == case_id]
            return mine if len(mine) >= count else None
        return wait_until(poll, f"{count} case_assigned for {case_id}")

    yield find
    channel.close()
    conn.release()


def test_an_appeal_opened_by_casefile_reaches_the_inbox_and_its_panel_is_announced(
        court: Court, ecourt_env: Env, assigned_events: Callable[[str, int], list[dict[str, Any]]]):
    for n in range(1, 5):
        court.call("register_judge", judge={"judge_id": f"{court.court_id}-TP-{n}", "full_name": f"Thẩm phán {n}",
                                            "specializations": ["civil"]})
    court.call("register_judge", judge={"judge_id": f"{court.court_id}-TK-1", "full_name": "Thư ký Một",
                                        "specializations": ["civil"], "kind": "clerk"})
    case_id = make_case_id(court.court_id, 2026, 1)
    publish(ecourt_env, CaseReceivedV1(
        court_id=court.court_id, case_id=case_id, acceptance_number="01/2026/TLST-DS", case_type="DS", stage="ST",
        subject="Tranh chấp hợp đồng", accepted_at=datetime.now(UTC), accepted_on=date.today(), documents=[],
        receipt_secret_hash="0" * 64, parties=[PartyRefV1(party_id="P-1", role="plaintiff", is_minor=False)]))
    wait_until(lambda: case_id in [c["case_id"] for c in court.call("inbox")], "the case in the inbox")
    first = court.call("assign_random", case_id=case_id)
    assert case_id not in [c["case_id"] for c in court.call("inbox")]

    publish(ecourt_env, CaseProgressedV1(court_id=court.court_id, case_id=case_id, case_type="DS", stage="PT",
                                         status="accepted", deadline=None, step="lodge_appeal", state="appealed"))
    appeal = wait_until(lambda: next((c for c in court.call("inbox") if c["case_id"] == case_id), None),
                        "the appeal back in the inbox")
    assert appeal["stage"] == "PT" and appeal["round"] == 2

    panel = court.call("draw_panel", case_id=case_id)
    assert [s["seat"] for s in panel["seats"]] == ["presiding", "judge-2", "judge-3", "clerk"]
    assert first["judge_id"] not in {s["member_id"] for s in panel["seats"]}  # sat at first instance
    assert court.call("verify", draw_id=panel["draw_id"])["verified"] is True
    events = assigned_events(case_id, 3)  # first instance, the appeal's judge, the appeal's panel
    announced = events[-1]["payload"]
    assert [m["seat"] for m in announced["panel"]] == ["presiding", "judge-2", "judge-3"]
    assert announced["clerk_id"] == f"{court.court_id}-TK-1" and announced["clerk_name"] == "Thư ký Một"
    assert court.call("panel", case_id=case_id)["clerk_id"] == f"{court.court_id}-TK-1"
