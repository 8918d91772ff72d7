"""Who may open which page of the console: one table, used by the pages and by the dashboard.

The services decide again on every RPC (they verify the token and filter by court); these checks
only keep people away from pages that would refuse them anyway.
"""

from __future__ import annotations

from ecourt_shared.auth import Principal, Role

# Roles a console account may hold: staff only (citizens and lawyers use the portal).
STAFF_ROLES: tuple[Role, ...] = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.RECEPTION, Role.IT_ADMIN)

PAGE_ROLES: dict[str, frozenset[Role]] = {
    "dashboard": frozenset(STAFF_ROLES),
    "inbox": frozenset({Role.PRESIDENT}),
    "cases": frozenset({Role.JUDGE}),
    "dossier": frozenset({Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.RECEPTION}),
    "reception": frozenset({Role.RECEPTION, Role.CLERK, Role.PRESIDENT}),
    # the reception register (sổ tiếp nhận) and the party registry: the roles intake's RPCs accept
    "register": frozenset({Role.RECEPTION, Role.CLERK, Role.PRESIDENT}),
    "parties": frozenset({Role.RECEPTION, Role.CLERK, Role.PRESIDENT}),
    # the fairness view of assignment: the assignment RPC answers the president only
    "fairness": frozenset({Role.PRESIDENT}),
}

# Where each menu entry leads.
PAGE_URLS: dict[str, str] = {"inbox": "/inbox", "cases": "/cases", "reception": "/reception/new",
                             "register": "/reception/register", "parties": "/parties",
                             "fairness": "/fairness"}

# Vietnamese names of the roles; the English gloss is added in English pages (legal terms keep their name).
ROLE_NAMES: dict[Role, tuple[str, str]] = {
    Role.PRESIDENT: ("Chánh án", "President"),
    Role.JUDGE: ("Thẩm phán", "Judge"),
    Role.CLERK: ("Thư ký Tòa án", "Court clerk"),
    Role.RECEPTION: ("Cán bộ tiếp nhận đơn", "Reception officer"),
    Role.IT_ADMIN: ("Quản trị hệ thống", "IT administrator"),
    Role.CITIZEN: ("Công dân", "Citizen"),
    Role.LAWYER: ("Luật sư", "Lawyer"),
}


def may_open(principal: Principal, page: str) -> bool:
    return principal.has(*PAGE_ROLES[page])


def pages_for(principal: Principal) -> list[str]:
    """The pages (other than the dashboard) this principal may open, in menu order."""
    menu = ("inbox", "fairness", "cases", "reception", "register", "parties")
    return [page for page in menu if may_open(principal, page)]


def parse_roles(raw: str | list[str] | tuple[str, ...]) -> list[Role]:
    """``"president,judge"`` -> [Role.PRESIDENT, Role.JUDGE]; staff roles only, no duplicates, at least one."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    roles: list[Role] = []
    for item in (str(i).strip().lower() for i in items):
        if not item:
            continue
        try:
            role = Role(item)
        except ValueError:
            allowed = ", ".join(r.value for r in STAFF_ROLES)
            raise ValueError(f"unknown role {item!r}; console accounts hold: {allowed}") from None
        if role not in STAFF_ROLES:
            raise ValueError(f"role {item!r} is not a staff role; citizens and lawyers use the portal")
        if role not in roles:
            roles.append(role)
    if not roles:
        raise ValueError("an account needs at least one role")
    return roles
