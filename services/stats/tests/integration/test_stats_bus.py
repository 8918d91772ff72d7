"""Stats against the real broker and database: a real worker process fed through the event exchanges."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from kombu import Connection
from sqlalchemy import create_engine, func, pool, select, text

from ecourt_shared.auth import Role
from ecourt_shared.bus.consumer import ERROR_HEADER
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1, DeadlineV1
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_shared.testing.processes import ServiceProcess
from ecourt_stats.adapters.orm import case_status

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
TYPES = ("HS", "DS", "HNGĐ", "KDTM", "LĐ", "HC")
DLQ = "evt.intake.case_received.stats.dlq"


# --- fixtures --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stats_worker(service_processes: Callable[..., ServiceProcess]) -> Iterator[dict[str, ServiceProcess]]:
    """The module's one stats worker (a holder, because the kill test replaces it); stopped after the module."""
    holder = {"proc": service_processes("stats", "ecourt_stats")}
    yield holder
    holder["proc"].stop()


@pytest.fixture(scope="module")
def rpc(ecourt_env: EcourtEnv) -> Iterator[RpcClientPool]:
    pool_ = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool_
    pool_.close()


@pytest.fixture
def court() -> str:
    """A fresh court per test: counts are always scoped to the caller's court, so tests never see each other."""
    return "I" + uuid.uuid4().hex[:5].upper()


# --- helpers ---------------------------------------------------------------------------------------

def case_id(serial: int) -> str:
    return make_case_id("79KV01", 2026, serial)


def received(court: str, serial: int, case_type: str = "DS") -> CaseReceivedV1:
    return CaseReceivedV1(
        court_id=court, case_id=case_id(serial), acceptance_number=f"{serial}/2026/TLST-{case_type}",
        case_type=case_type, stage="ST", subject="Tranh chấp hợp đồng vay tài sản", accepted_at=T0,
        accepted_on=date(2026, 3, 2), parties=[], documents=[], receipt_secret_hash="0" * 64)


def progressed(court: str, serial: int, status: str, due: date | None = None) -> CaseProgressedV1:
    deadline = DeadlineV1(rule_id="BLTTDS-203-1", due_on=due, legal_basis_vi="Điều 203 BLTTDS 2015",
                          legal_basis_en="Civil Procedure Code 2015, art. 203") if due else None
    return CaseProgressedV1(court_id=court, case_id=case_id(serial), case_type="DS", stage="ST",
                            status=status, deadline=deadline)


def assigned(court: str, serial: int, judge: str) -> CaseAssignedV1:
    return CaseAssignedV1(court_id=court, case_id=case_id(serial), judge_id=judge, judge_name=f"Thẩm phán {judge}",
                          method="random", draw_id="DR-1", assigned_by="u-pres", assigned_at=T0 + timedelta(hours=1))


def wrap(payload: EventPayload, at: datetime = T0) -> dict[str, Any]:
    return EventEnvelope.wrap(payload).model_copy(update={"occurred_at": at}).model_dump(mode="json")


def publish(amqp_uri: str, envelopes: list[dict[str, Any]], pause: float = 0.0) -> None:
    """Publish like the relay does: to ``<source>.events``, routing key = event type, message id = event id."""
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = conn.Producer(serializer="json")
        for envelope in envelopes:
            producer.publish(envelope, exchange=event_exchange(envelope["source"]),
                             routing_key=envelope["event_type"], message_id=envelope["event_id"],
                             delivery_mode=2, retry=True)
            if pause:
                time.sleep(pause)


