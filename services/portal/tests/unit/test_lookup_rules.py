"""A citizen's lookup: what is accepted as a case code and a secret, and how secrets are compared."""

from __future__ import annotations

import pytest

from ecourt_portal.domain.lookup import LookupQuery, not_found_error, parse_lookup
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.identifiers.receipt import receipt_secret_hash, secret_matches

pytestmark = pytest.mark.unit

CASE_ID = make_case_id("79KV01", 2026, 1)  # 79KV01202600000143
SECRET = "ABCD-EFGH-JKLM"


def _query(code: str, secret: str = SECRET) -> LookupQuery:
    result = parse_lookup(code, secret)
    assert isinstance(result, LookupQuery), result
    return result


@pytest.mark.parametrize("typed", ["79KV01-2026-000001-43", "79KV01202600000143", "79kv01-2026-000001-43",
                                   "  79KV01 2026 000001 43 "])
def test_case_code_is_accepted_hyphenated_or_canonical_in_any_letter_case(typed: str) -> None:
    assert _query(typed).case_id == CASE_ID


def test_mistyped_check_digits_are_a_field_error_in_both_languages() -> None:
    errors = parse_lookup("79KV01-2026-000001-44", SECRET)
    assert isinstance(errors, list)
    assert [(e.field, e.code) for e in errors] == [("case_code", "case_id.check_digits")]
    assert "kiểm tra" in errors[0].message_vi and "check digits" in errors[0].message_en


def test_swapped_characters_are_caught_by_the_check_digits() -> None:
    errors = parse_lookup("79KV01-2026-000010-43", SECRET)
    assert isinstance(errors, list) and errors[0].code == "case_id.check_digits"


def test_something_that_is_not_a_case_code_is_a_format_error() -> None:
    errors = parse_lookup("01/2026/TLST-DS", SECRET)
    assert isinstance(errors, list) and errors[0].code == "case_id.format"


def test_both_missing_fields_are_reported_at_once() -> None:
    errors = parse_lookup("  ", "")
    assert isinstance(errors, list)
    assert {e.code for e in errors} == {"case_code.required", "receipt_secret.required"}
    assert all(e.message_vi and e.message_en for e in errors)


def test_overlong_input_is_refused_before_any_work() -> None:
    errors = parse_lookup("7" * 65, "A" * 65)
    assert isinstance(errors, list)
    assert {e.code for e in errors} == {"case_code.too_long", "receipt_secret.too_long"}


@pytest.mark.parametrize("typed", ["ABCD-EFGH-JKLM", "abcdefghjklm", " abcd efgh jklm ", "Abcd-efgh-JKLM"])
def test_secret_is_read_as_printed_whatever_hyphens_spaces_or_case(typed: str) -> None:
    assert _query("79KV01202600000143", typed).secret_hash == receipt_secret_hash(SECRET)


def test_right_secret_matches_and_wrong_or_missing_hash_does_not() -> None:
    stored = receipt_secret_hash(SECRET)
    assert secret_matches(stored, receipt_secret_hash("abcd-efgh-jklm"))
    assert not secret_matches(stored, receipt_secret_hash("ABCD-EFGH-JKLN"))
    assert not secret_matches(None, receipt_secret_hash(SECRET))  # the receipt has not arrived yet
    assert not secret_matches(None, "x" * 64)  # not even the placeholder compared against when nothing is stored


def test_not_found_is_one_answer_that_names_neither_cause() -> None:
    error = not_found_error()
    assert error == not_found_error()
    assert error.code == "lookup.not_found"
    assert "không khớp" in error.message_vi and "does not match" in error.message_en


def test_secret_typed_with_spaces_or_lowercase_still_matches() -> None:
    from ecourt_shared.identifiers.receipt import new_receipt_secret

    for _ in range(50):
        secret = new_receipt_secret()
        stored = receipt_secret_hash(secret)
        for typed in (secret, secret.lower(), secret.replace("-", " ")):
            assert secret_matches(stored, receipt_secret_hash(typed))
