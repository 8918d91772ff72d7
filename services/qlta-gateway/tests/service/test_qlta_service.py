"""The gateway's service class, sender and simulator on the real database, without a broker."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import Engine, delete, select, update

from ecourt_qlta.adapters.orm import metadata, outbound, qlta_cases
from ecourt_qlta.adapters.qlta_client import QltaAck, QltaChange, QltaRejected, QltaRemoteCase, QltaUnavailable
from ecourt_qlta.adapters.qlta_simulator import QltaSimulator, sim_cases
from ecourt_qlta.domain.canonical import QltaCaseRecord, content_sha256
from ecourt_qlta.service import QltaService
from ecourt_qlta.service_layer.sender import OutboundSender
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import PermissionDenied
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1, DeadlineV1
from ecourt_shared.db import UnitOfWorkFactory, make_engine
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv

pytestmark = pytest.mark.service

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine(ecourt_env: EcourtEnv, migrated: Callable[[str], None]) -> Iterator[Engine]:
    migrated("ecourt_qlta")
    eng = make_engine(ecourt_env.settings.database_url("qlta"), pool_size=2)
    yield eng
    eng.dispose()


@pytest.fixture
def court() -> str:
    return "Q" + uuid.uuid4().hex[:5].upper()


@pytest.fixture
def serials() -> Iterator[int]:
    """Case serials unique to the test (case ids are global keys)."""
    base = uuid.uuid4().int % 900_000 + 1
    return iter(range(base, base + 1000))


@dataclass
class FakeLink:
    client: Any
    wakes: list[int] = field(default_factory=list)

    def wake(self) -> None:
        self.wakes.append(1)


@pytest.fixture
def admin(ecourt_env: EcourtEnv) -> Callable[[str], str]:
    """``admin(court)``: a token of that court's IT administrator."""
    return lambda court: ecourt_env.token(Role.IT_ADMIN, court_id=court)


@pytest.fixture
def simulator(engine: Engine) -> QltaSimulator:
    return QltaSimulator(engine)


@pytest.fixture
def service(ecourt_env: EcourtEnv, engine: Engine, simulator: QltaSimulator) -> Any:
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(QltaService, db=UnitOfWorkFactory(engine, metadata), link=FakeLink(simulator),
                          auth=Authenticator(lambda token: verify_token(token, key)))


def env_of(payload: Any, at: datetime = T0) -> EventEnvelope:
    return EventEnvelope.wrap(payload).model_copy(update={"occurred_at": at})


def received(court: str, serial: int) -> CaseReceivedV1:
    return CaseReceivedV1(
        court_id=court, case_id=make_case_id("79KV01", 2026, serial), acceptance_number=f"{serial}/2026/TLST-DS",
        case_type="DS", stage="ST", subject="Tranh chấp hợp đồng vay tài sản", accepted_at=T0,
        accepted_on=date(2026, 3, 2), parties=[], documents=[], receipt_secret_hash="0" * 64)


def progressed(court: str, serial: int, status: str) -> CaseProgressedV1:
    return CaseProgressedV1(court_id=court, case_id=make_case_id("79KV01", 2026, serial), case_type="DS", stage="ST",
                            status=status,
                            deadline=DeadlineV1(rule_id="BLTTDS-203-1", due_on=date(2026, 7, 2),
                                                legal_basis_vi="Điều 203 BLTTDS 2015",
                                                legal_basis_en="Civil Procedure Code 2015, art. 203"))


def assigned(court: str, serial: int) -> CaseAssignedV1:
    return CaseAssignedV1(court_id=court, case_id=make_case_id("79KV01", 2026, serial), judge_id="J-7",
                          judge_name="Lê Văn Cường", method="random", draw_id="DR-1", assigned_by="u-pres",
                          assigned_at=T0 + timedelta(hours=1))


def outbound_rows(engine: Engine, case_id: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(outbound).where(outbound.c.case_id == case_id).order_by(outbound.c.id)))


def sender(engine: Engine, client: Any, **kwargs: Any) -> OutboundSender:
    return OutboundSender(engine, client, retry_base_seconds=0, **kwargs)


