"""Vietnamese first; English pages keep the Vietnamese legal terms; dates in the court's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ecourt_console.http import i18n
from ecourt_shared.auth import Role

pytestmark = pytest.mark.unit


def test_legal_terms_keep_their_vietnamese_name_in_english():
    assert i18n.role_label("vi", Role.PRESIDENT) == "Chánh án"
    assert i18n.role_label("en", Role.PRESIDENT) == "Chánh án (President)"
    assert i18n.case_type_label("en", "HNGĐ") == "Hôn nhân và gia đình (Marriage and family)"
    assert i18n.stage_label("vi", "ST") == "Sơ thẩm"
    assert i18n.case_type_label("vi", "XYZ") == "XYZ"  # unknown codes are shown as they came
    assert i18n.translate("en", "inbox.assign") == "Phân công ngẫu nhiên (Assign at random)"


def test_every_message_has_both_languages():
    for key, (vi, en) in i18n.MESSAGES.items():
        assert vi and en, key
    for key, (vi, en) in i18n.BILINGUAL.items():
        assert vi and en and vi != en, key


def test_instants_are_shown_in_ho_chi_minh_time():
    assert i18n.court_datetime("2026-11-27T17:30:00Z") == "28/11/2026 00:30"
    assert i18n.court_datetime(datetime(2026, 11, 27, 1, 0, tzinfo=UTC)) == "27/11/2026 08:00"
    assert i18n.court_date("2026-11-27T17:30:00+00:00") == "28/11/2026"  # the legal day in the court's zone
    assert i18n.court_date("2027-03-27") == "27/03/2027"
    assert i18n.court_datetime(None) == "" and i18n.court_datetime("not a date") == "not a date"


def test_forbidden_message_names_the_roles_in_each_language():
    vi, en = i18n.forbidden(frozenset({Role.PRESIDENT}))
    assert "Chánh án" in vi and "Chánh án (President)" in en


def test_reading_rpc_results_defensively():
    assert i18n.pick({"a": "", "b": None, "c": "x"}, "a", "b", "c") == "x"
    assert i18n.pick(None, "a") is None
    assert i18n.localized("en", {"legal_basis_vi": "Điều 203", "legal_basis_en": "Art. 203"}, "legal_basis") == \
        "Art. 203"
    assert i18n.localized("en", {"status_vi": "Đang chuẩn bị"}, "status") == "Đang chuẩn bị"
    assert i18n.localized("vi", {"status": "preparing"}, "status") == "preparing"
