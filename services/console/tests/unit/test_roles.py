"""Page gating: who may open which page, and which roles a console account may hold."""

from __future__ import annotations

import pytest

from ecourt_console.domain.roles import PAGE_ROLES, may_open, pages_for, parse_roles
from ecourt_shared.auth import Principal, Role

pytestmark = pytest.mark.unit


def principal(*roles: Role, judge_id: str | None = None) -> Principal:
    return Principal(user_id="U-1", court_id="79KV01", roles=list(roles), display_name="Cán bộ", judge_id=judge_id)


def test_a_judge_cannot_open_the_presidents_inbox():
    judge = principal(Role.JUDGE, judge_id="J-0001")
    assert not may_open(judge, "inbox")
    assert may_open(judge, "cases") and may_open(judge, "dossier") and may_open(judge, "dashboard")
    assert not may_open(judge, "reception")
    assert not may_open(judge, "register") and not may_open(judge, "parties")


def test_the_president_who_is_also_a_judge_sees_inbox_cases_and_reception():
    president = principal(Role.PRESIDENT, Role.JUDGE, judge_id="J-0001")
    assert pages_for(president) == ["inbox", "fairness", "cases", "reception", "register", "parties"]


@pytest.mark.parametrize(("roles", "pages"), [
    ((Role.RECEPTION,), ["reception", "register", "parties"]),
    ((Role.CLERK,), ["reception", "register", "parties"]),
    ((Role.PRESIDENT,), ["inbox", "fairness", "reception", "register", "parties"]),
    ((Role.IT_ADMIN,), []),
])
def test_menu_per_role(roles, pages):
    assert pages_for(principal(*roles)) == pages


def test_it_administrators_and_outsiders_do_not_read_case_files():
    assert not may_open(principal(Role.IT_ADMIN), "dossier")
    assert not may_open(principal(Role.CITIZEN), "dashboard")
    assert not may_open(principal(Role.LAWYER), "dossier")


def test_every_page_names_at_least_one_role():
    assert all(PAGE_ROLES.values())


def test_parse_roles():
    assert parse_roles("president, judge,president") == [Role.PRESIDENT, Role.JUDGE]
    assert parse_roles(["Reception"]) == [Role.RECEPTION]
    with pytest.raises(ValueError, match="unknown role"):
        parse_roles("president,chief")
    with pytest.raises(ValueError, match="not a staff role"):
        parse_roles("citizen")
    with pytest.raises(ValueError, match="at least one"):
        parse_roles(" , ")
