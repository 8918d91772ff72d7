"""Convergence of the stats read model, as plain functions.

The rank rule itself is tested with its definition: shared/tests/unit/test_status_rank.py.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from ecourt_shared.contracts.status import status_rank
from ecourt_stats.domain.status import CaseView, JudgeFact, StatusFact, apply, converge

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CASE = "79KV01202600012365"


def received(at: datetime = T0, stage: str = "ST", accepted_on: date = date(2026, 3, 2)) -> StatusFact:
    return StatusFact(case_id=CASE, court_id="79KV01", source="intake", case_type="DS", stage=stage,
                      status="accepted", occurred_at=at, accepted_on=accepted_on)


def progressed(status: str, minutes: int, deadline: date | None = None, stage: str = "ST") -> StatusFact:
    return StatusFact(case_id=CASE, court_id="79KV01", source="casefile", case_type="DS", stage=stage,
                      status=status, occurred_at=T0 + timedelta(minutes=minutes), deadline_on=deadline)


def assigned(judge: str, minutes: int) -> JudgeFact:
    return JudgeFact(case_id=CASE, court_id="79KV01", judge_id=judge, judge_name=f"Thẩm phán {judge}",
                     assigned_at=T0 + timedelta(minutes=minutes))


def test_casefile_status_wins_over_intake_accepted_even_when_intake_arrives_last() -> None:
    view = converge([progressed("preparing", 5, date(2026, 7, 2)), received()])
    assert (view.status, view.case_type, view.stage) == ("preparing", "DS", "ST")
    assert view.deadline_on == date(2026, 7, 2)
    assert view.accepted_on == date(2026, 3, 2)


def test_casefile_accepted_beats_intake_accepted_whatever_the_clock() -> None:
    early_casefile = progressed("accepted", -10, date(2026, 7, 2))  # casefile's clock behind intake's
    for order in ([received(), early_casefile], [early_casefile, received()]):
        view = converge(order)
        assert view.status == "accepted" and view.deadline_on == date(2026, 7, 2)


def test_assignment_never_erases_the_status() -> None:
    view = converge([received(), progressed("preparing", 5), assigned("J-1", 6)])
    assert (view.status, view.judge_id) == ("preparing", "J-1")
    view = converge([assigned("J-1", 6), received()])
    assert (view.status, view.judge_id, view.case_type) == ("accepted", "J-1", "DS")


def test_assignment_first_leaves_a_row_without_status() -> None:
    view = apply(None, assigned("J-1", 1))
    assert view.status is None and view.status_rank == 0 and view.judge_id == "J-1"


def test_latest_assignment_wins() -> None:
    assert converge([assigned("J-2", 9), assigned("J-1", 1)]).judge_id == "J-2"
    assert converge([assigned("J-1", 1), assigned("J-2", 9)]).judge_id == "J-2"


def test_stale_active_status_never_reopens_a_decided_case() -> None:
    view = converge([progressed("decided", 30), progressed("preparing", 40)])  # even with a later clock
    assert view.status == "decided"


def test_suspension_and_resumption_follow_the_clock_within_the_active_phase() -> None:
    events = [progressed("preparing", 1), progressed("suspended", 2), progressed("preparing", 3)]
    assert converge(list(reversed(events))).status == "preparing"
    assert converge(events[:2][::-1]).status == "suspended"


def test_appeal_stage_outranks_first_instance() -> None:
    view = converge([received(stage="PT", at=T0 + timedelta(days=90), accepted_on=date(2026, 6, 1)),
                     progressed("in_effect", 60), received()])
    assert (view.stage, view.status, view.accepted_on) == ("PT", "accepted", date(2026, 6, 1))


def test_redelivery_is_idempotent() -> None:
    once = converge([received(), progressed("preparing", 5)])
    assert converge([received(), progressed("preparing", 5), received(), progressed("preparing", 5)]) == once


def test_every_arrival_order_converges_to_the_same_view() -> None:
    facts = [received(), progressed("accepted", 1, date(2026, 7, 2)), assigned("J-1", 2),
             progressed("preparing", 3, date(2026, 7, 2)), progressed("suspended", 4),
             progressed("preparing", 5, date(2026, 7, 20)), assigned("J-2", 6),
             progressed("hearing_scheduled", 7, date(2026, 8, 1))]
    results = {converge(list(order)) for order in itertools.permutations(facts)}
    assert len(results) == 1
    (final,) = results
    assert final == CaseView(
        case_id=CASE, court_id="79KV01", case_type="DS", stage="ST", status="hearing_scheduled",
        status_rank=status_rank("ST", "hearing_scheduled", "casefile"), status_at=T0 + timedelta(minutes=7),
        judge_id="J-2", judge_name="Thẩm phán J-2", judge_assigned_at=T0 + timedelta(minutes=6),
        accepted_on=date(2026, 3, 2), deadline_on=date(2026, 8, 1), status_court_id="79KV01",
        progressed_at=T0 + timedelta(minutes=7), progressed_due_on=date(2026, 8, 1))
