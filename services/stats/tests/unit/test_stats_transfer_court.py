"""Which court holds a transferred case in stats, whatever order its events arrive in."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from ecourt_stats.domain.status import JudgeFact, StatusFact, TransferFact, converge

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CASE = "79Q00120260000427"


def status(court: str, state: str, minutes: int, source: str = "casefile") -> StatusFact:
    return StatusFact(case_id=CASE, court_id=court, source=source, case_type="DS", stage="ST", status=state,
                      occurred_at=T0 + timedelta(minutes=minutes), deadline_on=date(2026, 7, 2),
                      deadline_rule_id="blttds2015.a203.prep.civil" if source == "casefile" else None)


def transfer(to: str, from_: str, minutes: int) -> TransferFact:
    return TransferFact(case_id=CASE, court_id=to, from_court_id=from_, occurred_at=T0 + timedelta(minutes=minutes))


def judge(court: str) -> JudgeFact:
    return JudgeFact(case_id=CASE, court_id=court, judge_id="J-1", judge_name="Thẩm phán J-1", assigned_at=T0)


def test_a_merger_moves_the_case_and_an_older_status_never_pulls_it_back() -> None:
    facts = [status("79Q001", "accepted", 0, "intake"), status("79Q001", "preparing", 5), judge("79Q001"),
             transfer("79KV01", "79Q001", 60)]
    views = {converge(list(order)) for order in itertools.permutations(facts)}
    assert len(views) == 1
    view = views.pop()
    assert (view.court_id, view.from_court_id, view.status) == ("79KV01", "79Q001", "preparing")


def test_a_later_step_at_another_court_wins_over_an_earlier_transfer() -> None:
    # transferred to Area 1, then appealed: the provincial court holds it now
    facts = [status("79Q001", "preparing", 5), transfer("79KV01", "79Q001", 60),
             StatusFact(case_id=CASE, court_id="79TA00", source="casefile", case_type="DS", stage="PT",
                        status="preparing", occurred_at=T0 + timedelta(days=90))]
    views = {converge(list(order)) for order in itertools.permutations(facts)}
    assert len(views) == 1
    assert views.pop().court_id == "79TA00"


def test_a_transfer_chain_ends_at_the_latest_court() -> None:
    facts = [transfer("79KV01", "79Q001", 60), transfer("79KV02", "79KV01", 120), status("79Q001", "preparing", 5)]
    assert {converge(list(order)).court_id for order in itertools.permutations(facts)} == {"79KV02"}