def send_court(engine: Engine, client: Any, court: str, **kwargs: Any) -> None:
    """Send only this test's rows: other tests' pending rows are parked meanwhile (they share the database)."""

    with engine.begin() as conn:  # park other courts' rows for this round
        parked = conn.execute(update(outbound).where(outbound.c.court_id != court, outbound.c.status == "pending")
                              .values(status="parked").returning(outbound.c.id)).scalars().all()
    try:
        sender(engine, client, **kwargs).drain()
    finally:
        with engine.begin() as conn:
            conn.execute(update(outbound).where(outbound.c.id.in_(parked)).values(status="pending"))


def test_each_change_is_one_outbound_row_and_duplicates_add_none(service: Any, engine: Engine, court: str,
                                                                  serials: Iterator[int]) -> None:
    serial = next(serials)
    case_id = make_case_id("79KV01", 2026, serial)
    first = env_of(received(court, serial))
    service.on_case_received(received(court, serial), first)
    service.on_case_received(received(court, serial), first)  # redelivery
    service.on_case_assigned(assigned(court, serial), env_of(assigned(court, serial)))
    service.on_case_progressed(progressed(court, serial, "preparing"),
                               env_of(progressed(court, serial, "preparing"), T0 + timedelta(days=1)))
    # A stale status in a new event: merged, but QLTA's record is unchanged, so nothing is queued.
    service.on_case_received(received(court, serial), env_of(received(court, serial), T0 + timedelta(days=2)))
    rows = outbound_rows(engine, case_id)
    assert [(r.version, r.status, r.attempts) for r in rows] == [(1, "pending", 0), (2, "pending", 0),
                                                                 (3, "pending", 0)]
    assert rows[0].source_event_id == first.event_id
    final = QltaCaseRecord.model_validate(rows[-1].record)
    assert (final.status_code, final.judge_code) == ("CHUAN_BI_XET_XU", "J-7")
    assert rows[-1].content_sha256 == content_sha256(final)
    with engine.connect() as conn:
        version, sha = conn.execute(select(qlta_cases.c.version, qlta_cases.c.content_sha256)
                                    .where(qlta_cases.c.case_id == case_id)).one()
    assert (version, sha) == (3, rows[-1].content_sha256)
    assert len(service.link.wakes) == 3


def test_sender_pushes_in_order_and_records_sync_state(service: Any, engine: Engine, simulator: QltaSimulator,
                                                       court: str, serials: Iterator[int],
                                                       admin: Callable[[str], str]) -> None:
    serial = next(serials)
    case_id = make_case_id("79KV01", 2026, serial)
    service.on_case_received(received(court, serial), env_of(received(court, serial)))
    service.on_case_assigned(assigned(court, serial), env_of(assigned(court, serial)))
    send_court(engine, simulator, court)
    rows = outbound_rows(engine, case_id)
    assert [(r.status, r.attempts) for r in rows] == [("sent", 1), ("sent", 1)]
    code = rows[0].record["case_code"]
    assert [(r["version"], r["outcome"]) for r in simulator.receipts(code)] == [(1, "stored"), (2, "stored")]
    remote = simulator.fetch(court, code)
    assert remote is not None and (remote.version, remote.content_sha256) == (2, rows[-1].content_sha256)
    summary = service.sync_summary(admin(court))
    assert summary["cases"] == 1 and summary["in_sync"] == 1
    assert summary["outbound"] == {"pending": 0, "sent": 2, "failed": 0}
    # Pushing an old version again is harmless: QLTA keeps the highest.
    old = QltaCaseRecord.model_validate(rows[0].record)
    ack = simulator.push(QltaChange(court_code=court, case_code=code, version=1, content_sha256=rows[0].content_sha256,
                                    record=old))
    assert ack.outcome == "stale"
    still = simulator.fetch(court, code)
    assert still is not None and still.version == 2


