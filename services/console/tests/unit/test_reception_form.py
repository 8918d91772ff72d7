"""The reception form: the petition it becomes and where intake's field errors are shown."""

from __future__ import annotations

import base64

import pytest

from ecourt_console.http.reception_form import IDEMPOTENCY_KEY, ReceptionForm, form_field
from ecourt_console.http.rpc_errors import Message
from ecourt_shared.contracts.intake import PetitionV1

pytestmark = pytest.mark.unit

VALUES = {"subject": " Tranh chấp hợp đồng vay tài sản ", "case_type": "DS",
          "plaintiff_name": "Nguyễn Văn An", "plaintiff_cccd": "079090001234", "plaintiff_dob": "1990-05-01",
          "plaintiff_phone": "0912345678", "defendant_name": "Trần Thị Bình", "defendant_cccd": "079185004321",
          "defendant_dob": "", "defendant_phone": ""}


def test_the_form_becomes_a_valid_petition_contract():
    form = ReceptionForm.submitted(VALUES, ReceptionForm.blank().idempotency_key)
    body = form.petition(b"%PDF-1.4 test", "don.pdf")
    contract = PetitionV1.model_validate(body)
    assert contract.subject == "Tranh chấp hợp đồng vay tài sản"
    assert [p.role for p in contract.parties] == ["plaintiff", "defendant"]
    assert contract.parties[1].date_of_birth is None and contract.parties[1].phone is None
    assert base64.b64decode(contract.attachment.content_base64) == b"%PDF-1.4 test"
    assert contract.idempotency_key == form.idempotency_key and contract.channel == "counter"


def test_the_idempotency_key_is_kept_when_well_formed_and_replaced_when_not():
    key = ReceptionForm.blank().idempotency_key
    assert IDEMPOTENCY_KEY.fullmatch(key)
    assert ReceptionForm.submitted(VALUES, key).idempotency_key == key
    replaced = ReceptionForm.submitted(VALUES, "'; drop table").idempotency_key
    assert IDEMPOTENCY_KEY.fullmatch(replaced)


def test_an_unknown_case_type_falls_back_to_civil():
    assert ReceptionForm.submitted({**VALUES, "case_type": "HS"}, "").values["case_type"] == "DS"


@pytest.mark.parametrize(("error_field", "form_name"), [
    ("subject", "subject"), ("case_type", "case_type"),
    ("parties.0.cccd", "plaintiff_cccd"), ("parties.0.full_name", "plaintiff_name"),
    ("parties.0.date_of_birth", "plaintiff_dob"), ("parties.1.phone", "defendant_phone"),
    ("parties.1.sex", "defendant_cccd"), ("attachment", "attachment"), ("attachment.content_base64", "attachment"),
    ("parties", None), ("parties.2.cccd", None), ("idempotency_key", None), ("", None),
])
def test_intake_field_errors_land_next_to_their_field(error_field, form_name):
    assert form_field(error_field) == form_name


def test_errors_are_grouped_by_field_and_required_ones_said_plainly():
    form = ReceptionForm.submitted(VALUES, "")
    form.add_errors([Message("CCCD sai", "bad CCCD", "parties.0.cccd", "cccd.checksum"),
                     Message("Giá trị không hợp lệ", "String should have at least 3 characters", "subject",
                             "string_too_short"),
                     Message("Thiếu bị đơn", "missing defendant", "parties", "parties.missing_defendant")])
    assert [m.en for m in form.field_errors["plaintiff_cccd"]] == ["bad CCCD"]
    assert form.field_errors["subject"][0].vi.startswith("Mục này không được để trống")
    assert [m.code for m in form.general_errors] == ["parties.missing_defendant"]
