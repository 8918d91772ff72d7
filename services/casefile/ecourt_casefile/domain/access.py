"""Need to know: who sees which view of a dossier, and who may record which procedural step.

Full view: the court's president, the assigned judge, the members of the trial panel and the clerk of the
case. Everyone else on the court's staff sees only the essentials (code, type, stage, status, judge, next
deadline date). A case of another court does not exist for the caller; that check is made on the query
itself, before these rules. Casefile holds party references only (no identity numbers or phones), so its
views have nothing to mask; the party registry (intake) masks them.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ecourt_shared.auth import Principal, Role

# Roles that work inside a court. Citizens and lawyers read their cases through the portal; IT
# administrators run the system and have no need to read case contents.
STAFF_ROLES: tuple[Role, ...] = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.RECEPTION)


class ViewKind(StrEnum):
    FULL = "full"
    ESSENTIALS = "essentials"


def _sits_on(principal: Principal, case_judge_id: str | None, panel: Iterable[str]) -> bool:
    return (principal.has(Role.JUDGE) and principal.judge_id is not None
            and (principal.judge_id == case_judge_id or principal.judge_id in set(panel)))


def view_kind(principal: Principal, case_judge_id: str | None, panel: Iterable[str] = (),
              clerk_id: str | None = None) -> ViewKind:
    if principal.has(Role.PRESIDENT) or _sits_on(principal, case_judge_id, panel):
        return ViewKind.FULL
    if principal.has(Role.CLERK) and clerk_id is not None and principal.user_id == clerk_id:
        return ViewKind.FULL
    return ViewKind.ESSENTIALS


def capacities(principal: Principal, case_court_id: str, case_judge_id: str | None, panel: Iterable[str],
               clerk_id: str | None, review_court_id: str | None) -> set[str]:
    """The capacities (``by`` values of the procedure files) in which ``principal`` acts on the case."""
    found: set[str] = set()
    if principal.court_id == case_court_id:
        if principal.has(Role.PRESIDENT):
            found.add("president")
        if _sits_on(principal, case_judge_id, panel):
            found.add("judge")
        if principal.has(Role.CLERK) and clerk_id is not None and principal.user_id == clerk_id:
            found.add("clerk")
    if review_court_id is not None and principal.court_id == review_court_id and principal.has(Role.PRESIDENT):
        found.add("review_president")
    return found
