"""The weighted draw: weights, band, outsider chance, capacity, and replay of a recorded draw."""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import get_args

import pytest

from ecourt_assignment.domain.draw import (
    ALGORITHM,
    Candidate,
    CaseWeight,
    NoCandidates,
    SeededStream,
    accrual,
    case_weight,
    run_draw,
    seed_commitment,
    verify_draw,
)
from ecourt_assignment.domain.rules import (
    DrawParameters,
    RuleDataError,
    competence,
    parse_competence,
    parse_weight_table,
    weight_table,
)
from ecourt_shared.contracts.events import CaseType, Stage

pytestmark = pytest.mark.unit

CASE = "79KV01202600012365"
PARAMS = DrawParameters(max_distance=Decimal("3.0"), outsider_chance=Decimal("0.25"))
WEIGHT = CaseWeight(value=Decimal("1.0000"), table_version="test", case_type="DS", stage="ST", party_count=2,
                    class_weight=Decimal("1.0"), party_factor=Decimal("1.0"))


def seed(n: int) -> bytes:
    return hashlib.sha256(f"test-seed-{n}".encode()).digest()


def judges(*totals: str, capacity: str = "1") -> list[Candidate]:
    return [Candidate(f"TP-{i:03d}", Decimal(capacity), Decimal(t)) for i, t in enumerate(totals, start=1)]


# --- the tables -------------------------------------------------------------------------------------


def test_weight_table_covers_every_case_type_and_stage_of_the_contract():
    table = weight_table()
    for case_type in get_args(CaseType):
        for stage in get_args(Stage):
            assert case_weight(table, case_type, stage, 2).value > 0


def test_weight_table_marks_its_approving_act_as_to_be_verified():
    table = weight_table()
    assert table.verify is True
    assert "QĐ-CA" in table.approved_by_vi


def test_every_case_type_has_a_field_of_competence():
    fields = competence()
    assert {fields.field_for(t) for t in get_args(CaseType)} <= set(fields.fields)
    assert {fields.field_for(t) for t in ("HNGĐ", "KDTM", "LĐ")} == {"family", "business", "labour"}
    assert all("civil" in fields.fields_for(t) for t in ("DS", "HNGĐ", "KDTM", "LĐ"))  # the general field
    assert fields.field_for("HS") == "criminal"
    assert fields.fields_for("HS", has_minor=True) == ("juvenile",)  # BLTTHS art. 423
    assert fields.field_for("HC") == "administrative"


def test_malformed_tables_are_refused():
    good = {"version": "x", "approved_by": {"vi": "a", "en": "b"}, "class_weights": {"DS": {"ST": "1"}},
            "party_factors": [{"min_parties": 0, "factor": "1"}],
            "draw": {"max_distance": "1", "outsider_chance": "0.25"}}
    parse_weight_table(good)
    for broken in ({**good, "class_weights": {"DS": {"ST": 1.2}}},  # a float, not an exact string
                   {**good, "class_weights": {"DS": {"ST": "0"}}},
                   {**good, "party_factors": [{"min_parties": 1, "factor": "1"}]},
                   {**good, "draw": {"max_distance": "1", "outsider_chance": "1.5"}},
                   {k: v for k, v in good.items() if k != "draw"}):
        with pytest.raises(RuleDataError):
            parse_weight_table(broken)
    with pytest.raises(RuleDataError):
        parse_competence({"fields": {"civil": {"vi": "a", "en": "b"}}, "case_type_fields": {"HS": "criminal"}})


def test_case_weight_is_class_weight_times_party_factor():
    table = weight_table()
    two = case_weight(table, "KDTM", "ST", 2)
    assert (two.class_weight, two.party_factor, two.value) == (Decimal("1.3"), Decimal("1.0"), Decimal("1.3000"))
    assert case_weight(table, "KDTM", "ST", 3).value == Decimal("1.5600")
    assert case_weight(table, "KDTM", "ST", 7).value == Decimal("1.9500")
    assert case_weight(table, "DS", "ST", 2).table_version == table.version


def test_half_time_judge_accrues_double():
    assert accrual(Decimal("1.3"), Decimal("0.5")) == Decimal("2.6000")
    assert accrual(Decimal("1"), Decimal("1")) == Decimal("1.0000")
    with pytest.raises(ValueError):
        accrual(Decimal("1"), Decimal("0"))


