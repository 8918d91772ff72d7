"""Casefile's deadline watch with a clock, and its events (and a merger's) reaching stats and the portal.

``scan_deadlines`` runs against casefile's real database with a clock the test sets; the outbox rows it writes
are published by the real relay to the real broker, where real stats and portal worker processes consume them.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import httpx
import pytest

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.orm import metadata, outbox
from ecourt_casefile.domain.clock import COURT_TZ, legal_day
from ecourt_casefile.domain.courts import CourtRegistry
from ecourt_casefile.service_layer import merging, receiving
from ecourt_casefile.service_layer.watching import scan_deadlines
from ecourt_shared.auth import Role
from ecourt_shared.bus.relay import OutboxRelay
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.identifiers.receipt import receipt_secret_hash
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.scenarios import publish_event

pytestmark = pytest.mark.integration

SECRET = "ABCD-EFGH-JKLM"
_courts = itertools.count(1)


def noon(day: date) -> Callable[[], datetime]:
    """A clock stopped at noon of a legal day (court time zone)."""
    return lambda: datetime.combine(day, clock_time(12, 0), tzinfo=COURT_TZ).astimezone(UTC)


@pytest.fixture(scope="module")
def uows(casefile_engine: Any) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(casefile_engine, metadata)


@pytest.fixture(scope="module")
def open_case(uows: UnitOfWorkFactory, mongo_db: Any, ecourt_env: Any, events: Any) -> Callable[..., Any]:
    """A case accepted today (real time), opened by casefile's real handler; returns its CaseReceivedV1."""
    dossiers, store = DossierStore(mongo_db), ObjectStore.from_settings(ecourt_env.settings)

    def make(court: str) -> Any:
        now = datetime.now(UTC)
        event = events.received([], court_id=court, accepted_at=now, accepted_on=legal_day(now))
        event = event.model_copy(update={"receipt_secret_hash": receipt_secret_hash(SECRET)})
        receiving.receive_case(event, events.envelope(event), uows, dossiers, store, lambda: now)
        return event
    return make


def due_on(pg: Any, case_id: str) -> date:
    (row,) = pg("SELECT due_on FROM deadlines WHERE case_id = :c AND status = 'open'", c=case_id)
    return date.fromisoformat(str(row.due_on))


def watch_events(pg: Any, case_id: str) -> list[tuple[str, dict[str, Any]]]:
    rows = pg("SELECT event_type, envelope FROM outbox WHERE event_type IN ('deadline_approaching', "
              "'deadline_missed') AND envelope->'payload'->>'case_id' = :c ORDER BY id", c=case_id)
    return [(r.event_type, r.envelope["payload"]) for r in rows]


def test_the_watch_raises_approaching_once_and_missed_once(uows: UnitOfWorkFactory, open_case: Callable[..., Any],
                                                           pg: Any) -> None:
    case_id = open_case(f"95W{next(_courts):03d}").case_id
    due = due_on(pg, case_id)

    scan_deadlines(uows, noon(due - timedelta(days=8)))
    assert watch_events(pg, case_id) == []  # 8 days out: not yet
    scan_deadlines(uows, noon(due - timedelta(days=7)))
    scan_deadlines(uows, noon(due - timedelta(days=7)))  # the same scan again (or a second worker)
    scan_deadlines(uows, noon(due - timedelta(days=2)))
    scan_deadlines(uows, noon(due))  # the last day itself is not missed
    events = watch_events(pg, case_id)
    assert [(kind, p["days_left"], p["deadline"]["due_on"]) for kind, p in events] == [
        ("deadline_approaching", 7, due.isoformat())]
    assert events[0][1]["deadline"]["legal_basis_vi"] and events[0][1]["deadline"]["legal_basis_en"]

    scan_deadlines(uows, noon(due + timedelta(days=1)))
    scan_deadlines(uows, noon(due + timedelta(days=1)))
    scan_deadlines(uows, noon(due + timedelta(days=5)))
    events = watch_events(pg, case_id)
    assert [(kind, p.get("days_left"), p.get("days_over")) for kind, p in events] == [
        ("deadline_approaching", 7, None), ("deadline_missed", None, 1)]
    (row,) = pg("SELECT status, approaching_sent_at, missed_sent_at FROM deadlines WHERE case_id = :c", c=case_id)
    assert row.status == "missed" and row.approaching_sent_at < row.missed_sent_at


def test_a_deadline_first_seen_after_it_passed_raises_only_missed(uows: UnitOfWorkFactory,
                                                                  open_case: Callable[..., Any], pg: Any) -> None:
    case_id = open_case(f"95W{next(_courts):03d}").case_id
    due = due_on(pg, case_id)
    scan_deadlines(uows, noon(due + timedelta(days=3)))
    scan_deadlines(uows, noon(due + timedelta(days=4)))
    assert [(kind, p["days_over"]) for kind, p in watch_events(pg, case_id)] == [("deadline_missed", 3)]


