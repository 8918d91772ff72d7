"""Versioned weight tables, competence, the escape ceiling, fairness measures, and the audit of an export."""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from decimal import Decimal

import pytest

from ecourt_assignment.domain.draw import Candidate, CaseWeight, differences, run_draw
from ecourt_assignment.domain.fairness import gini, spread
from ecourt_assignment.domain.rules import (
    DrawParameters,
    RuleDataError,
    parse_competence,
    parse_weight_tables,
    weight_tables,
)
from ecourt_assignment.service_layer.queries import audit

pytestmark = pytest.mark.unit

WEIGHT = CaseWeight(value=Decimal("1.0000"), table_version="t", case_type="DS", stage="ST", party_count=2,
                    class_weight=Decimal("1.0"), party_factor=Decimal("1.0"))
CEILING = DrawParameters(max_distance=Decimal("3"), outsider_chance=Decimal("1"), escape_ceiling=Decimal("6"))


def table_doc(version: str, effective: str, ceiling: str | None = None) -> dict:
    draw = {"max_distance": "3", "outsider_chance": "0.25"}
    if ceiling:
        draw["escape_ceiling"] = ceiling
    return {"version": version, "effective_from": effective, "approved_by": {"vi": "QĐ 1", "en": "Decision 1"},
            "changes": {"vi": "Thay đổi", "en": "Change"}, "class_weights": {"DS": {"ST": "1"}},
            "party_factors": [{"min_parties": 0, "factor": "1"}], "draw": draw}


def test_the_table_in_force_is_chosen_by_the_day_and_every_version_stays_readable():
    tables = parse_weight_tables({"commitment": {"max_age_seconds": 60},
                                  "tables": [table_doc("A", "2026-01-01"), table_doc("B", "2026-03-01", "6")]})
    assert tables.in_force(date(2026, 2, 28)).version == "A"
    assert tables.in_force(date(2026, 3, 1)).version == "B"
    assert tables.version("A") is not None and tables.version("Z") is None
    assert tables.in_force(date(2026, 3, 1)).draw.algorithm == "ecourt-draw/2"
    with pytest.raises(LookupError):
        tables.in_force(date(2025, 12, 31))


def test_the_shipped_change_log_names_the_act_and_the_change_of_each_version():
    shipped = weight_tables()
    assert [t.version for t in shipped.tables] == ["2026.1-draft", "2026.2-draft"]
    for table in shipped.tables:
        record = table.as_record()
        assert record["approved_by"]["vi"] and record["approved_by"]["en"] and record["changes"]["en"]
    assert shipped.tables[-1].draw.escape_ceiling == Decimal("6.0")
    assert shipped.commitment_max_age_seconds > 0


@pytest.mark.parametrize("tables", [
    pytest.param([table_doc("A", "2026-01-01"), table_doc("A", "2026-03-01")], id="repeated-version"),
    pytest.param([table_doc("A", "2026-03-01"), table_doc("B", "2026-01-01")], id="out-of-order"),
    pytest.param([], id="empty"),
    pytest.param([table_doc("A", "2026-01-01", ceiling="2")], id="ceiling-below-band"),
    pytest.param([table_doc("A", "yesterday")], id="bad-date"),
])
def test_malformed_versioned_tables_are_refused(tables):
    with pytest.raises(RuleDataError):
        parse_weight_tables({"commitment": {"max_age_seconds": 60}, "tables": tables})


def test_competence_lists_must_name_known_fields():
    with pytest.raises(RuleDataError, match="unknown"):
        parse_competence({"fields": {"civil": {"vi": "Dân sự", "en": "Civil"}}, "case_type_fields": {"DS": ["tax"]}})


def test_an_outsider_beyond_the_escape_ceiling_never_enters_but_still_uses_its_random_block():
    pool = [Candidate("A", Decimal(1), Decimal(0)), Candidate("B", Decimal(1), Decimal(5)),
            Candidate("C", Decimal(1), Decimal(7))]
    outcome = run_draw("CASE", pool, WEIGHT, CEILING, hashlib.sha256(b"x").digest())
    entered = {c.judge_id: c.entered for c in outcome.candidates}
    assert entered == {"A": True, "B": True, "C": False}  # outsider_chance 1: B escapes, C is past the ceiling
    assert outcome.random_blocks_used >= 3  # B's and C's chances, then the winner


def test_differences_say_which_field_of_a_record_does_not_replay():
    record = run_draw("CASE", [Candidate("A", Decimal(1), Decimal(0)), Candidate("B", Decimal(1), Decimal(9))],
                      WEIGHT, CEILING, hashlib.sha256(b"y").digest()).record()
    assert differences(record) == []
    forged = copy.deepcopy(record)
    forged["winner"] = "B"
    [line] = differences(forged)
    assert line.startswith("winner: recorded 'B', replay gives 'A'")
    forged = copy.deepcopy(record)
    forged["weight"]["table_version"] = "nonexistent"
    assert any("no weight table" in d for d in differences(forged, weight_tables().version))


def test_an_export_whose_commitment_differs_from_the_published_one_fails_the_audit():
    record = run_draw("CASE", [Candidate("A", Decimal(1), Decimal(0))], WEIGHT, CEILING,
                      hashlib.sha256(b"z").digest()).record()
    export = {"draw_id": "DR-1", "record": record, "published_commitment": record["seed_commitment"],
              "committed_at": "2026-11-27T03:00:00+00:00", "drawn_at": "2026-11-27T03:00:01+00:00"}
    assert [d for d in audit(export) if not d.startswith("weight")] == []
    assert any(d.startswith("seed_commitment") for d in audit({**export, "published_commitment": "0" * 64}))
    assert any(d.startswith("committed_at") for d in audit({**export, "committed_at": "2026-11-27T03:00:02+00:00"}))


def test_gini_and_spread():
    assert gini([Decimal(5)] * 4) == Decimal("0.0000") and spread([Decimal(5)] * 4) == 0
    assert gini([Decimal(0), Decimal(0), Decimal(0), Decimal(4)]) == Decimal("0.7500")
    assert gini([Decimal(1), Decimal(2), Decimal(3)]) == Decimal("0.2222")
    assert spread([Decimal("1.5"), Decimal("4")]) == Decimal("2.5")
    assert gini([]) == Decimal("0.0000")
