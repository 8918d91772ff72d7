"""Assigning a case by random draw: the seed commitment first, in its own committed step, then the draw.

Step 1, :func:`commit_draw` (one transaction): a 32-byte seed is generated and stored unrevealed; its SHA-256
(the commitment) is written to ``draw_commitments`` with a ``draw_committed`` event in the outbox, and the
transaction commits. From then on the commitment is fixed and on its way to the bus; nothing of the outcome
exists yet.

Step 2, :func:`assign_random` / :func:`reassign` (a second transaction, referring to the commitment):

1. lock the commitment: it must exist, belong to this court and case, be open, and be younger than
   ``commitment.max_age_seconds`` (``weights.yaml``); anything else is refused;
2. lock the case's inbox row (``FOR UPDATE``): a second, concurrent draw for the same case waits until the first
   has committed, then finds the case assigned, so a case is never drawn twice;
3. lock the competent, active judges of the court in judge-id order; keep out (and record, with the reason)
   those on leave or secondment that day, those with a declared conflict on the case, and, on a reassignment,
   the judge the case leaves;
4. draw from the committed seed, reveal it in the draw record, mark the commitment used, add the accrual to the
   winner (on a reassignment, first subtract the case's recorded accrual from the judge it leaves), store the
   assignment and emit ``case_assigned``; commit all of it at once.

Locks are taken ``NOWAIT``; a busy row rolls the whole second step back and runs it again (see ``locking``).
A draw that is refused leaves its commitment voided, with the reason and the seed visible, so that a discarded
commitment shows in the fairness view (nobody can draw, look, and quietly draw again).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.adapters.orm import assignments
from ecourt_assignment.contracts import AssignmentResultV1, DrawCommitmentV1, DrawCommittedV1, RelatedCaseV1
from ecourt_assignment.domain.clock import court_day
from ecourt_assignment.domain.draw import ALGORITHM, Candidate, case_weight, new_seed, run_draw, seed_commitment
from ecourt_assignment.domain.rules import competence, weight_tables
from ecourt_assignment.service_layer import errors
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_assignment.service_layer.panel_views import announce_panel
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import Conflict, NotFound, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers.names import search_key

MIN_REASON = 10


def commit_draw(principal: Principal, case_id: str, uows: UnitOfWorkFactory, now: Callable[[], datetime],
                seed_source: Callable[[], bytes] = new_seed, purpose: str = "assign") -> DrawCommitmentV1:
    """Commit to the seed of the coming draw for ``case_id`` and publish the commitment (step 1)."""
    case_id = errors.canonical_case_id(case_id)
    max_age = weight_tables().commitment_max_age_seconds
    with uows() as uow:
        case = repository.inbox_case(uow, principal.court_id, case_id)
        if case is None:
            raise errors.case_not_found(case_id)
        if purpose == "assign" and case.status == "assigned":
            existing = repository.assignment_of(uow, case_id)
            raise errors.already_assigned(case_id, existing.full_name if existing else "?")
        if purpose == "reassign" and case.status != "assigned":
            raise errors.not_assigned(case_id)
        seed = seed_source()
        draw_id = f"DR-{uuid.uuid4().hex[:20].upper()}"
        instant = now()
        commitment = seed_commitment(seed)
        event = DrawCommittedV1(court_id=principal.court_id, draw_id=draw_id, case_id=case_id, algorithm=ALGORITHM,
                                seed_commitment=commitment, committed_by=principal.user_id, committed_at=instant)
        envelope = uow.emit(event)
        repository.insert_commitment(uow, {
            "draw_id": draw_id, "case_id": case_id, "court_id": principal.court_id, "algorithm": ALGORITHM,
            "seed_commitment": commitment, "seed": seed.hex(), "purpose": purpose, "status": "open",
            "committed_by": principal.user_id, "committed_at": instant,
            "expires_at": instant + timedelta(seconds=max_age), "event_id": envelope.event_id})
        uow.commit()
    return DrawCommitmentV1(draw_id=draw_id, case_id=case_id, seed_commitment=commitment, committed_at=instant,
                            expires_at=instant + timedelta(seconds=max_age))


def assign_random(principal: Principal, case_id: str, uows: UnitOfWorkFactory, now: Callable[[], datetime],
                  seed_source: Callable[[], bytes] = new_seed, draw_id: str | None = None) -> AssignmentResultV1:
    """Draw a judge for a case of the inbox. Without ``draw_id`` a commitment is made (and committed) first."""
    case_id = errors.canonical_case_id(case_id)
    if draw_id is None:
        draw_id = commit_draw(principal, case_id, uows, now, seed_source).draw_id
    return _second_step(principal, case_id, draw_id, uows, now, purpose="assign", reason=None)


def reassign(principal: Principal, case_id: str, reason: str, uows: UnitOfWorkFactory, now: Callable[[], datetime],
             seed_source: Callable[[], bytes] = new_seed, draw_id: str | None = None) -> AssignmentResultV1:
    """Move an assigned case to another judge by a new draw (the judge it leaves is kept out and compensated)."""
    case_id = errors.canonical_case_id(case_id)
    reason = clean_reason(reason)
    if draw_id is None:
        draw_id = commit_draw(principal, case_id, uows, now, seed_source, purpose="reassign").draw_id
    return _second_step(principal, case_id, draw_id, uows, now, purpose="reassign", reason=reason)


def clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON:
        raise errors.reason_required()
    return text


def _second_step(principal: Principal, case_id: str, draw_id: str, uows: UnitOfWorkFactory,
                 now: Callable[[], datetime], purpose: str, reason: str | None) -> AssignmentResultV1:
    try:
        return retry_when_locked(lambda: _draw_once(principal, case_id, draw_id, uows, now, purpose, reason),
                                 lambda: errors.busy("case_id", case_id))
    except (Conflict, NotFound, RequestRejected) as refusal:
        void_commitment(uows, principal.court_id, case_id, draw_id, now, refusal_code(refusal))
        raise


def refusal_code(refusal: Exception) -> str:
    detail = getattr(refusal, "detail", {}) or {}
    found = [e.get("code", "") for e in detail.get("errors", [])]
    return ", ".join(found) or type(refusal).__name__


def void_commitment(uows: UnitOfWorkFactory, court_id: str, case_id: str, draw_id: str, now: Callable[[], datetime],
          reason: str) -> None:
    """Close an open commitment of this case that no draw will use, keeping why (its seed becomes visible)."""
    def attempt() -> None:
        with uows() as uow:
            row = repository.lock_commitment(uow, draw_id)
            if row is not None and row.court_id == court_id and row.case_id == case_id and row.status == "open":
                repository.close_commitment(uow, draw_id, "void", now(), reason)
                uow.commit()

    retry_when_locked(attempt, lambda: errors.busy("draw_id", draw_id))


def _draw_once(principal: Principal, case_id: str, draw_id: str, uows: UnitOfWorkFactory,
               now: Callable[[], datetime], purpose: str, reason: str | None) -> AssignmentResultV1:
    court_id = principal.court_id
    tables, fields = weight_tables(), competence()
    with uows() as uow:
        committed = repository.lock_commitment(uow, draw_id)
        if committed is None or committed.court_id != court_id:
            raise errors.commitment_not_found(draw_id)
        if committed.case_id != case_id:
            raise errors.commitment_of_other_case(draw_id, case_id)
        if committed.status != "open":
            raise errors.commitment_closed(draw_id, committed.status)
        instant = now()
        if instant > committed.expires_at:
            raise errors.commitment_expired(draw_id, tables.commitment_max_age_seconds)
        case = repository.lock_inbox_case(uow, court_id, case_id)
        if case is None:
            raise errors.case_not_found(case_id)
        current = None
        if purpose == "assign" and case.status == "assigned":
            existing = repository.assignment_of(uow, case_id)
            raise errors.already_assigned(case_id, existing.full_name if existing else "?")
        if purpose == "reassign":
            current = repository.lock_assignment(uow, court_id, case_id)
            if current is None:
                raise errors.not_assigned(case_id)
        day = court_day(instant)
        table = tables.in_force(day)
        wanted = fields.fields_for(case.case_type, case.has_minor)
        rows = repository.lock_candidates(uow, court_id, wanted)
        if not rows:
            raise errors.no_candidates(case_id, *fields.names(wanted))
        kept = seated_elsewhere(uow, case_id, case.round)
        if current is not None:
            kept[current.judge_id] = "leaving_seat"
        excluded = exclusions(uow, court_id, case_id, day, [r.judge_id for r in rows], kept)
        pool = [r for r in rows if r.judge_id not in excluded]
        if not pool:
            raise errors.no_available_candidates(case_id, sorted(excluded.items()))
        weight = case_weight(table, case.case_type, case.stage, case.party_count)
        outcome = run_draw(case_id, [Candidate(r.judge_id, Decimal(r.capacity), Decimal(r.load_total)) for r in pool],
                           weight, table.draw, bytes.fromhex(committed.seed), sorted(excluded.items()))
        record = outcome.record()
        repository.insert_draw(uow, draw_id, court_id, principal.user_id, committed.committed_at, record,
                               outcome.escape, instant)
        repository.close_commitment(uow, draw_id, "used", instant)
        if current is not None:
            compensate(uow, current, outcome.winner, "random", draw_id, reason or "", principal, instant)
            panel_repository.move_presiding(uow, case_id, case.round, outcome.winner, instant, reason or "")
        repository.add_load(uow, outcome.winner, outcome.accrual, instant)
        values = {"judge_id": outcome.winner, "method": "random", "draw_id": draw_id, "assigned_by": principal.user_id,
                  "assigned_at": instant, "weight": weight.value, "accrual": outcome.accrual, "reason": reason,
                  "reassigned_from": current.judge_id if current is not None else None}
        if current is None:
            uow.execute(assignments.insert().values(case_id=case_id, court_id=court_id, **values))
            repository.mark_assigned(uow, case_id)
        else:
            uow.execute(assignments.update().where(assignments.c.case_id == case_id).values(**values))
        judge_name = next(r.full_name for r in pool if r.judge_id == outcome.winner)
        related = related_of(uow, court_id, case_id)
        uow.emit(CaseAssignedV1(court_id=court_id, case_id=case_id, judge_id=outcome.winner, judge_name=judge_name,
                                method="random", draw_id=draw_id, assigned_by=principal.user_id,
                                assigned_at=instant, seed_commitment=outcome.seed_commitment, reason=reason,
                                reassigned_from=values["reassigned_from"]))
        if current is not None and panel_repository.active_seats(uow, case_id, case.round):
            announce_panel(uow, court_id, case_id, case.round, None)  # the presiding seat moved with the case
        uow.commit()
    return AssignmentResultV1(case_id=case_id, acceptance_number=case.acceptance_number, judge_id=outcome.winner,
                              judge_name=judge_name, method="random", draw_id=draw_id,
                              seed_commitment=outcome.seed_commitment, weight=str(weight.value),
                              assigned_at=instant, reason=reason, reassigned_from=values["reassigned_from"],
                              accrual=str(outcome.accrual), escape=outcome.escape, related_cases=related)


def seated_elsewhere(uow: UnitOfWork, case_id: str, round_: int) -> dict[str, str]:
    """Members holding a seat of the case's panel other than the presiding one (they cannot also preside)."""
    return {s.member_id: f"seated:{s.seat}" for s in panel_repository.active_seats(uow, case_id, round_)
            if s.seat != "presiding"}


