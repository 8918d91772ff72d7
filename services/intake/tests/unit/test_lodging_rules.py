"""The accept modes of the reception rules table, and what accepting a lodged kind needs, without broker or database."""

from __future__ import annotations

from datetime import date

import pytest

from ecourt_intake.domain.rules import kind_rule, reception_rules
from ecourt_intake.service_layer.decisions import decision_errors
from ecourt_intake.service_layer.lodging import FIELD_FOR, _case_refusal, case_to_lodge_on, lodging_errors
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.contracts.reception import ReceptionDecisionV1
from ecourt_shared.identifiers import make_case_id

pytestmark = pytest.mark.unit
LODGED = ("appeal", "protest", "cassation_petition", "retrial_request")
CASE = make_case_id("79KV01", 2026, 123)


def accept(**fields: object) -> ReceptionDecisionV1:
    return ReceptionDecisionV1.model_validate({"reception_id": "R-1", "decision": "accept", **fields})


def codes(errors: list) -> dict[str, str]:
    return {e.field: e.code for e in errors}


def test_appeals_protests_and_review_petitions_are_lodged_on_their_case():
    modes = {name: rule["accept"] for name, rule in reception_rules()["kinds"].items()}
    assert {k for k, m in modes.items() if m == "lodge"} == set(LODGED)
    assert "none" not in modes.values()  # every kind can be accepted at reception now
    for kind in LODGED:
        rule = kind_rule(kind)
        assert rule["needs_related_case"] and set(rule["lodge_roles"]) <= set(rule["roles"]), kind
        assert not decision_errors(accept(), kind, date(2026, 3, 2), "79KV01"), kind
    assert kind_rule("appeal")["lodge_roles"] == ["appellant"] and kind_rule("protest")["lodge_roles"] == []


def test_a_protest_needs_the_procuracys_level_and_nothing_else_takes_one():
    assert codes(lodging_errors(accept(), "protest", CASE)) == {"protest_level": "protest_level.required"}
    assert lodging_errors(accept(protest_level="higher_level"), "protest", CASE) == []
    assert codes(lodging_errors(accept(protest_level="same_level"), "appeal", CASE)) == {
        "protest_level": "protest_level.not_for_kind"}
    returned = ReceptionDecisionV1(reception_id="R-1", decision="return", reason="x", protest_level="same_level")
    assert codes(lodging_errors(returned, "protest", CASE)) == {"protest_level": "protest_level.not_for_decision"}


def test_the_case_to_lodge_on_comes_from_the_register_or_the_decision():
    assert case_to_lodge_on(accept(), CASE) == CASE
    # the register names only the judgment's number: the officer gives the case id
    assert codes(lodging_errors(accept(), "appeal", None)) == {"related_case_id": "related_case_id.required"}
    display = f"{CASE[:6]}-{CASE[6:10]}-{CASE[10:16]}-{CASE[16:]}"
    assert lodging_errors(accept(related_case_id=display), "appeal", None) == []
    assert case_to_lodge_on(accept(related_case_id=display), None) == CASE
    other = make_case_id("79KV01", 2026, 124)
    assert codes(lodging_errors(accept(related_case_id=other), "appeal", CASE)) == {
        "related_case_id": "related_case_id.mismatch"}
    assert "related_case_id" in codes(lodging_errors(accept(related_case_id="12/2026/DS-ST"), "appeal", None))
    assert codes(lodging_errors(accept(related_case_id=CASE), "supplement", CASE)) == {
        "related_case_id": "related_case_id.not_for_decision"}


def test_casefiles_refusal_keeps_its_words_and_names_the_registers_fields():
    refused = RequestRejected.single("step", "procedure.out_of_time", "quá thời hạn (Khoản 1 Điều 273 BLTTDS 2015)",
                                     "out of time (Civil Procedure Code 2015, art. 273(1))")
    [error] = _case_refusal(refused).errors
    assert (error.field, error.code) == ("decision", "procedure.out_of_time") and "273" in error.message_vi
    assert FIELD_FOR["params.level"] == "protest_level"
