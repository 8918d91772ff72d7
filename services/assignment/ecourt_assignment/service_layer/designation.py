"""Designation by the president (chỉ định) for specialized matters: a named judge, with a mandatory reason.

A designated judge must be on the court's roster, active, competent for the case type, available on the day
and free of any declared conflict on the case; otherwise the designation is refused naming the rule. The case
weight accrues to the designated judge like a drawn case, so the draw compensates for designations. The reason
travels with the assignment (``case_assigned.reason``) and is shown wherever the judge is.
A designation on an assigned case is a reassignment: the judge it leaves is compensated and the move logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.adapters.orm import assignments
from ecourt_assignment.contracts import AssignmentResultV1
from ecourt_assignment.domain.clock import court_day
from ecourt_assignment.domain.draw import accrual, case_weight
from ecourt_assignment.domain.rules import competence, weight_tables
from ecourt_assignment.service_layer import errors
from ecourt_assignment.service_layer.drawing import clean_reason, compensate, related_of, seated_elsewhere
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_assignment.service_layer.panel_views import announce_panel
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.events import CaseAssignedV1
from ecourt_shared.db import UnitOfWorkFactory


def designate(principal: Principal, case_id: str, judge_id: str, reason: str, uows: UnitOfWorkFactory,
              now: Callable[[], datetime], move: bool = False) -> AssignmentResultV1:
    """Assign (or, with ``move``, reassign) ``case_id`` to ``judge_id`` with a mandatory reason."""
    case_id = errors.canonical_case_id(case_id)
    text = clean_reason(reason)
    return retry_when_locked(lambda: _designate_once(principal, case_id, judge_id, text, uows, now, move),
                             lambda: errors.busy("case_id", case_id))


def _designate_once(principal: Principal, case_id: str, judge_id: str, reason: str, uows: UnitOfWorkFactory,
                    now: Callable[[], datetime], move: bool) -> AssignmentResultV1:
    court_id = principal.court_id
    with uows() as uow:
        case = repository.lock_inbox_case(uow, court_id, case_id)
        if case is None:
            raise errors.case_not_found(case_id)
        current = None
        if not move and case.status == "assigned":
            existing = repository.assignment_of(uow, case_id)
            raise errors.already_assigned(case_id, existing.full_name if existing else "?")
        if move:
            current = repository.lock_assignment(uow, court_id, case_id)
            if current is None:
                raise errors.not_assigned(case_id)
            if current.judge_id == judge_id:
                raise errors.judge_refused(judge_id, "judge.already_on_case", "Thẩm phán đang giải quyết vụ án này.",
                                           "the judge already has this case")
        judge = repository.lock_judge(uow, judge_id)
        if judge is None or judge.court_id != court_id:
            raise errors.judge_not_found(judge_id)
        instant = now()
        day = court_day(instant)
        fields = competence()
        wanted = fields.fields_for(case.case_type, case.has_minor)
        if not judge.active:
            raise errors.judge_refused(judge_id, "judge.inactive", "Thẩm phán không còn hoạt động.",
                                       "the judge is not active")
        if not set(wanted) & set(judge.specializations):
            vi, en = fields.names(wanted)
            raise errors.judge_refused(judge_id, "judge.not_competent", f"không thuộc lĩnh vực {vi}.",
                                       f"not of the {en} field")
        conflict = repository.conflicts_of(uow, case_id).get(judge_id)
        if conflict is not None:
            raise errors.judge_refused(judge_id, "judge.conflicted",
                                       f"có xung đột ({conflict.kind}): {conflict.reason}",
                                       f"has a declared conflict ({conflict.kind}): {conflict.reason}")
        if judge.kind != "judge":
            raise errors.judge_not_found(judge_id)
        earlier = panel_repository.earlier_members(uow, case_id).get(judge_id)
        if earlier is not None:
            raise errors.judge_refused(judge_id, "judge.earlier_stage",
                                       f"đã tham gia giải quyết vụ án ở giai đoạn trước ({earlier}).",
                                       f"sat on the case at an earlier stage ({earlier})")
        seated = seated_elsewhere(uow, case_id, case.round).get(judge_id)
        if seated is not None:
            raise errors.judge_refused(judge_id, "judge.on_panel", f"đang ngồi trong Hội đồng xét xử ({seated}).",
                                       f"already sits on the panel ({seated})")
        away = repository.unavailable_on(uow, court_id, day).get(judge_id)
        if away is not None:
            raise errors.judge_refused(judge_id, "judge.unavailable",
                                       f"vắng mặt ({away.kind}) từ {away.starts_on} đến {away.ends_on}.",
                                       f"unavailable ({away.kind}) from {away.starts_on} to {away.ends_on}")
        table = weight_tables().in_force(day)
        weight = case_weight(table, case.case_type, case.stage, case.party_count)
        accrued = accrual(weight.value, Decimal(judge.capacity))
        if current is not None:
            compensate(uow, current, judge_id, "designation", None, reason, principal, instant)
            panel_repository.move_presiding(uow, case_id, case.round, judge_id, instant, reason)
        repository.add_load(uow, judge_id, accrued, instant)
        values = {"judge_id": judge_id, "method": "designation", "draw_id": None, "assigned_by": principal.user_id,
                  "assigned_at": instant, "weight": weight.value, "accrual": accrued, "reason": reason,
                  "reassigned_from": current.judge_id if current is not None else None}
        if current is None:
            uow.execute(assignments.insert().values(case_id=case_id, court_id=court_id, **values))
            repository.mark_assigned(uow, case_id)
        else:
            uow.execute(assignments.update().where(assignments.c.case_id == case_id).values(**values))
        related = related_of(uow, court_id, case_id)
        uow.emit(CaseAssignedV1(court_id=court_id, case_id=case_id, judge_id=judge_id, judge_name=judge.full_name,
                                method="designation", draw_id=None, assigned_by=principal.user_id,
                                assigned_at=instant, reason=reason, reassigned_from=values["reassigned_from"]))
        if current is not None and panel_repository.active_seats(uow, case_id, case.round):
            announce_panel(uow, court_id, case_id, case.round, None)  # the presiding seat moved with the case
        uow.commit()
    return AssignmentResultV1(case_id=case_id, acceptance_number=case.acceptance_number, judge_id=judge_id,
                              judge_name=judge.full_name, method="designation", draw_id=None, seed_commitment=None,
                              weight=str(weight.value), assigned_at=instant, reason=reason,
                              reassigned_from=values["reassigned_from"], accrual=str(accrued), escape=None,
                              related_cases=related)
