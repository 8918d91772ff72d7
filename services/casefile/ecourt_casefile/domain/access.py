"""Need to know: who sees which view of a dossier, and who may record which procedural step.

Full view: the court's president, the assigned judge, the members of the trial panel and the clerk of the
case. Everyone else on the court's staff sees only the essentials (code, type, stage, status, judge, next
deadline date). A case of another court does not exist for the caller; that check is made on the query
itself, before these rules.

Personal data: the full view shows the parties' names, role and minor flag from intake's registry, with
CCCD and phone masked (``ecourt_shared.privacy``). Only those who handle the case day to day (the assigned
judge, the members of its trial panel, the clerk of the case) may reveal them, and only on an explicit,
logged request: they summon, serve and identify the parties in person (Điều 170-177 BLTTDS 2015 on
service of procedural documents [verify]). The president sees them masked too, by default and on request:
the president supervises the court's cases (Khoản 2 Điều 47 BLTTDS 2015 [verify]) and needs who the
parties are, not their numbers; data is processed only as far as its purpose needs (Điều 3 Nghị định
13/2023/NĐ-CP [verify]). A president who sits on the panel of a case reveals as a member of the panel.
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


def may_reveal(principal: Principal, case_judge_id: str | None, panel: Iterable[str] = (),
               clerk_id: str | None = None) -> bool:
    """Whether ``principal`` may see the parties' identifiers unmasked (see the module docstring: not the president)."""
    if _sits_on(principal, case_judge_id, panel):
        return True
    return principal.has(Role.CLERK) and clerk_id is not None and principal.user_id == clerk_id


# Capacities that reach a case held by another court: the review court's president and reception desk act on a
# lower court's judgment; the reception desk of the court whose judgment is under appeal still receives appeals
# against it after the first one moved the case to the appellate court (art. 272 BLTTDS 2015).
CROSS_COURT_CAPACITIES = frozenset({"review_president", "review_reception", "trial_court_reception"})
_DESK_ROLES = (Role.RECEPTION, Role.CLERK, Role.PRESIDENT)


def reception_capacities(principal: Principal, case_court_id: str, trial_court_id: str | None,
                         review_court_id: str | None) -> set[str]:
    """Capacities of a reception desk lodging a filing on a case (``by`` values of the procedure files).

    ``trial_court_id``: the court whose judgment the case's current appellate stage reviews, if it is one.
    Only the desk of the court holding the case, of that trial court, or of the review court qualifies; any
    other court's staff get nothing, and the case does not exist for them.
    """
    found: set[str] = set()
    if not principal.has(*_DESK_ROLES):
        return found
    if principal.court_id == case_court_id:
        found.add("reception")
    if trial_court_id is not None and principal.court_id == trial_court_id:
        found.add("trial_court_reception")
    if review_court_id is not None and principal.court_id == review_court_id:
        found.add("review_reception")
    return found
