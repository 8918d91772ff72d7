"""The stats service class with its real database and token check, without a broker (worker_factory)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import func, select

from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1, DeadlineV1
from ecourt_shared.db import UnitOfWorkFactory, make_engine
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.testing.environment import TestEnvironment as EcourtEnv
from ecourt_stats.adapters.orm import metadata, processed_events
from ecourt_stats.service import StatsService

pytestmark = pytest.mark.service

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def uows(ecourt_env: EcourtEnv, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_stats")
    engine = make_engine(ecourt_env.settings.database_url("stats"), pool_size=2)
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


@pytest.fixture
def court() -> str:
    """A fresh court per test, so counts are the test's own."""
    return "S" + uuid.uuid4().hex[:5].upper()


@pytest.fixture
def service(ecourt_env: EcourtEnv, uows: UnitOfWorkFactory) -> Any:
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(StatsService, db=uows, auth=Authenticator(lambda token: verify_token(token, key)))


def envelope(payload: Any, at: datetime = T0) -> EventEnvelope:
    return EventEnvelope.wrap(payload).model_copy(update={"occurred_at": at})


def received(court: str, serial: int, case_type: str = "DS") -> CaseReceivedV1:
    return CaseReceivedV1(
        court_id=court, case_id=make_case_id("79KV01", 2026, serial), acceptance_number=f"{serial}/2026/TLST-DS",
        case_type=case_type, stage="ST", subject="Tranh chấp hợp đồng vay tài sản", accepted_at=T0,
        accepted_on=date(2026, 3, 2), parties=[], documents=[], receipt_secret_hash="0" * 64)


def progressed(court: str, serial: int, status: str, due: date | None = None) -> CaseProgressedV1:
    deadline = DeadlineV1(rule_id="BLTTDS-203-1", due_on=due, legal_basis_vi="Điều 203 BLTTDS 2015",
                          legal_basis_en="Civil Procedure Code 2015, art. 203") if due else None
    return CaseProgressedV1(court_id=court, case_id=make_case_id("79KV01", 2026, serial), case_type="DS",
                            stage="ST", status=status, deadline=deadline)


def assigned(court: str, serial: int, judge: str) -> CaseAssignedV1:
    return CaseAssignedV1(court_id=court, case_id=make_case_id("79KV01", 2026, serial), judge_id=judge,
                          judge_name=f"Thẩm phán {judge}", method="random", draw_id="DR-1", assigned_by="u-pres",
                          assigned_at=T0 + timedelta(hours=1))


def test_events_fold_into_counts(service: Any, ecourt_env: EcourtEnv, court: str) -> None:
    service.on_case_received(received(court, 1), envelope(received(court, 1)))
    service.on_case_received(received(court, 2, "HNGĐ"), envelope(received(court, 2, "HNGĐ")))
    late = progressed(court, 1, "preparing", date(2026, 7, 2))
    service.on_case_progressed(late, envelope(late, T0 + timedelta(minutes=5)))

    token = ecourt_env.token(Role.CLERK, court_id=court)
    assert service.counts(token) == [
        {"case_type": "DS", "status": "preparing", "count": 1},
        {"case_type": "HNGĐ", "status": "accepted", "count": 1},
    ]
    assert service.counts(token, group_by=["stage"]) == [{"stage": "ST", "count": 2}]


def test_redelivered_event_is_applied_once(service: Any, uows: UnitOfWorkFactory, ecourt_env: EcourtEnv,
                                           court: str) -> None:
    payload = received(court, 3)
    env = envelope(payload)
    for _ in range(3):
        service.on_case_received(payload, env)
    assert service.counts(ecourt_env.token(Role.PRESIDENT, court_id=court)) == [
        {"case_type": "DS", "status": "accepted", "count": 1}]
    with uows() as uow:
        claims = uow.execute(select(func.count()).select_from(processed_events)
                             .where(processed_events.c.event_id == env.event_id)).scalar_one()
    assert claims == 1


def test_assignment_before_reception_and_workload(service: Any, ecourt_env: EcourtEnv, court: str) -> None:
    service.on_case_assigned(assigned(court, 4, "J-7"), envelope(assigned(court, 4, "J-7")))
    token = ecourt_env.token(Role.PRESIDENT, court_id=court)
    assert service.counts(token) == [{"case_type": None, "status": None, "count": 1}]
    service.on_case_received(received(court, 4), envelope(received(court, 4)))
    decided = progressed(court, 4, "decided")
    service.on_case_progressed(decided, envelope(decided, T0 + timedelta(days=60)))
    service.on_case_received(received(court, 5), envelope(received(court, 5)))
    service.on_case_assigned(assigned(court, 5, "J-7"), envelope(assigned(court, 5, "J-7")))

    assert service.counts(token) == [{"case_type": "DS", "status": "accepted", "count": 1},
                                     {"case_type": "DS", "status": "decided", "count": 1}]
    assert service.counts_by_judge(token) == [{
        "judge_id": "J-7", "judge_name": "Thẩm phán J-7", "total": 2, "pending": 1, "resolved": 1,
        "by_status": {"accepted": 1, "decided": 1}}]


def test_overdue_lists_running_deadlines_only(service: Any, ecourt_env: EcourtEnv, court: str) -> None:
    for serial, status, due in ((6, "preparing", date(2026, 7, 2)), (7, "preparing", date(2026, 9, 1)),
                                (8, "suspended", date(2026, 5, 1))):
        service.on_case_received(received(court, serial), envelope(received(court, serial)))
        event = progressed(court, serial, status, due)
        service.on_case_progressed(event, envelope(event, T0 + timedelta(minutes=1)))
    rows = service.overdue(ecourt_env.token(Role.PRESIDENT, court_id=court), on_date="2026-08-01")
    assert rows == [{"case_id": make_case_id("79KV01", 2026, 6), "case_type": "DS", "stage": "ST",
                     "status": "preparing", "judge_id": None, "judge_name": None, "deadline_on": "2026-07-02",
                     "days_overdue": 30}]


def test_roles_and_court_scoping(service: Any, ecourt_env: EcourtEnv, court: str) -> None:
    service.on_case_received(received(court, 9), envelope(received(court, 9)))
    assert service.counts(ecourt_env.token(Role.PRESIDENT, court_id="OTHER1")) == []
    assert service.counts(ecourt_env.token(Role.IT_ADMIN, court_id=court))[0]["count"] == 1
    for role in (Role.RECEPTION, Role.CITIZEN, Role.LAWYER):
        with pytest.raises(PermissionDenied):
            service.counts(ecourt_env.token(role, court_id=court))
    for method, kwargs in (("counts_by_judge", {}), ("overdue", {"on_date": "2026-08-01"})):
        with pytest.raises(PermissionDenied):
            getattr(service, method)(ecourt_env.token(Role.JUDGE, court_id=court), **kwargs)
    with pytest.raises(PermissionDenied):
        service.counts("not-a-token")


def test_bad_arguments_are_rejected(service: Any, ecourt_env: EcourtEnv, court: str) -> None:
    token = ecourt_env.token(Role.PRESIDENT, court_id=court)
    with pytest.raises(RequestRejected):
        service.counts(token, group_by=["party_name"])
    with pytest.raises(RequestRejected):
        service.counts(token, group_by=["status", "status"])
    with pytest.raises(RequestRejected):
        service.overdue(token, on_date="01/08/2026")