def wait_for(probe: Callable[[], Any], check: Callable[[Any], bool], timeout: float = 45) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if check(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def counts(rpc: RpcClientPool, env: EcourtEnv, court: str, **kwargs: Any) -> Any:
    return rpc.call("stats", "counts", token=env.token(Role.PRESIDENT, court_id=court), **kwargs)


def total(rows: list[dict[str, Any]]) -> int:
    return sum(row["count"] for row in rows)


# --- tests -----------------------------------------------------------------------------------------

def test_out_of_order_events_converge(stats_worker: Any, rpc: RpcClientPool, ecourt_env: EcourtEnv,
                                      court: str) -> None:
    amqp = ecourt_env.settings.amqp_uri
    # Case 1 arrives backwards: casefile's status, then the judge, then intake's reception.
    publish(amqp, [wrap(progressed(court, 1, "preparing", date(2026, 7, 2)), T0 + timedelta(minutes=5)),
                   wrap(assigned(court, 1, "J-1"))])
    publish(amqp, [wrap(received(court, 1))])
    # Case 2: a stale "preparing" arrives after "decided".
    publish(amqp, [wrap(received(court, 2)), wrap(progressed(court, 2, "decided"), T0 + timedelta(days=30)),
                   wrap(progressed(court, 2, "preparing", date(2026, 7, 2)), T0 + timedelta(minutes=5))])
    expected = [{"case_type": "DS", "status": "decided", "count": 1},
                {"case_type": "DS", "status": "preparing", "count": 1}]
    assert wait_for(lambda: counts(rpc, ecourt_env, court), lambda rows: rows == expected) == expected
    # Give the stale event time to (not) change anything, then check the judge and the deadline too.
    time.sleep(1)
    assert counts(rpc, ecourt_env, court) == expected
    president = ecourt_env.token(Role.PRESIDENT, court_id=court)
    assert rpc.call("stats", "counts_by_judge", token=president) == [{
        "judge_id": "J-1", "judge_name": "Thẩm phán J-1", "total": 1, "pending": 1, "resolved": 0,
        "by_status": {"preparing": 1}}]
    overdue = rpc.call("stats", "overdue", token=president, on_date="2026-07-03")
    assert [(row["case_id"], row["days_overdue"]) for row in overdue] == [(case_id(1), 1)]


def test_duplicate_delivery_is_counted_once(stats_worker: Any, rpc: RpcClientPool, ecourt_env: EcourtEnv,
                                            court: str) -> None:
    first, second = wrap(received(court, 11)), wrap(received(court, 12, "HS"))
    publish(ecourt_env.settings.amqp_uri, [first, first, second, first, second])
    expected = [{"case_type": "DS", "status": "accepted", "count": 1},
                {"case_type": "HS", "status": "accepted", "count": 1}]
    assert wait_for(lambda: counts(rpc, ecourt_env, court), lambda rows: rows == expected) == expected
    time.sleep(1)  # the redeliveries are consumed by now and must have changed nothing
    assert counts(rpc, ecourt_env, court) == expected


def test_malformed_envelope_is_dead_lettered_and_later_events_still_count(
        stats_worker: Any, rpc: RpcClientPool, ecourt_env: EcourtEnv, court: str) -> None:
    amqp = ecourt_env.settings.amqp_uri
    bad = wrap(received(court, 21))
    del bad["payload"]["case_id"]
    publish(amqp, [bad, wrap(received(court, 22)), wrap(received(court, 23, "LĐ"))])
    expected = [{"case_type": "DS", "status": "accepted", "count": 1},
                {"case_type": "LĐ", "status": "accepted", "count": 1}]
    assert wait_for(lambda: counts(rpc, ecourt_env, court), lambda rows: rows == expected) == expected

    def dead_letters() -> dict[str, Any]:
        found: dict[str, Any] = {}
        with Connection(amqp) as conn:
            channel = conn.channel()
            while (message := channel.basic_get(DLQ, no_ack=False)) is not None:
                found[message.properties.get("message_id")] = message.headers or {}
            channel.close()  # releases them, unacknowledged, back to the queue
        return found

    parked = wait_for(dead_letters, lambda found: bad["event_id"] in found, timeout=20)
    assert bad["event_id"] in parked
    assert "case_id" in parked[bad["event_id"]].get(ERROR_HEADER, "")


def test_counts_exact_after_worker_killed_midstream(
        stats_worker: dict[str, ServiceProcess], service_processes: Callable[..., ServiceProcess],
        rpc: RpcClientPool, ecourt_env: EcourtEnv, court: str) -> None:
    envelopes = [wrap(received(court, 1000 + n, TYPES[n % len(TYPES)])) for n in range(300)]
    engine = create_engine(ecourt_env.settings.database_url("stats"), poolclass=pool.NullPool)

    def stored() -> int:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(case_status)
                                    .where(case_status.c.court_id == court)).scalar_one())

    # Events keep flowing (paced) while the worker is killed and while it is down.
    publisher = threading.Thread(target=publish, args=(ecourt_env.settings.amqp_uri, envelopes, 0.006))
    publisher.start()
    at_kill = wait_for(stored, lambda n: n >= 40, timeout=30)
    stats_worker["proc"].kill()
    assert 0 < at_kill < 300, f"the worker must die mid-stream, it had applied {at_kill} of 300"
    publisher.join(60)
    assert not publisher.is_alive()

    stats_worker["proc"] = service_processes("stats", "ecourt_stats")
    expected = [{"case_type": t, "count": 50} for t in sorted(TYPES)]
    rows = wait_for(lambda: counts(rpc, ecourt_env, court, group_by=["case_type"]),
                    lambda rows: total(rows) >= 300, timeout=60)
    time.sleep(1.5)  # any straggling redelivery must not count twice
    rows = counts(rpc, ecourt_env, court, group_by=["case_type"])
    assert total(rows) == 300
    assert sorted(rows, key=lambda r: r["case_type"]) == expected
    with engine.connect() as conn:
        claimed = conn.execute(text("SELECT count(*) FROM processed_events WHERE consumer = 'stats' "
                                    "AND event_id = ANY(:ids)"), {"ids": [e["event_id"] for e in envelopes]})
        assert claimed.scalar_one() == 300
    engine.dispose()


