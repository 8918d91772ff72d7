"""How a case's statistical status converges, whatever order its events arrive in.

Three producers tell stats about a case, on three queues, in any order:

- intake's ``case_received``: the case exists, was accepted (thụ lý) on a legal day, has a type and stage;
- casefile's ``case_progressed``: the procedural status (casefile owns it) with the next deadline;
- assignment's ``case_assigned``: which judge handles it. An assignment never touches the status.

The status kept is the one with the highest ``status_rank`` (stage * 100 + phase * 10 + authority), the
rule every read model shares: see :mod:`ecourt_shared.contracts.status` for the rank table and why it
converges. Casefile's ``accepted`` beats intake's for the same stage; a later stage beats an earlier one;
a late, stale event never pulls a decided case back; among the three "active" statuses the later event wins.

Ties are broken by ``(occurred_at, status, deadline)``, so the result is a pure maximum: every arrival order
gives the same row (the unit tests check every permutation). The judge is the assignment with the
latest ``assigned_at`` (then the highest judge id); ``accepted_on`` is the latest acceptance day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Final

from ecourt_shared.contracts.status import status_rank

# "Chưa giải quyết" (pending) and "đã giải quyết" (resolved), the SPC's two reporting buckets.
PENDING_STATUSES: Final[frozenset[str]] = frozenset({"accepted", "preparing", "suspended", "hearing_scheduled"})
RESOLVED_STATUSES: Final[frozenset[str]] = frozenset({"decided", "in_effect", "closed"})
# Statuses whose time limit is running: a suspended case's limit is paused (BLTTDS 2015 art. 215-216
# [verify]); a decided, effective or closed case has no preparation limit left.
DEADLINE_RUNNING: Final[frozenset[str]] = frozenset({"accepted", "preparing", "hearing_scheduled"})


@dataclass(frozen=True)
class StatusFact:
    """A status claim carried by ``case_received`` (intake) or ``case_progressed`` (casefile)."""

    case_id: str
    court_id: str
    source: str  # "intake" | "casefile"
    case_type: str
    stage: str
    status: str
    occurred_at: datetime
    deadline_on: date | None = None
    accepted_on: date | None = None  # only case_received brings it

    @property
    def rank(self) -> int:
        return status_rank(self.stage, self.status, self.source)


@dataclass(frozen=True)
class JudgeFact:
    """A judge assignment (``case_assigned``): it sets the judge and nothing else."""

    case_id: str
    court_id: str
    judge_id: str
    judge_name: str
    assigned_at: datetime


Fact = StatusFact | JudgeFact


@dataclass(frozen=True)
class CaseView:
    """One row of ``case_status``. ``status`` is None while only an assignment has arrived."""

    case_id: str
    court_id: str
    case_type: str | None = None
    stage: str | None = None
    status: str | None = None
    status_rank: int = 0
    status_at: datetime | None = None
    judge_id: str | None = None
    judge_name: str | None = None
    judge_assigned_at: datetime | None = None
    accepted_on: date | None = None
    deadline_on: date | None = None


def _status_key(rank: int, at: datetime | None, status: str | None,
                deadline_on: date | None) -> tuple[int, float, str, str]:
    return rank, at.timestamp() if at else float("-inf"), status or "", deadline_on.isoformat() if deadline_on else ""


def apply(view: CaseView | None, fact: Fact) -> CaseView:
    """Fold one fact into the view; commutative and idempotent, so any order converges."""
    current = view or CaseView(case_id=fact.case_id, court_id=fact.court_id)
    if isinstance(fact, JudgeFact):
        if current.judge_assigned_at is None or (fact.assigned_at, fact.judge_id) > (
                current.judge_assigned_at, current.judge_id or ""):
            current = replace(current, judge_id=fact.judge_id, judge_name=fact.judge_name,
                              judge_assigned_at=fact.assigned_at)
        if current.status is None:  # nothing better known about the court yet
            current = replace(current, court_id=fact.court_id)
        return current
    if fact.accepted_on is not None and (current.accepted_on is None or fact.accepted_on > current.accepted_on):
        current = replace(current, accepted_on=fact.accepted_on)
    if _status_key(fact.rank, fact.occurred_at, fact.status, fact.deadline_on) > _status_key(
            current.status_rank, current.status_at, current.status, current.deadline_on):
        current = replace(current, court_id=fact.court_id, case_type=fact.case_type, stage=fact.stage,
                          status=fact.status, status_rank=fact.rank, status_at=fact.occurred_at,
                          deadline_on=fact.deadline_on)
    return current


def converge(facts: list[Fact], start: CaseView | None = None) -> CaseView:
    """Apply facts in the given order (the tests feed every permutation)."""
    view = start
    for fact in facts:
        view = apply(view, fact)
    assert view is not None, "converge needs at least one fact"
    return view