# --- end to end: casefile's outbox -> broker -> stats and portal processes ---------------------------------

@pytest.fixture(scope="module")
def readers(service_processes: Callable[..., Any]) -> Iterator[str]:
    service_processes("stats", "ecourt_stats")
    service_processes("portal", "ecourt_portal")
    yield str(service_processes("portal", "ecourt_portal", "web").url)


@pytest.fixture(scope="module")
def rpc(ecourt_env: Any) -> Iterator[RpcClientPool]:
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


def wait_for(probe: Callable[[], Any], check: Callable[[Any], bool], timeout: float = 40) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if check(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def test_watch_and_merger_events_reach_stats_and_the_portal(
        uows: UnitOfWorkFactory, open_case: Callable[..., Any], pg: Any, readers: str, rpc: RpcClientPool,
        ecourt_env: Any, casefile_engine: Any) -> None:
    n = next(_courts)
    court, successor = f"95E{n:03d}", f"95F{n:03d}"
    received = open_case(court)
    case_id, code = received.case_id, format_case_id(received.case_id)
    # intake's own event (the portal learns the receipt secret's hash from it), as intake's relay sends it
    publish_event(ecourt_env.settings.amqp_uri, received)
    relay = OutboxRelay(casefile_engine, outbox, ecourt_env.settings.amqp_uri)
    due = due_on(pg, case_id)
    scan_deadlines(uows, noon(due - timedelta(days=7)))
    relay.drain()

    def board(on: date, court_id: str) -> dict[str, Any]:
        return rpc.call("stats", "deadline_alerts", token=ecourt_env.token(Role.PRESIDENT, court_id=court_id),
                        on_date=on.isoformat())

    def lookup() -> dict[str, Any]:
        r = httpx.post(f"{readers}/api/v1/lookup", json={"case_code": code, "receipt_secret": SECRET}, timeout=10,
                       headers={"X-Forwarded-For": f"203.0.113.{n % 250 + 1}"})
        return r.json() if r.status_code == 200 else {}

    approaching = wait_for(lambda: board(due - timedelta(days=3), court), lambda b: b["approaching"])["approaching"]
    assert [(r["case_id"], r["days_left"], r["due_on"]) for r in approaching] == [(case_id, 3, due.isoformat())]
    assert approaching[0]["legal_basis_vi"] and approaching[0]["case_code"] == code
    page = wait_for(lookup, lambda b: bool(b.get("deadline_alert")))
    assert page["deadline_alert"]["kind"] == "approaching" and page["deadline_alert"]["due_on"] == due.isoformat()
    assert page["deadline_alert"]["legal_basis"]["vi"] == approaching[0]["legal_basis_vi"]

    scan_deadlines(uows, noon(due + timedelta(days=1)))
    relay.drain()
    missed = wait_for(lambda: board(due + timedelta(days=2), court), lambda b: b["missed"])["missed"]
    assert [(r["case_id"], r["days_over"]) for r in missed] == [(case_id, 2)]

    # the merger moves the case: stats counts it at the successor only, its missed deadline follows it,
    # and the citizen's page (same code, same secret) shows the successor by name
    reg = CourtRegistry.from_document({
        "schema": 1, "sources": {"test": {"vi": "Nghị quyết thử nghiệm", "en": "Test resolution"}},
        "courts": [{"id": c, "level": "area", "vi": f"Tòa án nhân dân Khu vực thử {c}",
                    "en": f"People's Court of test area {c}", "source": "test"} for c in (court, successor)]})
    merging.merge_court(uows, court, successor, due + timedelta(days=3), lambda: datetime.now(UTC), courts=reg)
    relay.drain()

    def counts(court_id: str) -> list[dict[str, Any]]:
        return rpc.call("stats", "counts", token=ecourt_env.token(Role.PRESIDENT, court_id=court_id))

    wait_for(lambda: counts(successor), lambda rows: sum(r["count"] for r in rows) == 1)
    assert counts(court) == [] and sum(r["count"] for r in counts(successor)) == 1
    assert [r["case_id"] for r in board(due + timedelta(days=4), successor)["missed"]] == [case_id]
    assert board(due + timedelta(days=4), court)["missed"] == []
    page = wait_for(lookup, lambda b: (b.get("court") or {}).get("code") == successor)
    assert page["case_code"] == code and page["transfer"]["reason"] == "merger"
    assert page["court"]["vi"] == f"Tòa án nhân dân Khu vực thử {successor} (mã {successor})"
