"""Assigning a case by random draw, in one transaction.

Order inside the transaction:

1. lock the case's inbox row (``FOR UPDATE``): a second, concurrent draw for the same case cannot pass
   until the first has committed, and then finds the case assigned, so a case is never drawn twice;
2. lock the competent, active judges of the court in judge-id order — their totals cannot move under the
   draw, and draws for different cases that share judges take turns;
3. generate the seed and record its commitment, then draw from the seed;
4. add the accrual to the winner's total, store the draw and the assignment, mark the case assigned and
   emit ``case_assigned``; commit all of it at once.

The locks are taken ``NOWAIT`` and a busy row makes the whole transaction roll back and start again
(see ``locking``); nothing of a failed attempt remains.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from ecourt_assignment.adapters import repository
from ecourt_assignment.adapters.orm import assignments
from ecourt_assignment.contracts import AssignmentResultV1
from ecourt_assignment.domain.draw import ALGORITHM, Candidate, case_weight, new_seed, run_draw, seed_commitment
from ecourt_assignment.domain.rules import competence, weight_table
from ecourt_assignment.service_layer import errors
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.events import CaseAssignedV1
from ecourt_shared.db import UnitOfWorkFactory


def assign_random(principal: Principal, case_id: str, uows: UnitOfWorkFactory, now: Callable[[], datetime],
                  seed_source: Callable[[], bytes] = new_seed) -> AssignmentResultV1:
    case_id = errors.canonical_case_id(case_id)
    return retry_when_locked(lambda: _assign_once(principal, case_id, uows, now, seed_source),
                             lambda: errors.busy("case_id", case_id))


def _assign_once(principal: Principal, case_id: str, uows: UnitOfWorkFactory, now: Callable[[], datetime],
                 seed_source: Callable[[], bytes]) -> AssignmentResultV1:
    court_id = principal.court_id
    table, fields = weight_table(), competence()
    with uows() as uow:
        case = repository.lock_inbox_case(uow, court_id, case_id)
        if case is None:
            raise errors.case_not_found(case_id)
        if case.status == "assigned":
            existing = repository.assignment_of(uow, case_id)
            raise errors.already_assigned(case_id, existing.full_name if existing else "?")
        field = fields.field_for(case.case_type)
        rows = repository.lock_candidates(uow, court_id, field)
        if not rows:
            raise errors.no_candidates(case_id, *fields.fields[field])
        weight = case_weight(table, case.case_type, case.stage, case.party_count)

        seed = seed_source()
        draw_id = f"DR-{uuid.uuid4().hex[:20].upper()}"
        instant = now()
        repository.record_commitment(uow, draw_id, case_id, court_id, ALGORITHM, seed_commitment(seed),
                                     principal.user_id, instant)
        outcome = run_draw(case_id, [Candidate(r.judge_id, Decimal(r.capacity), Decimal(r.load_total)) for r in rows],
                           weight, table.draw, seed)
        repository.record_outcome(uow, draw_id, outcome.record(), instant)
        repository.add_load(uow, outcome.winner, outcome.accrual, instant)
        uow.execute(assignments.insert().values(
            case_id=case_id, court_id=court_id, judge_id=outcome.winner, method="random", draw_id=draw_id,
            assigned_by=principal.user_id, assigned_at=instant, weight=weight.value, accrual=outcome.accrual))
        repository.mark_assigned(uow, case_id)
        judge_name = next(r.full_name for r in rows if r.judge_id == outcome.winner)
        uow.emit(CaseAssignedV1(court_id=court_id, case_id=case_id, judge_id=outcome.winner, judge_name=judge_name,
                                method="random", draw_id=draw_id, assigned_by=principal.user_id,
                                assigned_at=instant))
        uow.commit()
    return AssignmentResultV1(case_id=case_id, acceptance_number=case.acceptance_number, judge_id=outcome.winner,
                              judge_name=judge_name, method="random", draw_id=draw_id,
                              seed_commitment=outcome.seed_commitment, weight=str(weight.value),
                              assigned_at=instant)