# --- deadlines and transfers -----------------------------------------------------------------------

def alert(kind: str, court: str, serial: int, due: date, days: int) -> Any:
    from ecourt_shared.contracts.casefile import DeadlineApproachingV1, DeadlineMissedV1

    deadline = DeadlineV1(rule_id="blttds2015.a203.prep.civil", due_on=due,
                          legal_basis_vi="khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                          legal_basis_en="Civil Procedure Code 2015, art. 203(1)")
    if kind == "missed":
        return DeadlineMissedV1(court_id=court, case_id=case_id(serial), stage="ST", judge_id="J-1",
                                deadline=deadline, days_over=days)
    return DeadlineApproachingV1(court_id=court, case_id=case_id(serial), stage="ST", judge_id="J-1",
                                 deadline=deadline, days_left=days)


def transferred(to: str, from_: str, serial: int, reason: str = "transfer") -> Any:
    from ecourt_shared.contracts.casefile import CaseTransferredV1

    return CaseTransferredV1(court_id=to, case_id=case_id(serial), from_court_id=from_, stage="ST", reason=reason,
                             transferred_on=date(2026, 4, 1))


def board(rpc: RpcClientPool, env: EcourtEnv, court: str, on_date: str) -> dict[str, Any]:
    return rpc.call("stats", "deadline_alerts", token=env.token(Role.PRESIDENT, court_id=court), on_date=on_date)


def listed(result: dict[str, Any]) -> tuple[list[str], list[str]]:
    return [r["case_id"] for r in result["approaching"]], [r["case_id"] for r in result["missed"]]


def test_deadline_alerts_reach_the_presidents_board_until_the_case_moves_on(
        stats_worker: Any, rpc: RpcClientPool, ecourt_env: EcourtEnv, court: str) -> None:
    amqp = ecourt_env.settings.amqp_uri
    due = date(2026, 7, 2)
    publish(amqp, [wrap(received(court, 31)), wrap(progressed(court, 31, "preparing", due), T0 + timedelta(minutes=1)),
                   wrap(alert("approaching", court, 31, due, 7), T0 + timedelta(days=115)),
                   wrap(received(court, 32)), wrap(alert("missed", court, 32, date(2026, 6, 1), 1),
                                                    T0 + timedelta(days=92))])
    expected = ([case_id(31)], [case_id(32)])
    result = wait_for(lambda: board(rpc, ecourt_env, court, "2026-06-28"), lambda r: listed(r) == expected)
    assert listed(result) == expected
    (row,) = result["approaching"]
    assert row == {"case_id": case_id(31), "case_code": row["case_code"], "stage": "ST",
                   "rule_id": "blttds2015.a203.prep.civil", "due_on": "2026-07-02",
                   "legal_basis_vi": "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                   "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)", "judge_id": "J-1",
                   "judge_name": None, "days_left": 4}
    assert row["case_code"].startswith("79KV01-2026-") and result["missed"][0]["days_over"] == 27
    # beyond the 7-day window nothing is approaching yet; another court's president sees nothing
    assert listed(board(rpc, ecourt_env, court, "2026-06-20")) == ([], [case_id(32)])
    assert listed(board(rpc, ecourt_env, "Z" + court[1:], "2026-06-28")) == ([], [])
    # a redelivered missed alert lists once; a step recorded after it (the case moves on) clears it
    missed_again = wrap(alert("missed", court, 32, date(2026, 6, 1), 1), T0 + timedelta(days=92))
    publish(amqp, [missed_again, missed_again, wrap(progressed(court, 32, "suspended"), T0 + timedelta(days=95))])
    result = wait_for(lambda: board(rpc, ecourt_env, court, "2026-06-28"), lambda r: listed(r) == ([case_id(31)], []))
    assert listed(result) == ([case_id(31)], [])
    # a progress that arrives late but happened before the alert does not clear it
    publish(amqp, [wrap(alert("missed", court, 31, due, 1), T0 + timedelta(days=123)),
                   wrap(progressed(court, 31, "preparing", due), T0 + timedelta(minutes=2))])
    result = wait_for(lambda: board(rpc, ecourt_env, court, "2026-07-03"), lambda r: r["missed"])
    time.sleep(1)
    assert listed(board(rpc, ecourt_env, court, "2026-07-03")) == ([], [case_id(31)])
    with pytest.raises(Exception) as rejected:
        board(rpc, ecourt_env, court, "03/07/2026")
    assert "on_date" in str(rejected.value)