# --- randomness ---------------------------------------------------------------------------------------


def test_stream_is_hmac_of_case_and_counter():
    import hmac

    stream = SeededStream(seed(1), CASE)
    first, second = stream.next_block(), stream.next_block()
    assert first == hmac.new(seed(1), f"{CASE}|0".encode(), hashlib.sha256).digest()
    assert second == hmac.new(seed(1), f"{CASE}|1".encode(), hashlib.sha256).digest()
    assert SeededStream(seed(1), "79KV01202600012466").next_block() != first  # bound to the case


def test_stream_choices_are_roughly_fair():
    stream = SeededStream(seed(2), CASE)
    counts = Counter(stream.below(4) for _ in range(4000))
    assert all(900 < counts[k] < 1100 for k in range(4))
    hits = sum(stream.chance(Decimal("0.25")) for _ in range(4000))
    assert 900 < hits < 1100


def test_seed_must_have_32_bytes():
    with pytest.raises(ValueError):
        SeededStream(b"short", CASE)


# --- the draw -------------------------------------------------------------------------------------


def test_band_decides_who_is_eligible_without_randomness():
    outcome = run_draw(CASE, judges("0", "2.5", "3.0"), WEIGHT, PARAMS, seed(3))
    assert [c.in_band for c in outcome.candidates] == [True, True, True]
    assert outcome.eligible == ("TP-001", "TP-002", "TP-003")
    assert outcome.random_blocks_used == 1  # only the winner was drawn


def test_far_judges_enter_with_the_outsider_chance_only():
    entered: Counter[bool] = Counter()
    for n in range(2000):
        outcome = run_draw(CASE, judges("0", "10"), WEIGHT, PARAMS, seed(n))
        far = outcome.candidates[1]
        assert not far.in_band and far.distance == Decimal("10")
        entered[far.entered] += 1
        if not far.entered:
            assert outcome.winner == "TP-001"
    assert 400 < entered[True] < 600  # 25% of 2000


def test_nobody_is_ever_excluded_when_outsiders_always_enter():
    always = DrawParameters(max_distance=Decimal("0"), outsider_chance=Decimal("1"))
    winners = Counter(run_draw(CASE, judges("0", "50", "99"), WEIGHT, always, seed(n)).winner for n in range(900))
    assert set(winners) == {"TP-001", "TP-002", "TP-003"}
    assert all(250 < v < 350 for v in winners.values())


def test_candidate_order_does_not_change_the_outcome():
    pool = judges("0", "1", "7", "9")
    a = run_draw(CASE, pool, WEIGHT, PARAMS, seed(5))
    b = run_draw(CASE, list(reversed(pool)), WEIGHT, PARAMS, seed(5))
    assert a.record() == b.record()


def test_accrual_uses_the_winners_capacity():
    outcome = run_draw(CASE, judges("0", capacity="0.5"), WEIGHT, PARAMS, seed(6))
    assert outcome.winner == "TP-001" and outcome.accrual == Decimal("2.0000")


def test_loads_even_out_over_many_cases():
    totals = {j.judge_id: Decimal(0) for j in judges("0", "0", "0", "0")}
    capacity = {"TP-001": Decimal("1"), "TP-002": Decimal("1"), "TP-003": Decimal("1"), "TP-004": Decimal("0.5")}
    wins: Counter[str] = Counter()
    for n in range(400):
        pool = [Candidate(j, capacity[j], t) for j, t in totals.items()]
        outcome = run_draw(f"CASE{n:014d}", pool, WEIGHT, PARAMS, seed(n))
        totals[outcome.winner] += outcome.accrual
        wins[outcome.winner] += 1
    assert max(totals.values()) - min(totals.values()) <= Decimal("3.0") + Decimal("2")  # band plus one case
    assert wins["TP-004"] < wins["TP-001"]  # the half-time judge gets about half as many cases
    assert 30 < wins["TP-004"] < 90


def test_no_candidates_and_duplicate_judges_are_refused():
    with pytest.raises(NoCandidates):
        run_draw(CASE, [], WEIGHT, PARAMS, seed(7))
    with pytest.raises(ValueError):
        run_draw(CASE, judges("0") + judges("1"), WEIGHT, PARAMS, seed(7))


