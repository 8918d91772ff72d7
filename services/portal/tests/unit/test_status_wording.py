"""How codes read on the public page: statuses, case types and stages, Vietnamese term kept in English."""

from __future__ import annotations

import typing

import pytest

from ecourt_portal.domain.wording import STATUSES, case_type_words, stage_words, status_words
from ecourt_shared.contracts.events import CaseProgressedV1, CaseType, Stage

pytestmark = pytest.mark.unit


def test_every_status_casefile_can_send_has_words() -> None:
    statuses = typing.get_args(CaseProgressedV1.model_fields["status"].annotation)
    assert set(statuses) == set(STATUSES)


def test_accepted_reads_thu_ly_and_keeps_the_vietnamese_term_in_english() -> None:
    words = status_words("accepted")
    assert words.vi == "Đã thụ lý"
    assert words.en == "Thụ lý (accepted)"


@pytest.mark.parametrize("status", sorted(STATUSES))
def test_every_english_status_starts_with_its_vietnamese_legal_term(status: str) -> None:
    words = status_words(status)
    term, _, gloss = words.en.partition(" (")
    assert term and gloss.endswith(")")
    assert term.lower() in words.vi.lower()


def test_a_status_added_by_a_newer_casefile_still_shows_its_code() -> None:
    assert status_words("transferred").vi == "transferred"


def test_a_row_without_status_yet_says_so_in_both_languages() -> None:
    words = status_words(None)
    assert words.vi == "Chưa có thông tin" and "chưa có thông tin" in words.en


def test_every_case_type_has_a_vietnamese_name() -> None:
    for code in typing.get_args(CaseType):
        words = case_type_words(code)
        assert words.vi and words.vi != code
        assert words.en.startswith(words.vi + " (")
    assert case_type_words("HNGĐ").vi == "Hôn nhân và gia đình"
    assert case_type_words("DS").en == "Dân sự (civil)"


def test_every_stage_has_a_vietnamese_name() -> None:
    for code in typing.get_args(Stage):
        assert stage_words(code).vi != code
    assert stage_words("ST").vi == "Sơ thẩm"
    assert stage_words("PT").en == "Phúc thẩm (appeal)"
