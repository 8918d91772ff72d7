"""The fairness view's figures as a Vietnamese reader expects them (comma decimal), and its bars."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecourt_console.http.pages.fairness import bar_step, fairness_view
from ecourt_console.http.panel_words import SEAT_METHOD_NAMES, label, number, percent

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("value", "places", "lang", "shown"), [
    ("1234.5", 2, "vi", "1.234,50"), ("1234.5", 2, "en", "1,234.50"), ("0.0812", 4, "vi", "0,0812"),
    ("3.0", 2, "vi", "3,00"), ("not a number", 2, "vi", "not a number"), (None, 2, "vi", ""),
])
def test_numbers_use_a_comma_decimal_in_vietnamese(value, places, lang, shown):
    assert number(value, places, lang) == shown


def test_percentages():
    assert percent("0.0583", "vi") == "5,83 %" and percent("0.0583", "en") == "5.83 %"
    assert percent("0", "vi") == "0,00 %"


def test_bars_are_relative_to_the_most_loaded_judge():
    assert bar_step(Decimal(4), Decimal(4)) == 20 and bar_step(Decimal(2), Decimal(4)) == 10
    assert bar_step(Decimal("0.01"), Decimal(4)) == 1  # any load shows
    assert bar_step(Decimal(0), Decimal(4)) == 0 and bar_step(Decimal(0), Decimal(0)) == 0


def test_the_view_counts_designations_against_all_assignments():
    view = fairness_view({"judges": [{"judge_id": "J-1", "load_total": "2.5000", "capacity": "1"},
                                     {"judge_id": "J-2", "load_total": "5.0000", "capacity": "0.5"}],
                          "spread": "2.5000", "gini": "0.1667", "escape_rate": "0.2500", "draws": 3,
                          "designations": 1}, "vi")
    assert [j["load"] for j in view["judges"]] == ["2,50", "5,00"] and [j["bar"] for j in view["judges"]] == [10, 20]
    assert view["spread"] == "2,50" and view["gini"] == "0,1667" and view["escape_rate"] == "25,00 %"
    assert view["designation_share"] == "25,00 %" and view["counts"]["draws"] == 3


def test_a_designation_never_reads_like_a_draw():
    assert label(SEAT_METHOD_NAMES, "vi", "designation") == "Chỉ định"
    assert label(SEAT_METHOD_NAMES, "en", "random") == "Bốc thăm ngẫu nhiên (random draw)"
