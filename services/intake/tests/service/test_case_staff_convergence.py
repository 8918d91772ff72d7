"""``case_assigned`` into intake's ``case_staff`` on the real PostgreSQL: latest wins by ``assigned_at`` whatever the
order, a redelivery changes nothing, a judge-only assignment keeps the panel, and each court keeps its own row."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from ecourt_intake.adapters import case_staff as staff_repo
from ecourt_intake.adapters.orm import metadata, processed_events
from ecourt_intake.domain.need_to_know import CaseStaff
from ecourt_intake.service_layer.case_staff import CONSUMER, record_assignment, record_progress
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, PanelMemberV1
from ecourt_shared.db import UnitOfWorkFactory

pytestmark = pytest.mark.service
T0 = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def uows(ecourt_env: Any, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_intake")
    engine = create_engine(ecourt_env.settings.database_url("intake"))
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


def assigned(case_id: str, judge: str, minutes: int, court: str = "79KV01", panel: list[str] | None = None,
             clerk: str | None = None) -> EventEnvelope:
    seats = None if panel is None else [
        PanelMemberV1(member_id=m, full_name=m, kind="judge", seat=f"judge-{i}") for i, m in enumerate(panel, 1)]
    if seats is not None:
        seats.append(PanelMemberV1(member_id="J-SUB", full_name="Dự khuyết", kind="judge", seat="substitute-judge-1",
                                   substitute=True))
    return EventEnvelope.wrap(CaseAssignedV1(
        court_id=court, case_id=case_id, judge_id=judge, judge_name=judge, method="random", draw_id=None,
        assigned_by="u-chanhan", assigned_at=T0 + timedelta(minutes=minutes), panel=seats, clerk_id=clerk))


def apply(uows: UnitOfWorkFactory, envelope: EventEnvelope) -> None:
    record_assignment(envelope.open(CaseAssignedV1), envelope, uows)


def staff(uows: UnitOfWorkFactory, case_id: str, court: str = "79KV01") -> CaseStaff | None:
    with uows() as uow:
        return staff_repo.staff_of(uow, case_id, court)


def test_the_latest_assignment_wins_in_every_order_and_redeliveries_change_nothing(uows):
    expected = CaseStaff(judge_id="J-3", panel=("J-3", "J-4"), clerk_id="u-clerk-2")
    for order in itertools.permutations(range(4)):
        case_id = f"79KV01{uuid.uuid4().int % 10**12:012d}"
        events = [assigned(case_id, "J-1", 0),
                  assigned(case_id, "J-2", 10, panel=["J-2", "J-5"], clerk="u-clerk-1"),
                  assigned(case_id, "J-3", 20),  # a reassignment of the judge alone keeps the panel drawn before
                  assigned(case_id, "J-3", 30, panel=["J-3", "J-4"], clerk="u-clerk-2")]
        for i in order:
            apply(uows, events[i])
            apply(uows, events[i])  # redelivered
        assert staff(uows, case_id) == expected, order
    with uows() as uow:
        claimed = uow.execute(select(func.count()).select_from(processed_events).where(
            processed_events.c.consumer == CONSUMER)).scalar()
    assert claimed == 4 * 24


def test_a_judge_only_assignment_after_the_panel_keeps_the_panel(uows):
    case_id = f"79KV01{uuid.uuid4().int % 10**12:012d}"
    apply(uows, assigned(case_id, "J-7", 0, panel=["J-7", "J-8"], clerk="u-clerk-3"))
    apply(uows, assigned(case_id, "J-9", 5))
    assert staff(uows, case_id) == CaseStaff(judge_id="J-9", panel=("J-7", "J-8"), clerk_id="u-clerk-3")


def test_each_court_keeps_its_own_staff_and_holds_the_case_once_assigned(uows):
    case_id = f"79KV01{uuid.uuid4().int % 10**12:012d}"
    apply(uows, assigned(case_id, "J-0007", 0))
    with uows() as uow:
        assert not staff_repo.court_holds(uow, case_id, "79TA00")
    apply(uows, assigned(case_id, "J-0101", 60, court="79TA00", panel=["J-0101", "J-0102", "J-0103"]))
    assert staff(uows, case_id) == CaseStaff(judge_id="J-0007")
    assert staff(uows, case_id, "79TA00") == CaseStaff(judge_id="J-0101", panel=("J-0101", "J-0102", "J-0103"))
    with uows() as uow:
        assert staff_repo.court_holds(uow, case_id, "79TA00")
        assert not staff_repo.court_holds(uow, case_id, "79KV02")


def progressed(case_id: str, minutes: int, court: str = "79KV01", clerk: str | None = None,
               panel: list[str] | None = None, from_court: str | None = None) -> EventEnvelope:
    envelope = EventEnvelope.wrap(CaseProgressedV1(
        court_id=court, case_id=case_id, case_type="DS", stage="PT" if from_court else "ST", status="preparing",
        deadline=None, step="assign_clerk" if clerk else "lodge_appeal", clerk_id=clerk, panel=panel,
        from_court_id=from_court))
    return envelope.model_copy(update={"occurred_at": T0 + timedelta(minutes=minutes)})


def test_a_clerk_or_panel_set_by_a_casefile_step_follows_the_same_latest_wins_rule(uows):
    case_id = f"79KV01{uuid.uuid4().int % 10**12:012d}"
    for envelope in (progressed(case_id, 40, clerk="u-clerk-step"),  # the judge's assign_clerk step
                     assigned(case_id, "J-1", 30, panel=["J-1", "J-2"], clerk="u-clerk-draw"),  # earlier draw
                     progressed(case_id, 10, panel=["J-1"])):  # an older panel, arriving last
        if envelope.event_type == "case_assigned":
            record_assignment(envelope.open(CaseAssignedV1), envelope, uows)
        else:
            record_progress(envelope.open(CaseProgressedV1), envelope, uows)
    assert staff(uows, case_id) == CaseStaff(judge_id="J-1", panel=("J-1", "J-2"), clerk_id="u-clerk-step")


def test_a_step_that_moves_the_case_makes_the_new_court_hold_it(uows):
    case_id = f"79KV01{uuid.uuid4().int % 10**12:012d}"
    envelope = progressed(case_id, 0, court="79TA00", from_court="79KV01")
    record_progress(envelope.open(CaseProgressedV1), envelope, uows)
    assert staff(uows, case_id, "79TA00") == CaseStaff()
    with uows() as uow:
        assert staff_repo.court_holds(uow, case_id, "79TA00")
