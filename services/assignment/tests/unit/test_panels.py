"""Trial panel compositions by stage and type (panels.yaml) and the replayable panel draw."""

from __future__ import annotations

import copy
import hashlib
from decimal import Decimal
from typing import Any, get_args

import pytest

from ecourt_assignment.domain.draw import Candidate, case_weight
from ecourt_assignment.domain.panel_draw import (
    SeatUnfilled,
    panel_differences,
    run_panel_draw,
    seat_seed,
)
from ecourt_assignment.domain.panel_rules import Seat, panel_rules, parse_panel_rules
from ecourt_assignment.domain.rules import RuleDataError, weight_tables
from ecourt_shared.contracts.events import CaseType, Stage

pytestmark = pytest.mark.unit

CASE = "79KV01202600012365"
SEED = hashlib.sha256(b"panel").digest()


def labels(case_type: str, stage: str, complex_case: bool = False, substitutes: bool = False) -> list[str]:
    return [s.label for s in panel_rules().composition(case_type, stage, complex_case, substitutes).seats()]


def test_a_civil_first_instance_panel_is_one_judge_two_lay_assessors_and_a_clerk():
    composition = panel_rules().composition("DS", "ST")
    assert labels("DS", "ST") == ["presiding", "assessor-1", "assessor-2", "clerk"]
    assert "Điều 63 BLTTDS 2015" in composition.source_vi and "art. 63" in composition.source_en


def test_a_complex_criminal_first_instance_panel_is_two_judges_and_three_assessors():
    composition = panel_rules().composition("HS", "ST", complex_case=True)
    assert (composition.judges, composition.assessors) == (2, 3)
    assert "Điều 254" in composition.source_vi


def test_appellate_cassation_and_retrial_panels_are_three_judges_without_assessors():
    for case_type in get_args(CaseType):
        for stage in ("PT", "GĐT", "TT"):
            assert labels(case_type, stage) == ["presiding", "judge-2", "judge-3", "clerk"], (case_type, stage)


def test_every_case_type_and_stage_has_a_panel_with_a_cited_source():
    for case_type in get_args(CaseType):
        for stage in get_args(Stage):
            composition = panel_rules().composition(case_type, stage)
            assert composition.judges >= 1 and composition.source_vi and composition.source_en


def test_substitutes_are_drawn_only_when_asked_and_never_an_assessor_for_a_panel_without_assessors():
    assert labels("DS", "ST", substitutes=True) == ["presiding", "assessor-1", "assessor-2", "substitute-judge-1",
                                                    "substitute-assessor-1", "clerk"]
    assert labels("DS", "PT", substitutes=True) == ["presiding", "judge-2", "judge-3", "substitute-judge-1", "clerk"]
    assert labels("DS", "GĐT", substitutes=True) == ["presiding", "judge-2", "judge-3", "clerk"]


def test_an_appellate_case_has_no_enlarged_composition():
    with pytest.raises(ValueError):
        panel_rules().composition("DS", "PT", complex_case=True)


def test_a_malformed_panel_table_is_refused_at_start():
    doc: dict[str, Any] = {"clerk": {"count": 1, "source": {"vi": "a", "en": "b"}},
                           "substitutes_source": {"vi": "a", "en": "b"}, "earlier_stage_source": {"vi": "a", "en": "b"},
                           "panels": [{"stage": "ST", "case_types": ["DS"], "judges": 0, "assessors": 2,
                                       "source": {"vi": "a", "en": "b"}}]}
    with pytest.raises(RuleDataError, match="at least one judge"):
        parse_panel_rules(doc)
    doc["panels"][0]["judges"] = 1
    doc["panels"].append(dict(doc["panels"][0]))
    with pytest.raises(RuleDataError, match="twice"):
        parse_panel_rules(doc)


def pools(judges: int = 4, assessors: int = 5, clerks: int = 2) -> dict[str, list[Candidate]]:
    def members(prefix: str, n: int) -> list[Candidate]:
        return [Candidate(f"{prefix}-{i}", Decimal(1), Decimal(i % 3)) for i in range(1, n + 1)]

    return {"judge": members("TP", judges), "assessor": members("HT", assessors), "clerk": members("TK", clerks)}


