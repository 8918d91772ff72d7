"""Masking of CCCD and phone numbers (ecourt_shared.privacy), who may reveal them, and what a view logs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ecourt_casefile.adapters.parties import RegistryUnavailable
from ecourt_casefile.domain.access import may_reveal
from ecourt_casefile.service_layer.viewing import _party_details
from ecourt_shared.auth import Principal, Role
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.privacy import mask_cccd, mask_party, mask_phone, reveal_reason

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("raw", "masked"), [
    ("079203001221", "0792******21"),
    ("001090000001", "0010******01"),
    ("  079203001221 ", "0792******21"),
    ("1234567", "*******"),  # too short to keep both ends: hidden entirely
    ("", None),
    (None, None),
])
def test_mask_cccd(raw, masked):
    assert mask_cccd(raw) == masked


@pytest.mark.parametrize(("raw", "masked"), [
    ("+84901234567", "+8490****567"),
    ("+842838291234", "+8428*****234"),  # a landline keeps the same ends
    ("0901234567", "090****567"),
    ("12345", "*****"),
    (None, None),
])
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_a_masked_value_never_contains_the_hidden_digits():
    cccd = "079203001221"
    assert "203001" not in mask_cccd(cccd) and len(mask_cccd(cccd)) == len(cccd)


def test_mask_party_masks_unless_revealed_and_says_so():
    party = {"party_id": "P-1", "full_name": "Nguyễn Văn An", "cccd": "079203001221", "phone": "+84901234567"}
    assert mask_party(party) == {**party, "cccd": "0792******21", "phone": "+8490****567", "masked": True}
    assert mask_party(party, reveal=True) == {**party, "masked": False}
    assert party["cccd"] == "079203001221"  # the input is not changed


def who(*roles: Role, user_id: str = "u", judge_id: str | None = None) -> Principal:
    return Principal(user_id=user_id, court_id="79KV01", roles=list(roles), display_name="X", judge_id=judge_id)


@pytest.mark.parametrize(("principal", "allowed"), [
    (who(Role.JUDGE, judge_id="J-1"), True),  # the assigned judge
    (who(Role.JUDGE, judge_id="J-2"), True),  # on the panel
    (who(Role.CLERK, user_id="u-clerk"), True),  # the clerk of the case
    (who(Role.PRESIDENT), False),  # supervises: sees who, not their numbers
    (who(Role.PRESIDENT, Role.JUDGE, judge_id="J-2"), True),  # ...unless sitting on the panel
    (who(Role.JUDGE, judge_id="J-3"), False),
    (who(Role.CLERK, user_id="u-other"), False),
    (who(Role.RECEPTION, user_id="u-clerk"), False),  # the clerk's user id without the clerk role
    (who(Role.IT_ADMIN), False),
])
def test_who_may_reveal(principal, allowed):
    assert may_reveal(principal, "J-1", ["J-1", "J-2"], "u-clerk") is allowed


def test_a_reveal_needs_a_reason_and_no_reveal_keeps_none():
    assert reveal_reason(False, "anything") is None
    assert reveal_reason(True, "  Tống đạt giấy triệu tập ") == "Tống đạt giấy triệu tập"
    for bad in (None, "", "abc", "x" * 501, 42):
        with pytest.raises(RequestRejected) as refused:
            reveal_reason(True, bad)  # type: ignore[arg-type]
        assert [e.field for e in refused.value.errors] == ["reason"]
    for not_a_bool in ("false", 1, None):
        with pytest.raises(RequestRejected) as refused:
            reveal_reason(not_a_bool, "Tống đạt giấy triệu tập")  # type: ignore[arg-type]
        assert [e.field for e in refused.value.errors] == ["reveal"]


class Registry:
    """An in-memory party registry with intake's answer shape (the real one is exercised in tests/integration)."""

    def __init__(self, entries: dict[str, dict[str, Any]] | None = None, down: bool = False) -> None:
        self.entries, self.down, self.calls = entries or {}, down, []

    def request(self, token: str, party_ids: list[str], reveal: bool) -> Callable[[], dict[str, dict[str, Any]]]:
        self.calls.append((token, tuple(party_ids), reveal))

        def result() -> dict[str, dict[str, Any]]:
            if self.down:
                raise RegistryUnavailable("down")
            return {pid: mask_party(self.entries[pid], reveal) for pid in party_ids if pid in self.entries}
        return result


def details_of(registry: Registry, reveal: bool, reason: str | None) -> Any:
    return _party_details(REFS, registry.request("tok", [r["party_id"] for r in REFS], reveal), reveal, reason)


REFS = [{"party_id": "P-A", "role": "plaintiff", "is_minor": False},
        {"party_id": "P-B", "role": "defendant", "is_minor": True}]
ENTRIES = {"P-A": {"party_id": "P-A", "kind": "person", "full_name": "Nguyễn Văn An", "cccd": "079203001221",
                   "phone": "+84901234567"},
           "P-B": {"party_id": "P-B", "kind": "person", "full_name": "Trần Thị Bình", "cccd": None, "phone": None}}


def test_details_are_masked_and_the_log_names_masked_fields():
    details, notices, shown = details_of(Registry(ENTRIES), False, None)
    assert [(d.full_name, d.cccd, d.phone, d.masked, d.is_minor) for d in details] == [
        ("Nguyễn Văn An", "0792******21", "+8490****567", True, False), ("Trần Thị Bình", None, None, True, True)]
    assert notices == []
    assert (shown.fields, shown.party_ids, shown.revealed, shown.reveal_reason) == (
        ("cccd_masked", "full_name", "phone_masked"), ("P-A", "P-B"), False, None)


def test_a_reveal_shows_and_logs_the_numbers_with_the_reason():
    registry = Registry(ENTRIES)
    details, _, shown = details_of(registry, True, "Tống đạt")
    assert (details[0].cccd, details[0].phone, details[0].masked) == ("079203001221", "+84901234567", False)
    assert (shown.fields, shown.revealed, shown.reveal_reason) == (("cccd", "full_name", "phone"), True, "Tống đạt")
    assert registry.calls == [("tok", ("P-A", "P-B"), True)]


def test_registry_down_gives_references_a_notice_and_an_empty_log():
    details, notices, shown = details_of(Registry(down=True), True, "Tống đạt")
    assert [(d.party_id, d.role, d.full_name, d.cccd) for d in details] == [
        ("P-A", "plaintiff", None, None), ("P-B", "defendant", None, None)]
    assert [n.code for n in notices] == ["parties.registry_unavailable"]
    assert (shown.fields, shown.party_ids, shown.revealed, shown.reveal_reason) == ((), (), False, None)


def test_a_party_the_registry_does_not_show_is_a_reference_with_a_notice():
    details, notices, shown = details_of(Registry({"P-A": ENTRIES["P-A"]}), False, None)
    assert details[1].full_name is None and shown.party_ids == ("P-A",)
    assert [n.code for n in notices] == ["parties.not_in_registry"] and "P-B" in notices[0].message_vi
