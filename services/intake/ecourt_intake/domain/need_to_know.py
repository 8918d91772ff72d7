"""Need to know for the party registry: who sees a party's personal data unmasked, and why.

One rule for every registry view (``party``, ``party_history``, ``search_parties``, a correction's answer, the
register entry and the dossier's party list):

- **Reception staff and clerks** see CCCD, phone, date of birth and address in full on a party's page and its
  history: reception checks them against the identity document in hand when a petition is received (khoản 1
  Điều 191 BLTTDS 2015 [verify]); the clerk serves notices on the people named (Điều 170-177 BLTTDS 2015
  [verify]). Every such view is logged (``personal_data_views``).
- **The president and everyone else** see them masked (``ecourt_shared.privacy``): the president supervises
  (Khoản 2 Điều 47 BLTTDS 2015 [verify]) and needs who the parties are, not their numbers; personal data is
  processed only as far as its purpose needs (Điều 3 Nghị định 13/2023/NĐ-CP [verify]).
- **Search results are always masked**, for every role: a name search lists many people, and nobody needs the
  numbers of all the "Nguyễn Văn An" of the court to find one. The one exception is the matched identifier of an
  exact identifier search: the caller typed it, so echoing it back only confirms the match (logged, since it tells
  that this person is in the registry). Reception opens the party's page for the rest, and that view is logged.
- **The dossier's party list** (casefile's full view) follows casefile's ``may_reveal``: the judge, panel members
  and clerk of *that* case see it and may reveal, with a reason; the president of a court holding the case sees it
  masked; a judge or clerk of another case is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ecourt_shared.auth import Principal, Role
from ecourt_shared.privacy import MASK, mask_cccd, mask_phone

# Roles that see identifiers unmasked on the registry's own views (see the module docstring for why).
IDENTIFIER_ROLES: tuple[Role, ...] = (Role.RECEPTION, Role.CLERK)

# The registry's personal fields, as ``PartyViewV1`` names them.
PERSONAL_FIELDS: tuple[str, ...] = ("cccd", "phone_e164", "date_of_birth", "address", "tax_code")
# Identifiers an exact search matches on; the matched one is echoed back (see the module docstring).
SEARCHABLE_IDENTIFIERS: tuple[str, ...] = ("cccd", "tax_code", "bar_number", "procuracy_code")


class Ground(StrEnum):
    """Why a viewer may see personal data unmasked: written to the view log with every view."""

    RECEPTION_DESK = "reception_desk"
    CLERK_SERVICE = "clerk_service"
    CASE_JUDGE = "case_judge"
    CASE_PANEL = "case_panel"
    CASE_CLERK = "case_clerk"
    SEARCH_MATCH = "search_match"


def registry_ground(principal: Principal) -> Ground | None:
    """The ground on which ``principal`` sees the registry's pages unmasked, or None (masked)."""
    if principal.has(Role.RECEPTION):
        return Ground.RECEPTION_DESK
    if principal.has(Role.CLERK):
        return Ground.CLERK_SERVICE
    return None


def mask_address(address: str | None) -> str | None:
    """Keep only the last part (the province or city), enough to tell two people apart: ``*** , TP. Hồ Chí Minh``."""
    if not address:
        return None
    parts = [p.strip() for p in address.split(",") if p.strip()]
    return f"{MASK * 3}, {parts[-1]}" if len(parts) > 1 else MASK * 3


def mask_registry_view(data: Mapping[str, Any], keep: Iterable[str] = ()) -> dict[str, Any]:
    """A party view (or a history snapshot) with its personal fields masked; ``keep`` names fields left as they are.

    The date of birth goes (the birth year stays: it tells namesakes apart); a person's tax code is masked like a
    CCCD (an organisation's is public business data and stays).
    """
    kept = set(keep)
    shown = dict(data)
    if "cccd" not in kept and "cccd" in shown:
        shown["cccd"] = mask_cccd(shown["cccd"])
    if "phone_e164" not in kept and "phone_e164" in shown:
        shown["phone_e164"] = mask_phone(shown["phone_e164"])
    if "date_of_birth" not in kept and "date_of_birth" in shown:
        shown["date_of_birth"] = None
    if "address" not in kept and "address" in shown:
        shown["address"] = mask_address(shown["address"])
    if "tax_code" not in kept and shown.get("kind") == "person" and shown.get("tax_code"):
        shown["tax_code"] = mask_cccd(shown["tax_code"])
    return shown


def personal_fields_in(data: Mapping[str, Any]) -> list[str]:
    """The personal fields ``data`` carries a value for (what a view of it shows, for the log)."""
    return [name for name in PERSONAL_FIELDS if data.get(name) and not (name == "tax_code" and
                                                                       data.get("kind") != "person")]


def matched_identifier(data: Mapping[str, Any], text: str) -> str | None:
    """The identifier field of ``data`` equal to the searched ``text`` (an exact identifier search), if any."""
    wanted = text.strip()
    return next((name for name in SEARCHABLE_IDENTIFIERS if wanted and data.get(name) == wanted), None)


@dataclass(frozen=True)
class CaseStaff:
    """Who sits on a case at one court: the judge, the sitting panel members and the clerk."""

    judge_id: str | None = None
    panel: tuple[str, ...] = field(default_factory=tuple)
    clerk_id: str | None = None


class DossierAccess(StrEnum):
    REVEALABLE = "revealable"  # sees the parties, may reveal identifiers with a reason
    MASKED = "masked"  # sees the parties with identifiers masked
    NONE = "none"


def dossier_access(principal: Principal, staff: CaseStaff | None, court_holds_case: bool) -> tuple[DossierAccess,
                                                                                                    Ground | None]:
    """What ``principal`` may see of a case's parties; the same rule as casefile's ``view_kind`` / ``may_reveal``.

    ``staff``: who sits on the case at the principal's court (None: nobody assigned there yet);
    ``court_holds_case``: the principal's court accepted the case or was assigned it (after an appeal or a
    transfer). A president who sits on the panel reveals as a member of the panel.
    """
    if staff is not None and principal.has(Role.JUDGE) and principal.judge_id is not None:
        if principal.judge_id == staff.judge_id:
            return DossierAccess.REVEALABLE, Ground.CASE_JUDGE
        if principal.judge_id in staff.panel:
            return DossierAccess.REVEALABLE, Ground.CASE_PANEL
    if staff is not None and principal.has(Role.CLERK) and staff.clerk_id is not None \
            and principal.user_id == staff.clerk_id:
        return DossierAccess.REVEALABLE, Ground.CASE_CLERK
    if principal.has(Role.PRESIDENT) and court_holds_case:
        return DossierAccess.MASKED, None
    return DossierAccess.NONE, None
