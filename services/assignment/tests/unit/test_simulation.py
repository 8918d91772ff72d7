"""Long runs of the real draw: loads stay inside the band, and every draw of a run replays from its record."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from ecourt_assignment.domain.draw import differences, verify_draw
from ecourt_assignment.domain.rules import weight_tables
from ecourt_assignment.simulation import simulate

pytestmark = pytest.mark.unit


def test_ten_thousand_draws_over_thirty_judges_of_mixed_capacity_keep_the_loads_within_the_band():
    result = simulate(draws=10_000, judges=30, keep_records=False)
    print()
    print(result.summary())
    assert len(set(result.capacities.values())) == 3  # full, three-quarter and half time
    assert result.widest_spread <= result.band_limit  # at every step, not only at the end
    assert result.spread <= result.band_limit
    assert result.gini < Decimal("0.01")
    assert 0 < result.escapes < 10_000  # the escape fires, and it does not decide most draws


def test_every_draw_of_a_thousand_draw_run_replays_from_its_record_alone():
    result = simulate(draws=1_000, judges=30, seed="replay-run")
    assert len(result.records) == 1_000
    lookup = weight_tables().version
    failures = [(n, found) for n, record in enumerate(result.records) if (found := differences(record, lookup))]
    assert failures == []
    totals = {j: Decimal(0) for j in result.totals}
    for record in result.records:  # the recorded accruals add up to the final loads
        totals[record["winner"]] += Decimal(record["accrual"])
    assert totals == result.totals


def test_a_single_tampered_draw_in_the_run_is_found():
    result = simulate(draws=200, judges=30, seed="tamper-run")
    records = copy.deepcopy(result.records)
    victim = records[137]
    victim["winner"] = next(j for j in victim["eligible"] if j != victim["winner"])
    failing = [n for n, record in enumerate(records) if not verify_draw(record)]
    assert failing == [137]
