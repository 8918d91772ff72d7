"""What a panel looks like to the president and on the bus (``case_assigned`` with the panel and the clerk)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.contracts import PanelSeatV1, PanelV1
from ecourt_assignment.service_layer import errors
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.events import CaseAssignedV1, PanelMemberV1
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory


def panel_view(uow: UnitOfWork, case: Any) -> PanelV1:
    seats = panel_repository.active_seats(uow, case.case_id, case.round)
    drawn = panel_repository.latest_panel_draw(uow, case.case_id, case.round)
    return PanelV1(
        case_id=case.case_id, acceptance_number=case.acceptance_number, stage=case.stage, round=case.round,
        draw_id=drawn.draw_id if drawn else None, seed_commitment=drawn.seed_commitment if drawn else None,
        composition=drawn.record["composition"] if drawn else {},
        seats=[PanelSeatV1(seat=s.seat, kind=s.kind, member_id=s.member_id, full_name=s.full_name, method=s.method,
                           draw_id=s.draw_id, accrual=str(Decimal(s.accrual)), reason=s.reason,
                           assigned_at=s.assigned_at, substitute=s.seat.startswith("substitute-"))
               for s in seats],
        clerk_id=next((s.member_id for s in seats if s.kind == "clerk"), None),
        reason=drawn.reason if drawn else None)


def panel_of(principal: Principal, case_id: str, uows: UnitOfWorkFactory) -> PanelV1:
    """The panel of a case of the caller's court at its current stage (empty seats if none is drawn yet)."""
    case_id = errors.canonical_case_id(case_id)
    with uows() as uow:
        case = repository.inbox_case(uow, principal.court_id, case_id)
        if case is None:
            raise errors.case_not_found(case_id)
        return panel_view(uow, case)


def announce_panel(uow: UnitOfWork, court_id: str, case_id: str, round_: int, panel_draw_id: str | None) -> None:
    """Emit ``case_assigned`` again for the case's judge, now with the panel and the clerk.

    The assignment's own ``assigned_at`` is kept: readers that keep the latest assignment see the same one.
    """
    current = repository.assignment_of(uow, case_id)
    seats = panel_repository.active_seats(uow, case_id, round_)
    clerk = next((s for s in seats if s.kind == "clerk"), None)
    uow.emit(CaseAssignedV1(
        court_id=court_id, case_id=case_id, judge_id=current.judge_id, judge_name=current.full_name,
        method=current.method, draw_id=current.draw_id, assigned_by=current.assigned_by,
        assigned_at=current.assigned_at, reason=current.reason, reassigned_from=current.reassigned_from,
        panel=[PanelMemberV1(member_id=s.member_id, full_name=s.full_name, kind=s.kind, seat=s.seat,
                             substitute=s.seat.startswith("substitute-"), method=s.method)
               for s in seats if s.kind != "clerk"],
        clerk_id=clerk.member_id if clerk else None, clerk_name=clerk.full_name if clerk else None,
        panel_draw_id=panel_draw_id))
