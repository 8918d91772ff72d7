"""The next deadline as a citizen reads it: dd/mm/yyyy, its legal basis, and the days left."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ecourt_portal.domain.clock import legal_day
from ecourt_portal.domain.deadlines import days_remaining, display_date, remaining_words
from ecourt_portal.domain.public_case import PublicCase, as_json, describe

pytestmark = pytest.mark.unit


def _case(**overrides: object) -> PublicCase:
    fields: dict[str, object] = dict(
        case_id="79KV01202600000143", case_code="79KV01-2026-000001-43", acceptance_number="01/2026/TLST-DS",
        case_type="DS", stage="ST", status="preparing", judge_name="Lê Thị Hoa", accepted_on=date(2026, 3, 2),
        deadline_on=date(2026, 7, 2), deadline_rule_id="blttds2015.a203.civil",
        legal_basis_vi="khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
        legal_basis_en="Civil Procedure Code 2015, art. 203(1)")
    fields.update(overrides)
    return PublicCase(**fields)


def test_days_remaining_counts_calendar_days_to_the_due_date() -> None:
    assert days_remaining(date(2026, 7, 2), date(2026, 6, 2)) == 30
    assert days_remaining(date(2026, 7, 2), date(2026, 7, 2)) == 0
    assert days_remaining(date(2026, 7, 2), date(2026, 7, 5)) == -3


def test_remaining_days_read_naturally_in_both_languages() -> None:
    assert remaining_words(30).vi == "Còn 30 ngày" and remaining_words(30).en == "30 days left"
    assert remaining_words(1).en == "1 day left"
    assert remaining_words(0).vi == "Hôm nay là ngày cuối của thời hạn"
    assert remaining_words(-1).en == "1 day overdue"
    assert remaining_words(-3).vi == "Đã quá hạn 3 ngày"


def test_dates_are_written_day_month_year() -> None:
    assert display_date(date(2026, 2, 3)) == "03/02/2026"


def test_today_is_the_court_day_in_ho_chi_minh_city_not_utc() -> None:
    assert legal_day(datetime(2026, 6, 1, 16, 59, tzinfo=UTC)) == date(2026, 6, 1)
    assert legal_day(datetime(2026, 6, 1, 17, 0, tzinfo=UTC)) == date(2026, 6, 2)  # midnight UTC+7


def test_case_view_shows_deadline_with_legal_basis_and_days_left() -> None:
    view = describe(_case(), today=date(2026, 6, 2))
    assert view.deadline is not None
    assert view.deadline.due_on_display == "02/07/2026"
    assert view.deadline.days_remaining == 30
    assert view.deadline.legal_basis.vi.startswith("khoản 1 Điều 203")
    assert view.status.vi == "Đang chuẩn bị xét xử"
    assert view.accepted_on_display == "02/03/2026"


def test_case_without_deadline_or_judge_says_so() -> None:
    view = describe(_case(deadline_on=None, judge_name=None, status="accepted"), today=date(2026, 6, 2))
    assert view.deadline is None
    assert view.judge.vi == "Chưa phân công"
    body = as_json(view)
    assert body["next_deadline"] is None and body["judge_name"] is None
    assert body["status"] == {"code": "accepted", "vi": "Đã thụ lý", "en": "Thụ lý (accepted)"}


def test_json_view_carries_codes_and_words_and_nothing_else() -> None:
    body = as_json(describe(_case(), today=date(2026, 6, 2)))
    assert set(body) == {"case_code", "acceptance_number", "accepted_on", "case_type", "stage", "status",
                         "judge_name", "next_deadline", "court", "transfer", "deadline_alert"}
    assert body["next_deadline"]["due_on"] == "2026-07-02"
    assert body["next_deadline"]["days_remaining"] == 30
