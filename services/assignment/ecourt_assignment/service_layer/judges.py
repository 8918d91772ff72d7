"""The judge roster: registering a judge seat of the court (used by the demo seed and the IT administrator)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ecourt_assignment.adapters import repository
from ecourt_assignment.contracts import JudgeInputV1, RosterJudgeV1
from ecourt_assignment.domain.rules import competence
from ecourt_assignment.service_layer import errors
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_assignment.service_layer.queries import roster_entry
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import normalize_name


def register_judge(principal: Principal, judge: JudgeInputV1, uows: UnitOfWorkFactory,
                   now: Callable[[], datetime]) -> tuple[RosterJudgeV1, bool]:
    """Create or update a judge of the principal's court; returns the roster entry and whether it was created.

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
            created = repository.upsert_judge(uow, principal.court_id, judge,
                                              repository.lowest_active_load(uow, principal.court_id), now())
            if created is None:  # the id was taken by another court between the two statements
                raise errors.judge_of_other_court(judge.judge_id)
            uow.commit()
            return created

    created = retry_when_locked(attempt, lambda: errors.busy("judge.judge_id", judge.judge_id))
    with uows() as uow:
        row = next(r for r in repository.roster(uow, principal.court_id) if r.judge_id == judge.judge_id)
    return roster_entry(row), created
