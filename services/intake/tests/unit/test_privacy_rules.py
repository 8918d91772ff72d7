"""Need to know in intake (``domain.need_to_know``): who sees the registry unmasked, what masking hides, and the
dossier rule (the same as casefile's ``view_kind`` / ``may_reveal``)."""

from __future__ import annotations

from typing import Any

import pytest

from ecourt_intake.domain.need_to_know import (
    CaseStaff,
    DossierAccess,
    Ground,
    mask_registry_view,
    matched_identifier,
    personal_fields_in,
    registry_ground,
)
from ecourt_shared.auth import Principal, Role

pytestmark = pytest.mark.unit

PERSON = {"party_id": "P-A", "kind": "person", "full_name": "Nguyễn Văn An", "cccd": "079203001221",
          "date_of_birth": "1990-05-01", "birth_year": 1990, "sex": "male", "phone_e164": "+84901234567",
          "address": "12 Lê Lợi, Phường Bến Nghé, TP. Hồ Chí Minh", "tax_code": "8001234567", "bar_number": None,
          "procuracy_code": None}
COMPANY = {**PERSON, "kind": "organization", "full_name": "Công ty TNHH An Phát", "cccd": None,
           "date_of_birth": None, "birth_year": None, "phone_e164": None, "tax_code": "0312345678"}


def who(*roles: Role, user_id: str = "u-1", judge_id: str | None = None) -> Principal:
    return Principal(user_id=user_id, court_id="79KV01", roles=list(roles), display_name="x", judge_id=judge_id)


@pytest.mark.parametrize(("principal", "ground"), [
    (who(Role.RECEPTION), Ground.RECEPTION_DESK),
    (who(Role.CLERK), Ground.CLERK_SERVICE),
    (who(Role.PRESIDENT), None),
    (who(Role.JUDGE, judge_id="J-1"), None),
    (who(Role.IT_ADMIN), None),
])
def test_only_the_desk_and_clerks_see_the_registry_unmasked(principal, ground):
    assert registry_ground(principal) is ground


def test_masking_hides_numbers_date_of_birth_and_street_but_keeps_what_tells_namesakes_apart():
    masked = mask_registry_view(PERSON)
    assert (masked["cccd"], masked["phone_e164"], masked["date_of_birth"], masked["birth_year"]) == (
        "0792******21", "+8490****567", None, 1990)
    assert masked["address"] == "***, TP. Hồ Chí Minh" and masked["tax_code"] == "8001****67"
    assert masked["full_name"] == PERSON["full_name"] and PERSON["cccd"] == "079203001221"  # input untouched
    assert mask_registry_view(COMPANY)["tax_code"] == "0312345678"  # a company's tax code is public
    assert mask_registry_view(PERSON, keep=["cccd"])["cccd"] == "079203001221"
    assert mask_registry_view({**PERSON, "address": "Hà Nội"})["address"] == "***"


def test_the_fields_a_view_shows_and_the_matched_identifier():
    assert personal_fields_in(PERSON) == ["cccd", "phone_e164", "date_of_birth", "address", "tax_code"]
    assert personal_fields_in(COMPANY) == ["address"]
    assert matched_identifier(PERSON, " 079203001221 ") == "cccd"
    assert matched_identifier(PERSON, "nguyen van an") is None


STAFF = CaseStaff(judge_id="J-1", panel=("J-1", "J-2"), clerk_id="u-clerk")


@pytest.mark.parametrize(("principal", "staff", "holds", "expected"), [
    (who(Role.JUDGE, judge_id="J-1"), STAFF, True, (DossierAccess.REVEALABLE, Ground.CASE_JUDGE)),
    (who(Role.JUDGE, judge_id="J-2"), STAFF, True, (DossierAccess.REVEALABLE, Ground.CASE_PANEL)),
    (who(Role.CLERK, user_id="u-clerk"), STAFF, True, (DossierAccess.REVEALABLE, Ground.CASE_CLERK)),
    (who(Role.PRESIDENT), STAFF, True, (DossierAccess.MASKED, None)),
    (who(Role.PRESIDENT), None, True, (DossierAccess.MASKED, None)),
    (who(Role.PRESIDENT), STAFF, False, (DossierAccess.NONE, None)),
    (who(Role.PRESIDENT, Role.JUDGE, judge_id="J-2"), STAFF, True, (DossierAccess.REVEALABLE, Ground.CASE_PANEL)),
    (who(Role.JUDGE, judge_id="J-3"), STAFF, True, (DossierAccess.NONE, None)),
    (who(Role.JUDGE, judge_id="J-1"), None, True, (DossierAccess.NONE, None)),
    (who(Role.CLERK, user_id="u-other"), STAFF, True, (DossierAccess.NONE, None)),
    (who(Role.RECEPTION, user_id="u-clerk"), STAFF, True, (DossierAccess.NONE, None)),
])
def test_the_dossier_rule_matches_casefile(principal: Any, staff: Any, holds: bool, expected: Any):
    from ecourt_intake.domain.need_to_know import dossier_access
    assert dossier_access(principal, staff, holds) == expected
