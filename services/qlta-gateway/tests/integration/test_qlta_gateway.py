"""The gateway end to end: events on the real bus -> worker -> canonical record over HTTP -> simulator."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from kombu import Connection
from sqlalchemy import Engine, create_engine, func, pool, select

from ecourt_qlta.adapters.orm import outbound
from ecourt_qlta.adapters.qlta_simulator import QltaSimulator
from ecourt_qlta.domain.canonical import QltaCaseRecord, content_sha256
from ecourt_shared.auth import Role
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1, DeadlineV1
from ecourt_shared.identifiers import format_case_id, make_case_id
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_shared.testing.processes import ServiceProcess

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def gateway(service_processes: Callable[..., ServiceProcess]) -> Iterator[dict[str, ServiceProcess]]:
    """The gateway's two processes; stopped after the module so no other module shares its queues."""
    procs = {"worker": service_processes("qlta", "ecourt_qlta"),
             "web": service_processes("qlta", "ecourt_qlta", "web", ECOURT_QLTA_CHANGES_SETTLE_SECONDS="0.2")}
    yield procs
    for proc in procs.values():
        proc.stop()


@pytest.fixture(scope="module")
def engine(ecourt_env: EcourtEnv, gateway: Any) -> Iterator[Engine]:
    eng = create_engine(ecourt_env.settings.database_url("qlta"), poolclass=pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def court() -> str:
    return "G" + uuid.uuid4().hex[:5].upper()


@pytest.fixture
def serial() -> int:
    return uuid.uuid4().int % 900_000 + 1


def publish(amqp_uri: str, *payloads: EventPayload | dict[str, Any], at: datetime = T0) -> list[dict[str, Any]]:
    envelopes = [p if isinstance(p, dict) else
                 EventEnvelope.wrap(p).model_copy(update={"occurred_at": at}).model_dump(mode="json") for p in payloads]
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = conn.Producer(serializer="json")
        for envelope in envelopes:
            producer.publish(envelope, exchange=event_exchange(envelope["source"]), routing_key=envelope["event_type"],
                             message_id=envelope["event_id"], delivery_mode=2, retry=True)
    return envelopes


def received(court: str, serial: int) -> CaseReceivedV1:
    return CaseReceivedV1(
        court_id=court, case_id=make_case_id("79KV01", 2026, serial), acceptance_number=f"{serial}/2026/TLST-KDTM",
        case_type="KDTM", stage="ST", subject="Tranh chấp hợp đồng mua bán hàng hóa", accepted_at=T0,
        accepted_on=date(2026, 3, 2), parties=[], documents=[], receipt_secret_hash="0" * 64)


def wait_for(probe: Callable[[], Any], check: Callable[[Any], bool], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if check(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_events_become_a_canonical_record_served_over_http_and_pushed_to_qlta(
        gateway: dict[str, ServiceProcess], engine: Engine, ecourt_env: EcourtEnv, court: str, serial: int) -> None:
    case_id = make_case_id("79KV01", 2026, serial)
    amqp = ecourt_env.settings.amqp_uri
    web = gateway["web"].url
    auth = {"Authorization": f"Bearer {ecourt_env.token(Role.IT_ADMIN, court_id=court)}"}
    started = datetime.now(UTC) - timedelta(seconds=1)

    # Out of order: casefile's status and the judge before intake's reception.
    publish(amqp, CaseProgressedV1(
        court_id=court, case_id=case_id, case_type="KDTM", stage="ST", status="preparing",
        deadline=DeadlineV1(rule_id="BLTTDS-203-1", due_on=date(2026, 7, 2), legal_basis_vi="Điều 203 BLTTDS 2015",
                            legal_basis_en="Civil Procedure Code 2015, art. 203")), at=T0 + timedelta(days=1))
    publish(amqp, CaseAssignedV1(court_id=court, case_id=case_id, judge_id="J-0007", judge_name="Lê Văn Cường",
                                 method="random", draw_id="DR-9", assigned_by="u-pres", assigned_at=T0))
    publish(amqp, received(court, serial))

    def fetch() -> httpx.Response:
        return httpx.get(f"{web}/qlta/v1/cases/{case_id}", headers=auth, timeout=10)

    def all_three_applied(r: httpx.Response) -> bool:
        # The three events travel on three queues: wait until each has been applied, in whatever order.
        record = r.json()["record"] if r.status_code == 200 else {}
        return all(record.get(k) is not None for k in ("acceptance_number", "judge_code", "deadline_date"))

    response = wait_for(fetch, all_three_applied)
    assert response.status_code == 200, response.text
    body = response.json()
    record = QltaCaseRecord.model_validate(body["record"])
    assert (record.court_code, record.case_type) == (court, "KDTM")
    assert record.acceptance_number == f"{serial}/2026/TLST-KDTM"
    assert (record.status_code, record.deadline_date) == ("CHUAN_BI_XET_XU", date(2026, 7, 2))
    assert (record.judge_code, record.assignment_method) == ("J-0007", "NGAU_NHIEN")
    assert body["content_sha256"] == content_sha256(record)  # the SPC can verify the hash itself
    assert body["version"] == 3
    assert response.headers["etag"] == f'"{body["content_sha256"]}"'
    assert fetch().status_code == 200
    unchanged = httpx.get(f"{web}/qlta/v1/cases/{case_id}", timeout=10,
                          headers={**auth, "If-None-Match": response.headers["etag"]})
    assert unchanged.status_code == 304

    changes = wait_for(lambda: httpx.get(f"{web}/qlta/v1/changes", headers=auth, timeout=10,
                                         params={"since": started.isoformat()}).json(),
                       lambda b: any(c["case_id"] == case_id for c in b.get("changes", [])))
    [change] = [c for c in changes["changes"] if c["case_id"] == case_id]
    assert (change["version"], change["content_sha256"]) == (3, body["content_sha256"])
    later = httpx.get(f"{web}/qlta/v1/changes", headers=auth, params={"since": changes["next_since"]}, timeout=10)
    assert all(c["case_id"] != case_id for c in later.json()["changes"])

    # The sender pushed every version to the simulator, which now holds exactly what the API serves.
    simulator = QltaSimulator(engine)
    remote = wait_for(lambda: simulator.fetch(court, record.case_code),
                      lambda r: r is not None and r.version == 3)
    assert remote is not None and remote.content_sha256 == body["content_sha256"]
    assert [r["version"] for r in simulator.receipts(record.case_code)] == [1, 2, 3]
    assert simulator.current_record(court, record.case_code) == body["record"]
    in_sync = wait_for(lambda: fetch().json()["sync"], lambda s: s["in_sync"])
    assert in_sync["last_sent_version"] == 3


def test_duplicate_event_makes_one_outbound_row(gateway: dict[str, ServiceProcess], engine: Engine,
                                                ecourt_env: EcourtEnv, court: str, serial: int) -> None:
    case_id = make_case_id("79KV01", 2026, serial)
    [envelope] = publish(ecourt_env.settings.amqp_uri, received(court, serial))
    publish(ecourt_env.settings.amqp_uri, envelope, envelope)  # redelivered twice more

    def rows() -> list[Any]:
        with engine.connect() as conn:
            return list(conn.execute(select(outbound.c.version, outbound.c.status, outbound.c.source_event_id)
                                     .where(outbound.c.case_id == case_id)))

    assert wait_for(rows, lambda r: len(r) == 1 and r[0].status == "sent")[0].status == "sent"
    time.sleep(1)  # the redeliveries have been consumed by now
    assert [(r.version, r.status, r.source_event_id) for r in rows()] == [(1, "sent", envelope["event_id"])]
    with engine.connect() as conn:
        processed = conn.execute(select(func.count()).select_from(outbound).where(outbound.c.case_id == case_id))
        assert processed.scalar_one() == 1
    code = QltaCaseRecord.model_validate(
        httpx.get(f"{gateway['web'].url}/qlta/v1/cases/{case_id}", timeout=10,
                  headers={"Authorization": f"Bearer {ecourt_env.token(Role.IT_ADMIN, court_id=court)}"})
        .json()["record"]).case_code
    assert [r["version"] for r in QltaSimulator(engine).receipts(code)] == [1]


def test_http_api_needs_an_it_admin_of_the_court(gateway: dict[str, ServiceProcess], ecourt_env: EcourtEnv,
                                                 court: str, serial: int) -> None:
    case_id = make_case_id("79KV01", 2026, serial)
    publish(ecourt_env.settings.amqp_uri, received(court, serial))
    web = gateway["web"].url

    def get(token: str | None, path: str = f"/qlta/v1/cases/{case_id}") -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.get(web + path, headers=headers, timeout=10)

    admin = ecourt_env.token(Role.IT_ADMIN, court_id=court)
    assert wait_for(lambda: get(admin), lambda r: r.status_code == 200).status_code == 200
    assert get(None).status_code == 403
    assert get("garbage").status_code == 403
    assert get(ecourt_env.token(Role.PRESIDENT, court_id=court)).status_code == 403
    assert get(ecourt_env.token(Role.IT_ADMIN, court_id="OTHER1")).status_code == 404  # no probing other courts
    assert get(admin, "/qlta/v1/cases/79KV01-2026-000001-00").status_code == 404
    assert get(admin, "/qlta/v1/changes?since=not-a-date").status_code == 422
    ready = httpx.get(f"{web}/health/ready", timeout=10).json()
    assert ready["checks"] == {"amqp": "ok", "postgres": "ok"}


def test_a_merger_transfer_is_reported_to_qlta_under_the_new_court(
        gateway: dict[str, ServiceProcess], engine: Engine, ecourt_env: EcourtEnv, court: str, serial: int) -> None:
    from ecourt_shared.contracts.casefile import CaseTransferredV1

    case_id = make_case_id("79KV01", 2026, serial)
    successor = "H" + court[1:]
    amqp = ecourt_env.settings.amqp_uri
    simulator = QltaSimulator(engine)
    publish(amqp, received(court, serial))
    code = format_case_id(case_id)
    assert wait_for(lambda: simulator.fetch(court, code), lambda r: r is not None) is not None
    # the merger moves it; an older status of the old court delivered afterwards does not pull it back
    publish(amqp, CaseTransferredV1(court_id=successor, case_id=case_id, from_court_id=court, stage="ST",
                                    reason="merger", transferred_on=date(2026, 4, 1)), at=T0 + timedelta(days=30))
    publish(amqp, CaseProgressedV1(court_id=court, case_id=case_id, case_type="KDTM", stage="ST",
                                   status="preparing", deadline=None), at=T0 + timedelta(days=1))
    auth = {"Authorization": f"Bearer {ecourt_env.token(Role.IT_ADMIN, court_id=successor)}"}

    def at_successor() -> dict[str, Any]:
        r = httpx.get(f"{gateway['web'].url}/qlta/v1/cases/{case_id}", headers=auth, timeout=10)
        return r.json() if r.status_code == 200 else {}

    body = wait_for(at_successor, lambda b: b.get("record", {}).get("status_code") == "CHUAN_BI_XET_XU")
    record = QltaCaseRecord.model_validate(body["record"])
    assert (record.court_code, record.case_code) == (successor, code)
    assert (record.transferred_from_court_code, record.transfer_reason, record.transfer_date) == (
        court, "SAP_NHAP_TOA_AN", date(2026, 4, 1))
    remote = wait_for(lambda: simulator.fetch(successor, code),
                      lambda r: r is not None and r.content_sha256 == body["content_sha256"])
    assert remote is not None and remote.content_sha256 == body["content_sha256"]
    assert simulator.moved_to(court, code) == successor
    assert simulator.moved_to(successor, code) is None
    # the old court's IT admin no longer sees the case
    old = httpx.get(f"{gateway['web'].url}/qlta/v1/cases/{case_id}", timeout=10,
                    headers={"Authorization": f"Bearer {ecourt_env.token(Role.IT_ADMIN, court_id=court)}"})
    assert old.status_code == 404
