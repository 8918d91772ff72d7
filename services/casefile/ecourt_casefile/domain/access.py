"""Need to know: who sees which view of a dossier.

The court's president and the judge assigned to the case see the full dossier (documents, timeline,
party references, deadline with its legal basis); every other staff member of the same court sees
only the essentials (code, type, stage, status, judge, next deadline date). A case of another court
does not exist for the caller; that check is made on the query itself, before these rules.
"""

from __future__ import annotations

from enum import StrEnum

from ecourt_shared.auth import Principal, Role

# Roles that work inside a court. Citizens and lawyers read their cases through the portal; IT
# administrators run the system and have no need to read case contents.
STAFF_ROLES: tuple[Role, ...] = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.RECEPTION)


class ViewKind(StrEnum):
    FULL = "full"
    ESSENTIALS = "essentials"


def view_kind(principal: Principal, case_judge_id: str | None) -> ViewKind:
    if principal.has(Role.PRESIDENT):
        return ViewKind.FULL
    if (principal.has(Role.JUDGE) and principal.judge_id is not None
            and case_judge_id is not None and principal.judge_id == case_judge_id):
        return ViewKind.FULL
    return ViewKind.ESSENTIALS
