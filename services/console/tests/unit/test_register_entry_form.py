"""The decision form of an appeal, protest or review petition: what it sends and where refusals go."""

from __future__ import annotations

import pytest

from ecourt_console.http.register_form import DecisionForm
from ecourt_console.http.rpc_errors import Message

pytestmark = pytest.mark.unit


def test_the_case_id_and_protest_level_are_sent_with_an_accept_only():
    raw = {"decision": "accept", "related_case_id": "79KV01-2026-000001-43", "protest_level": "higher_level"}
    assert DecisionForm.submitted(raw).decision("R-1") == {
        "reception_id": "R-1", "decision": "accept", "related_case_id": "79KV01-2026-000001-43",
        "protest_level": "higher_level"}
    returned = DecisionForm.submitted({**raw, "decision": "return", "reason": "Không đủ điều kiện"})
    assert returned.decision("R-1") == {"reception_id": "R-1", "decision": "return", "reason": "Không đủ điều kiện"}
    assert "protest_level" not in DecisionForm.submitted({**raw, "protest_level": "district"}).decision("R-1")


def test_a_blank_form_prefills_the_registered_case():
    assert DecisionForm.blank("79KV01-2026-000001-43").values["related_case_id"] == "79KV01-2026-000001-43"
    assert DecisionForm.blank().values["related_case_id"] == ""


def test_refusals_land_next_to_the_input_they_concern():
    form = DecisionForm.blank()
    form.add_errors([Message("a", "a", "related_case", "related_case.not_found"),
                     Message("b", "b", "params.level", "x"), Message("c", "c", "decision", "procedure.out_of_time"),
                     Message("d", "d", "parties", "party.not_appellant")])
    assert {k: [m.code for m in v] for k, v in form.errors.field_errors.items()} == {
        "related_case_id": ["related_case.not_found"], "protest_level": ["x"], "decision": ["procedure.out_of_time"]}
    assert [m.code for m in form.errors.general_errors] == ["party.not_appellant"]