class Flaky:
    """Fails the first ``failures`` pushes as unreachable, then behaves like the simulator."""

    def __init__(self, inner: QltaSimulator, failures: int) -> None:
        self.inner, self.failures = inner, failures

    def push(self, change: QltaChange) -> QltaAck:
        if self.failures > 0:
            self.failures -= 1
            raise QltaUnavailable("connection refused")
        return self.inner.push(change)

    def fetch(self, court_code: str, case_code: str) -> QltaRemoteCase | None:
        return self.inner.fetch(court_code, case_code)


class Rejecting(Flaky):
    def push(self, change: QltaChange) -> QltaAck:
        raise QltaRejected("mã Tòa án không tồn tại / unknown court code")


def test_unreachable_qlta_is_retried_then_failed_then_retried_by_an_operator(
        service: Any, engine: Engine, simulator: QltaSimulator, court: str, serials: Iterator[int],
        admin: Callable[[str], str]) -> None:
    serial = next(serials)
    case_id = make_case_id("79KV01", 2026, serial)
    service.on_case_received(received(court, serial), env_of(received(court, serial)))
    send_court(engine, Flaky(simulator, failures=1), court)
    assert [(r.status, r.attempts) for r in outbound_rows(engine, case_id)] == [("pending", 1)]
    send_court(engine, Flaky(simulator, failures=0), court)
    assert [(r.status, r.attempts) for r in outbound_rows(engine, case_id)] == [("sent", 2)]

    service.on_case_assigned(assigned(court, serial), env_of(assigned(court, serial)))
    for _ in range(3):
        send_court(engine, Flaky(simulator, failures=99), court, max_attempts=3)
    row = outbound_rows(engine, case_id)[-1]
    assert (row.version, row.status, row.attempts) == (2, "failed", 3)
    assert "connection refused" in row.last_error
    token = admin(court)
    assert service.sync_summary(token)["outbound"]["failed"] == 1
    assert service.retry_failed(token, case_id=case_id) == {"requeued": 1}
    send_court(engine, simulator, court)
    assert [r.status for r in outbound_rows(engine, case_id)] == ["sent", "sent"]


def test_a_rejected_change_fails_at_once(service: Any, engine: Engine, simulator: QltaSimulator, court: str,
                                         serials: Iterator[int]) -> None:
    serial = next(serials)
    service.on_case_received(received(court, serial), env_of(received(court, serial)))
    send_court(engine, Rejecting(simulator, 0), court)
    row = outbound_rows(engine, make_case_id("79KV01", 2026, serial))[0]
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("rejected:")


def test_reconcile_finds_drift_and_repairs_it(service: Any, engine: Engine, simulator: QltaSimulator, court: str,
                                              serials: Iterator[int], admin: Callable[[str], str]) -> None:
    one, two, three = next(serials), next(serials), next(serials)
    for serial in (one, two, three):
        service.on_case_received(received(court, serial), env_of(received(court, serial)))
    send_court(engine, simulator, court)
    service.on_case_assigned(assigned(court, three), env_of(assigned(court, three)))  # queued, not yet sent
    lost = outbound_rows(engine, make_case_id("79KV01", 2026, two))[0].record["case_code"]
    with engine.begin() as conn:  # QLTA "loses" case two
        conn.execute(delete(sim_cases).where(sim_cases.c.court_code == court, sim_cases.c.case_code == lost))
    token = admin(court)

    report = service.reconcile(token)
    assert (report["checked"], report["in_sync"], report["in_flight"]) == (3, 1, 1)
    assert report["missing"] == [{"case_id": make_case_id("79KV01", 2026, two), "version": 1}]
    assert report["requeued"] == 0

    assert service.reconcile(token, repair=True)["requeued"] == 1
    send_court(engine, simulator, court)
    report = service.reconcile(token)
    assert (report["in_sync"], report["missing_count"], report["mismatched_count"]) == (3, 0, 0)


def test_admin_rpc_is_for_it_admins_of_the_court(service: Any, court: str, ecourt_env: EcourtEnv) -> None:
    env = ecourt_env
    for role in (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.CITIZEN):
        with pytest.raises(PermissionDenied):
            service.sync_summary(env.token(role, court_id=court))
    assert service.sync_summary(env.token(Role.IT_ADMIN, court_id=court))["cases"] == 0
