"""The register forms: the request they build and where each of intake's field errors is shown."""

from __future__ import annotations

import base64

import pytest

from ecourt_console.http.register_form import DecisionForm, RegisterForm
from ecourt_console.http.rpc_errors import Message

pytestmark = pytest.mark.unit
KEY = "console-" + "a" * 32


def submitted(**values: str) -> RegisterForm:
    return RegisterForm.submitted({"kind": "petition", "case_type": "DS", "subject": "Tranh chấp", **values}, KEY)


def test_unused_party_rows_are_left_out_and_errors_find_their_row() -> None:
    form = submitted(party_0_role="plaintiff", party_0_name="Lương Thị Hạnh", party_0_cccd="000190001235",
                     party_2_role="defendant", party_2_name="Trịnh Văn Khoa", party_2_dob="1987-01-02")
    item = form.item([("don.pdf", b"%PDF-1.7")])
    assert [(p["role"], p["full_name"]) for p in item["parties"]] == [("plaintiff", "Lương Thị Hạnh"),
                                                                      ("defendant", "Trịnh Văn Khoa")]
    assert item["parties"][1]["date_of_birth"] == "1987-01-02" and "cccd" not in item["parties"][1]
    assert base64.b64decode(item["attachments"][0]["content_base64"]) == b"%PDF-1.7"
    assert item["idempotency_key"] == KEY
    form.add_errors([Message("sai", "wrong", "parties.0.cccd", "cccd.unknown_place_code"),
                     Message("sai", "wrong", "parties.1.date_of_birth", "x"),
                     Message("thiếu", "missing", "parties", "parties.missing_defendant"),
                     Message("tệp", "file", "attachments.0", "attachment.type"),
                     Message("bưu chính", "postmark", "postmark_date", "postmark_date.required"),
                     Message("chung", "general", "idempotency_key", "idempotency_key.reused")])
    assert set(form.errors.field_errors) == {"party_0_cccd", "party_2_dob", "parties", "attachments",
                                             "postmark_date"}
    assert [m.field for m in form.errors.general_errors] == ["idempotency_key"]


def test_a_channel_date_is_sent_only_for_its_channel() -> None:
    posted = submitted(channel="post", postmark_date="2026-11-20", detention_certified_date="2026-11-19").item([])
    assert posted["postmark_date"] == "2026-11-20" and "detention_certified_date" not in posted
    counter = submitted(channel="counter", postmark_date="2026-11-20").item([])
    assert "postmark_date" not in counter
    online = submitted(channel="online", submitted_at="2026-11-20T08:30").item([])
    assert online["submitted_at"] == "2026-11-20T08:30:00+07:00"


def test_unknown_choices_fall_back_and_a_forged_key_is_replaced() -> None:
    form = RegisterForm.submitted({"kind": "bribe", "channel": "pigeon", "case_type": "XX",
                                   "party_0_role": "judge", "party_0_name": "A"}, "my-own-key")
    item = form.item([])
    assert (item["kind"], item["channel"], item["case_type"]) == ("petition", "counter", None)
    assert item["parties"][0]["role"] == "related" and item["idempotency_key"].startswith("console-")


def test_a_decision_sends_only_the_inputs_of_the_chosen_decision() -> None:
    form = DecisionForm.submitted({"decision": "accept", "reason": "", "amendment_due_on": "2026-12-30",
                                   "transfer_to_court": "01KV02"})
    assert form.decision("R-1") == {"reception_id": "R-1", "decision": "accept"}
    amend = DecisionForm.submitted({"decision": "request_amendment", "reason": "Thiếu địa chỉ",
                                    "amendment_due_on": "2026-12-30", "transfer_to_court": "01KV02"})
    assert amend.decision("R-1") == {"reception_id": "R-1", "decision": "request_amendment",
                                     "reason": "Thiếu địa chỉ", "amendment_due_on": "2026-12-30"}
    amend.add_errors([Message("hạn", "due", "amendment_due_on", "x"), Message("đã", "done", "reception_id", "y")])
    assert list(amend.errors.field_errors) == ["amendment_due_on"]
    assert [m.vi for m in amend.errors.general_errors] == ["đã"]