def exclusions(uow: UnitOfWork, court_id: str, case_id: str, day: Any, member_ids: list[str],
               first: dict[str, str]) -> dict[str, str]:
    """Roster members who may not sit on the case, with the reason recorded in the draw: ``first`` (leaving the
    seat, already seated), a declared conflict, a seat at an earlier stage of the same case (recorded by
    assignment itself when the stage opened; khoản 3 Điều 53 BLTTDS 2015, Điều 53 BLTTHS 2015 [verify]), leave
    or secondment that day."""
    unavailable = repository.unavailable_on(uow, court_id, day)
    conflicted = repository.conflicts_of(uow, case_id)
    earlier = panel_repository.earlier_members(uow, case_id)
    excluded: dict[str, str] = {}
    for member_id in member_ids:
        if member_id in first:
            excluded[member_id] = first[member_id]
        elif member_id in conflicted:
            excluded[member_id] = f"conflict:{conflicted[member_id].kind}"
        elif member_id in earlier:
            excluded[member_id] = earlier[member_id]
        elif member_id in unavailable:
            excluded[member_id] = f"unavailable:{unavailable[member_id].kind}"
    return excluded


def compensate(uow: UnitOfWork, current: Any, to_judge: str, method: str, draw_id: str | None, reason: str,
                principal: Principal, instant: datetime) -> None:
    """Take the case's recorded accrual off the judge it leaves, and log the move."""
    if repository.lock_judge(uow, current.judge_id) is None:
        raise errors.judge_not_found(current.judge_id)
    repository.add_load(uow, current.judge_id, -Decimal(current.accrual), instant)
    repository.add_move(uow, {"case_id": current.case_id, "court_id": current.court_id,
                              "from_judge_id": current.judge_id, "to_judge_id": to_judge, "method": method,
                              "draw_id": draw_id, "reason": reason, "compensation": Decimal(current.accrual),
                              "moved_by": principal.user_id, "moved_at": instant})


def related_of(uow: UnitOfWork, court_id: str, case_id: str) -> list[RelatedCaseV1]:
    """Cases of the court sharing a party with ``case_id`` (flags for the president; nothing is moved)."""
    rows = repository.related_cases(uow, court_id, [case_id]).get(case_id, [])
    return group_related(rows)


def group_related(rows: list[Any]) -> list[RelatedCaseV1]:
    grouped: dict[str, RelatedCaseV1] = {}
    for row in rows:
        entry = grouped.get(row.case_id)
        if entry is None:
            same_subject = search_key(row.subject) == search_key(row.of_case_subject)
            grouped[row.case_id] = RelatedCaseV1(case_id=row.case_id, acceptance_number=row.acceptance_number,
                                                 shared_party_ids=[row.party_id], judge_id=row.judge_id,
                                                 judge_name=row.full_name, same_subject=same_subject)
        else:
            entry.shared_party_ids.append(row.party_id)
    return list(grouped.values())