def test_transfer_moves_the_case_between_courts_without_double_counting(
        stats_worker: Any, rpc: RpcClientPool, ecourt_env: EcourtEnv, court: str) -> None:
    amqp = ecourt_env.settings.amqp_uri
    successor = "N" + court[1:]
    # the transfer is delivered first; the old court's earlier events arrive after it
    publish(amqp, [wrap(transferred(successor, court, 41, "merger"), T0 + timedelta(days=30)),
                   wrap(alert("approaching", court, 41, date(2026, 7, 2), 7), T0 + timedelta(days=115))])
    publish(amqp, [wrap(received(court, 41)), wrap(progressed(court, 41, "preparing", date(2026, 7, 2)),
                                                   T0 + timedelta(minutes=1)),
                   wrap(received(court, 42))])
    old = [{"case_type": "DS", "status": "accepted", "count": 1}]
    new = [{"case_type": "DS", "status": "preparing", "count": 1}]
    wait_for(lambda: (counts(rpc, ecourt_env, court), counts(rpc, ecourt_env, successor)), lambda r: r == (old, new))
    time.sleep(1)
    assert (counts(rpc, ecourt_env, court), counts(rpc, ecourt_env, successor)) == (old, new)
    # the case's deadline alert follows it to the court that holds it now
    assert listed(board(rpc, ecourt_env, successor, "2026-06-28")) == ([case_id(41)], [])
    assert listed(board(rpc, ecourt_env, court, "2026-06-28")) == ([], [])