def draw(composition_args: tuple[str, str, bool, bool] = ("HS", "ST", True, True),
         excluded: dict[str, str] | None = None, **pool_sizes: int) -> dict[str, Any]:
    composition = panel_rules().composition(*composition_args)
    table = weight_tables().tables[-1]
    weight = case_weight(table, composition.case_type, composition.stage, 2)
    seats = [s for s in composition.seats() if s.label != "presiding"]
    outcome = run_panel_draw("panel", CASE, SEED, seats, pools(**pool_sizes), excluded or {}, weight, table.draw,
                             {"TP-1": "presiding"}, composition)
    return outcome.record()


def test_a_panel_draw_fills_every_seat_once_and_replays():
    record = draw()
    winners = [s["record"]["winner"] for s in record["seats"]]
    assert [s["seat"] for s in record["seats"]] == ["judge-2", "assessor-1", "assessor-2", "assessor-3",
                                                    "substitute-judge-1", "substitute-assessor-1", "clerk"]
    assert len(set(winners)) == len(winners) and "TP-1" not in winners
    assert all(s["record"]["seed"] == seat_seed(SEED, CASE, s["seat"]).hex() for s in record["seats"])
    assert panel_differences(record) == []
    assert draw() == record  # same seed, same panel


def test_earlier_winners_and_the_presiding_judge_are_recorded_as_kept_out_of_later_seats():
    record = draw()
    substitute = next(s for s in record["seats"] if s["seat"] == "substitute-judge-1")["record"]
    reasons = {e["judge_id"]: e["reason"] for e in substitute["excluded"]}
    assert reasons["TP-1"] == "seated:presiding" and list(reasons.values()).count("seated:judge-2") == 1


def test_an_excluded_member_never_sits():
    record = draw(excluded={"HT-1": "earlier_stage:ST@79KV01", "HT-2": "unavailable:leave"}, assessors=6)
    winners = {s["record"]["winner"] for s in record["seats"]}
    assert not winners & {"HT-1", "HT-2"}


def test_a_seat_nobody_can_take_is_refused_by_name():
    with pytest.raises(SeatUnfilled) as caught:
        draw(assessors=3)  # a complex panel with a substitute needs four assessors
    assert caught.value.seat == Seat("substitute-assessor-1", "assessor")


@pytest.mark.parametrize("tamper", [
    lambda r: r["seats"][0]["record"].__setitem__("winner", "TP-99"),
    lambda r: r.__setitem__("seed", hashlib.sha256(b"other").hexdigest()),
    lambda r: r["seats"].pop(),
    lambda r: r["seated"].append({"member_id": r["seats"][1]["record"]["winner"], "seat": "judge-9"}),
    lambda r: r["seats"][1].__setitem__("seat", "assessor-9"),
    lambda r: r["composition"].__setitem__("assessors", 2),
])
def test_an_altered_panel_record_does_not_verify(tamper: Any):
    record = copy.deepcopy(draw())
    tamper(record)
    assert panel_differences(record) != []


def test_the_minors_rule_names_the_first_assessor_seat_with_its_source():
    rules = panel_rules()
    assert rules.minor_assessor_seats == ("assessor-1",)
    assert "Điều 423 BLTTHS 2015" in rules.minor_assessor_source[0]


def test_a_seat_with_its_own_pool_is_drawn_from_it():
    composition = panel_rules().composition("HS", "ST")
    table = weight_tables().tables[-1]
    weight = case_weight(table, "HS", "ST", 2)
    seats = [s for s in composition.seats() if s.label != "presiding"]
    all_pools = {**pools(), "assessor-1": [Candidate("HT-9", Decimal(1), Decimal(0))]}
    record = run_panel_draw("panel", CASE, SEED, seats, all_pools, {}, weight, table.draw, {"TP-1": "presiding"},
                            composition).record()
    assert record["seats"][0]["record"]["winner"] == "HT-9"
    assert panel_differences(record) == []
