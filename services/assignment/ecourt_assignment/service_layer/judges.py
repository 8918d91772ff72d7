"""The judge roster: judge seats, their leave and secondment, and declared conflicts on cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.contracts import ConflictInputV1, JudgeInputV1, RosterJudgeV1, UnavailabilityInputV1
from ecourt_assignment.domain.rules import competence
from ecourt_assignment.service_layer import errors
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_assignment.service_layer.queries import roster_entry
from ecourt_shared.auth import Principal, Role
from ecourt_shared.auth.nameko import denied
from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import normalize_name


def register_judge(principal: Principal, judge: JudgeInputV1, uows: UnitOfWorkFactory,
                   now: Callable[[], datetime]) -> tuple[RosterJudgeV1, bool]:
    """Create or update a roster member (judge, lay assessor or clerk) of the principal's court; returns the
    roster entry and whether it was created. A member's kind is fixed once registered.

    A new judge starts at the lowest load total among the court's active judges, not at zero: starting at zero
    would send them nearly every case until they caught up with colleagues who have sat for years.
    """
    fields = competence().fields
    unknown = [s for s in judge.specializations if s not in fields]
    if unknown:
        known = ", ".join(sorted(fields))
        raise RequestRejected.of([FieldError(
            field="judge.specializations", code="judge.unknown_specialization",
            message_vi=f"Lĩnh vực không có trong danh mục: {', '.join(unknown)} (có: {known}).",
            message_en=f"unknown specialization(s): {', '.join(unknown)} (known: {known})")])
    judge = judge.model_copy(update={"full_name": normalize_name(judge.full_name),
                                     "specializations": sorted(set(judge.specializations))})

    def attempt() -> bool:
        with uows() as uow:
            existing = repository.lock_judge(uow, judge.judge_id)  # NOWAIT: a draw may hold it
            if existing is not None and existing.court_id != principal.court_id:
                raise errors.judge_of_other_court(judge.judge_id)
            if existing is not None and existing.kind != judge.kind:
                raise errors.kind_is_fixed(judge.judge_id, existing.kind)
            created = repository.upsert_judge(uow, principal.court_id, judge,
                                              repository.lowest_active_load(uow, principal.court_id, judge.kind),
                                              now())
            if created is None:  # the id was taken by another court between the two statements
                raise errors.judge_of_other_court(judge.judge_id)
            uow.commit()
            return created

    created = retry_when_locked(attempt, lambda: errors.busy("judge.judge_id", judge.judge_id))
    with uows() as uow:
        row = next(r for r in repository.roster(uow, principal.court_id, judge.kind) if r.judge_id == judge.judge_id)
    return roster_entry(row), created


def set_unavailability(principal: Principal, period: UnavailabilityInputV1, uows: UnitOfWorkFactory,
                       now: Callable[[], datetime]) -> dict[str, object]:
    """Record leave or secondment of a judge of the principal's court (no new case on those days)."""
    if period.ends_on < period.starts_on:
        raise RequestRejected.single("period.ends_on", "period.reversed",
                                     "Ngày kết thúc phải không sớm hơn ngày bắt đầu.",
                                     "ends_on must not be before starts_on")
    with uows() as uow:
        if repository.judge(uow, principal.court_id, period.judge_id) is None:
            raise errors.judge_not_found(period.judge_id)
        row_id = repository.add_unavailability(uow, {
            "judge_id": period.judge_id, "court_id": principal.court_id, "kind": period.kind,
            "starts_on": period.starts_on, "ends_on": period.ends_on, "reason": period.reason,
            "recorded_by": principal.user_id, "recorded_at": now()})
        uow.commit()
    return {"id": row_id, **period.model_dump(mode="json")}


def declare_conflict(principal: Principal, conflict: ConflictInputV1, uows: UnitOfWorkFactory,
                     now: Callable[[], datetime]) -> dict[str, object]:
    """Record that a judge must not sit on a case. A judge may declare their own recusal; the president any.

    If the case is already with that judge, or they sit on its panel, nothing moves by itself: the answer says
    ``requires_reassignment`` and the president decides (``reassign``, ``replace_panel_member``).
    """
    case_id = errors.canonical_case_id(conflict.case_id)
    if not principal.has(Role.PRESIDENT) and principal.judge_id != conflict.judge_id:
        raise denied("Thẩm phán chỉ được tự khai báo việc từ chối của mình.",
                     "A judge may only declare their own recusal.")
    with uows() as uow:
        if repository.inbox_case(uow, principal.court_id, case_id) is None:
            raise errors.case_not_found(case_id)
        if repository.judge(uow, principal.court_id, conflict.judge_id) is None:
            raise errors.judge_not_found(conflict.judge_id)
        created = repository.add_conflict(uow, {
            "court_id": principal.court_id, "case_id": case_id, "judge_id": conflict.judge_id,
            "kind": conflict.kind, "reason": " ".join(conflict.reason.split()), "declared_by": principal.user_id,
            "declared_at": now()})
        current = repository.assignment_of(uow, case_id)
        case = repository.inbox_case(uow, principal.court_id, case_id)
        seated = {s.member_id for s in panel_repository.active_seats(uow, case_id, case.round)}
        uow.commit()
    return {"case_id": case_id, "judge_id": conflict.judge_id, "kind": conflict.kind, "created": created,
            "requires_reassignment": (current is not None and current.judge_id == conflict.judge_id)
            or conflict.judge_id in seated}