# --- verification ---------------------------------------------------------------------------------


@pytest.fixture
def record() -> dict:
    table = weight_table()
    return run_draw(CASE, judges("0", "1.5", "4", "5.5", "8.25", capacity="0.75"),
                    case_weight(table, "DS", "ST", 2), table.draw, seed(8)).record()


def test_record_carries_commitment_seed_and_algorithm(record):
    assert record["algorithm"] == ALGORITHM
    assert record["seed_commitment"] == hashlib.sha256(bytes.fromhex(record["seed"])).hexdigest()
    assert record["seed_commitment"] == seed_commitment(seed(8))
    assert record["winner"] in record["eligible"]


def test_a_recorded_draw_replays(record):
    assert verify_draw(record)
    assert verify_draw(record, weight_table())
    assert verify_draw(copy.deepcopy(record))


def test_a_draw_under_the_first_algorithm_still_replays():
    old = run_draw(CASE, judges("0", "1.5", "4", "8.25"), WEIGHT, PARAMS, seed(8)).record()
    assert old["algorithm"] == "ecourt-draw/1" and "escape_ceiling" not in old["parameters"]
    assert verify_draw(old)
    assert not verify_draw(_tampered(old, lambda r: r.update(algorithm=ALGORITHM)))


def test_replay_from_a_json_round_trip(record):
    import json

    assert verify_draw(json.loads(json.dumps(record)))


def _tampered(record: dict, change: Callable[[dict], object]) -> dict:
    forged = copy.deepcopy(record)
    change(forged)
    return forged


def other_judge(record: dict) -> str:
    return next(c["judge_id"] for c in record["candidates"] if c["judge_id"] != record["winner"])


@pytest.mark.parametrize("change", [
    pytest.param(lambda r: r.update(winner=other_judge(r)), id="winner"),
    pytest.param(lambda r: r.update(seed=seed(9).hex()), id="seed"),
    pytest.param(lambda r: r.update(seed_commitment=seed_commitment(seed(9))), id="commitment"),
    pytest.param(lambda r: r.update(seed=seed(9).hex(), seed_commitment=seed_commitment(seed(9))),
                 id="seed-and-commitment"),
    pytest.param(lambda r: r["eligible"].append("TP-999"), id="eligible-added"),
    pytest.param(lambda r: r["eligible"].pop(), id="eligible-removed"),
    pytest.param(lambda r: r["candidates"][0].update(total="5.0000"), id="total"),
    pytest.param(lambda r: r["candidates"].pop(), id="candidate-removed"),
    pytest.param(lambda r: r["candidates"][-1].update(entered=not r["candidates"][-1]["entered"]), id="entered"),
    pytest.param(lambda r: r.update(accrual="0.0001"), id="accrual"),
    pytest.param(lambda r: r["weight"].update(value="0.5000"), id="weight"),
    pytest.param(lambda r: r["parameters"].update(max_distance="100"), id="band"),
    pytest.param(lambda r: r.update(case_id="79KV01202600012466"), id="case"),
    pytest.param(lambda r: r.update(algorithm="other/1"), id="algorithm"),
    pytest.param(lambda r: r.pop("seed"), id="malformed"),
    pytest.param(lambda r: r["parameters"].update(escape_ceiling="100"), id="ceiling"),
    pytest.param(lambda r: r["excluded"].append({"judge_id": r["winner"], "reason": "unavailable:leave"}),
                 id="excluded-winner"),
])
def test_tampering_is_detected(record, change):
    forged = _tampered(record, change)
    assert forged != record
    assert not verify_draw(forged)


def test_weight_not_matching_the_table_of_its_version_is_detected(record):
    forged = _tampered(record, lambda r: r["weight"].update(class_weight="2.0", value="2.0000"))
    assert not verify_draw(forged, weight_table())


def test_same_seed_different_case_gives_independent_draws():
    pool = judges("0", "0", "0", "0", "0", "0", "0", "0")
    winners = {run_draw(f"CASE{n:014d}", pool, WEIGHT, PARAMS, seed(10)).winner for n in range(40)}
    assert len(winners) > 3
