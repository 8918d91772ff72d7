"""Need to know: the president and the assigned judge see the full dossier, other staff the essentials."""

import pytest

from ecourt_casefile.domain.access import STAFF_ROLES, ViewKind, view_kind
from ecourt_shared.auth import Principal, Role

pytestmark = pytest.mark.unit


def principal(*roles: Role, judge_id: str | None = None) -> Principal:
    return Principal(user_id="u", court_id="79KV01", roles=list(roles), display_name="X", judge_id=judge_id)


@pytest.mark.parametrize(("who", "case_judge", "expected"), [
    (principal(Role.PRESIDENT), None, ViewKind.FULL),
    (principal(Role.PRESIDENT), "J-1", ViewKind.FULL),
    (principal(Role.JUDGE, judge_id="J-1"), "J-1", ViewKind.FULL),
    (principal(Role.JUDGE, judge_id="J-2"), "J-1", ViewKind.ESSENTIALS),
    (principal(Role.JUDGE, judge_id="J-1"), None, ViewKind.ESSENTIALS),
    (principal(Role.JUDGE), None, ViewKind.ESSENTIALS),  # no judge id never matches an unassigned case
    (principal(Role.CLERK), "J-1", ViewKind.ESSENTIALS),
    (principal(Role.RECEPTION), "J-1", ViewKind.ESSENTIALS),
    (principal(Role.CLERK, judge_id="J-1"), "J-1", ViewKind.ESSENTIALS),  # a judge id without the judge role
])
def test_view_kind(who, case_judge, expected):
    assert view_kind(who, case_judge) is expected


def test_only_court_staff_may_look_at_dossiers():
    assert Role.CITIZEN not in STAFF_ROLES and Role.LAWYER not in STAFF_ROLES and Role.IT_ADMIN not in STAFF_ROLES
