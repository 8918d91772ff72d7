"""What the president and the judges read: the inbox, a judge's cases, the roster, a draw's record.

Every read is scoped to the principal's court: a case or judge of another court is simply not found.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ecourt_assignment.adapters import repository
from ecourt_assignment.contracts import InboxCaseV1, JudgeCaseV1, RosterJudgeV1
from ecourt_assignment.domain.draw import verify_draw
from ecourt_assignment.domain.rules import weight_table
from ecourt_assignment.service_layer import errors
from ecourt_shared.auth import Principal, Role
from ecourt_shared.auth.nameko import denied
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.db import UnitOfWorkFactory


def awaiting_cases(principal: Principal, uows: UnitOfWorkFactory) -> list[InboxCaseV1]:
    with uows() as uow:
        rows = repository.awaiting(uow, principal.court_id)
    return [InboxCaseV1.model_validate(dict(row._mapping)) for row in rows]


def judge_cases(principal: Principal, uows: UnitOfWorkFactory, judge_id: str | None = None) -> list[JudgeCaseV1]:
    """A judge sees their own cases; the president may name any judge of the court."""
    if judge_id is not None and judge_id != principal.judge_id and not principal.has(Role.PRESIDENT):
        raise denied("Chỉ Chánh án được xem vụ án của Thẩm phán khác.",
                     "Only the court president may see another judge's cases.")
    target = judge_id or principal.judge_id
    if not target:
        raise RequestRejected.single("judge_id", "judge_id.required",
                                     "Cần chọn Thẩm phán (tài khoản không gắn với Thẩm phán nào).",
                                     "name a judge (this account is not linked to a judge)")
    with uows() as uow:
        if repository.judge(uow, principal.court_id, target) is None:
            if target == principal.judge_id:
                return []  # a judge not yet on the roster simply has no cases
            raise errors.judge_not_found(target)
        rows = repository.cases_of_judge(uow, principal.court_id, target)
    return [JudgeCaseV1.model_validate(dict(row._mapping)) for row in rows]


def roster_entry(row: Any) -> RosterJudgeV1:
    return RosterJudgeV1(judge_id=row.judge_id, full_name=row.full_name, specializations=list(row.specializations),
                         capacity=str(Decimal(row.capacity).normalize()), active=row.active,
                         load_total=str(row.load_total), assigned_cases=int(row.assigned_cases))


def roster(principal: Principal, uows: UnitOfWorkFactory) -> list[RosterJudgeV1]:
    with uows() as uow:
        rows = repository.roster(uow, principal.court_id)
    return [roster_entry(row) for row in rows]


def draw_of_case(principal: Principal, case_id: str, uows: UnitOfWorkFactory) -> dict[str, Any]:
    """The latest draw of a case as recorded, with the result of replaying it (``verified``)."""
    case_id = errors.canonical_case_id(case_id)
    with uows() as uow:
        row = repository.latest_draw(uow, principal.court_id, case_id)
    if row is None:
        raise errors.case_not_found(case_id)
    record = {"algorithm": row.algorithm, "case_id": row.case_id, "seed_commitment": row.seed_commitment,
              "seed": row.seed, "weight": row.weight, "parameters": row.parameters, "candidates": row.candidates,
              "eligible": row.eligible, "winner": row.winner_judge_id, "accrual": str(row.accrual),
              "random_blocks_used": row.random_blocks_used}
    return {"draw_id": row.draw_id, "court_id": row.court_id, "drawn_by": row.drawn_by,
            "committed_at": row.created_at.isoformat(), "drawn_at": row.drawn_at.isoformat(), "record": record,
            "verified": verify_draw(record, weight_table())}
