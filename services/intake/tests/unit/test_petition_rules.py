"""Reception rules for a petition, without broker or database."""

from __future__ import annotations

import base64

import pytest

from ecourt_intake.domain.petition import ValidPetition, validate_petition
from ecourt_shared.contracts.intake import PetitionV1
from ecourt_shared.identifiers.receipt import new_receipt_secret, receipt_secret_hash
from ecourt_shared.testing.documents import blank_pdf, petition

pytestmark = pytest.mark.unit
LIMIT = 1024 * 1024


def _petition(attachment: bytes | None = None, **overrides: object) -> PetitionV1:
    body = petition("key-unit-0001")
    body.update(overrides)
    data = blank_pdf() if attachment is None else attachment
    body["attachment"] = {"filename": "don.pdf", "content_base64": base64.b64encode(data).decode()}
    return PetitionV1.model_validate(body)


def _codes(result: object) -> dict[str, str]:
    assert isinstance(result, list), result
    return {e.field: e.code for e in result}


def test_valid_petition_normalizes_phone_and_counts_pages() -> None:
    result = validate_petition(_petition(attachment=blank_pdf(pages=3)), LIMIT)
    assert isinstance(result, ValidPetition)
    assert result.attachment.page_count == 3
    assert result.parties[0].phone_e164 == "+84912345678"
    assert result.parties[1].sex == "female"  # from the CCCD's century/sex digit


def test_petition_without_defendant_names_the_parties_field() -> None:
    body = petition("key-unit-0002")
    parties = [p for p in body["parties"] if p["role"] == "plaintiff"]  # type: ignore[union-attr,index]
    assert _codes(validate_petition(_petition(parties=parties), LIMIT)) == {"parties": "parties.missing_defendant"}


def test_cccd_birth_year_disagreeing_with_date_of_birth_is_refused() -> None:
    body = petition("key-unit-0003")
    body["parties"][0]["date_of_birth"] = "1991-05-01"  # type: ignore[index]
    codes = _codes(validate_petition(_petition(parties=body["parties"]), LIMIT))
    assert codes["parties.0.cccd"].startswith("cccd.")


def test_invalid_phone_is_refused_with_its_field() -> None:
    body = petition("key-unit-0004")
    body["parties"][0]["phone"] = "12345"  # type: ignore[index]
    assert "parties.0.phone" in _codes(validate_petition(_petition(parties=body["parties"]), LIMIT))


def test_attachment_judged_by_content_not_name() -> None:
    codes = _codes(validate_petition(_petition(attachment=b"PK\x03\x04 this is a zip named .pdf"), LIMIT))
    assert codes == {"attachment": "attachment.not_pdf"}


def test_oversized_attachment_is_refused() -> None:
    codes = _codes(validate_petition(_petition(attachment=blank_pdf(padding_bytes=2 * LIMIT)), LIMIT))
    assert codes == {"attachment": "attachment.too_large"}


def test_truncated_pdf_is_refused_as_unreadable() -> None:
    codes = _codes(validate_petition(_petition(attachment=b"%PDF-1.7\n1 0 obj <<"), LIMIT))
    assert codes == {"attachment": "attachment.unreadable_pdf"}


def test_all_problems_are_reported_at_once() -> None:
    body = petition("key-unit-0005")
    body["parties"] = [body["parties"][0]]  # type: ignore[index]
    body["parties"][0]["phone"] = "999"  # type: ignore[index]
    codes = _codes(validate_petition(_petition(attachment=b"nope", parties=body["parties"]), LIMIT))
    assert set(codes) == {"parties", "parties.0.phone", "attachment"}


def test_minor_party_is_flagged_on_the_acceptance_day() -> None:
    from datetime import date

    body = petition("key-unit-0006", plaintiff_cccd="079210001234")
    body["parties"][0]["date_of_birth"] = "2010-05-01"  # type: ignore[index]
    result = validate_petition(_petition(parties=body["parties"]), LIMIT)
    assert isinstance(result, ValidPetition)
    assert result.is_minor(result.parties[0], date(2026, 11, 27))
    assert not result.is_minor(result.parties[0], date(2028, 5, 1))


def test_receipt_secret_hash_ignores_hyphens_and_case() -> None:
    secret = new_receipt_secret()
    assert len(secret) == 14 and secret.count("-") == 2
    assert receipt_secret_hash(secret) == receipt_secret_hash(secret.replace("-", "").lower())
    assert receipt_secret_hash(secret) != receipt_secret_hash(new_receipt_secret())


def test_a_retry_is_the_same_request_whether_defaults_are_spelled_out_or_not() -> None:
    from ecourt_intake.service_layer.idempotency import fingerprint

    implicit = _petition()
    explicit = _petition(channel="counter", case_type="DS")
    assert fingerprint(implicit) == fingerprint(explicit)
    assert fingerprint(implicit) != fingerprint(_petition(case_type="HNGĐ"))
