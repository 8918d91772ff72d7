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

The court that holds the case (the one whose counts include it) is the court of the later of two facts: the
winning status and the latest ``case_transferred`` (a transfer, or the merger of the old court). A merger sends
no status, so a late, older status of the old court must not pull the case back: comparing the two instants
does that, and each is itself a pure maximum, so the court converges too. One row per case means a
transferred case leaves the old court's counts and joins the new court's: it can never count twice.

``progressed_at`` remembers the latest ``case_progressed`` (with its deadline): a missed deadline raised before
it is no longer listed, because the case has moved on (see ``repository.deadline_alerts``).
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
    deadline_rule_id: str | None = None  # only case_progressed brings it

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


@dataclass(frozen=True)
class TransferFact:
    """``case_transferred``: the case (same id) is now held by ``court_id`` (a transfer or a court merger)."""

    case_id: str
    court_id: str
    from_court_id: str
    occurred_at: datetime


Fact = StatusFact | JudgeFact | TransferFact


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
    status_court_id: str | None = None  # the court the winning status came from
    transfer_court_id: str | None = None  # the court of the latest transfer ...
    from_court_id: str | None = None  # ... the court it left ...
    transferred_at: datetime | None = None  # ... and when
    progressed_at: datetime | None = None  # the latest case_progressed, and the deadline it carried
    progressed_rule_id: str | None = None
    progressed_due_on: date | None = None


def holding_court(view: CaseView) -> str:
    """The court of the later of the winning status and the latest transfer (the current court otherwise)."""
    known = [(at, court) for at, court in ((view.status_at, view.status_court_id),
                                           (view.transferred_at, view.transfer_court_id))
             if at is not None and court is not None]
    return max(known)[1] if known else view.court_id


def _status_key(rank: int, at: datetime | None, status: str | None,
                deadline_on: date | None) -> tuple[int, float, str, str]:
    return rank, at.timestamp() if at else float("-inf"), status or "", deadline_on.isoformat() if deadline_on else ""


def apply(view: CaseView | None, fact: Fact) -> CaseView:
    """Fold one fact into the view; commutative and idempotent, so any order converges."""
    current = view or CaseView(case_id=fact.case_id, court_id=fact.court_id)
    if isinstance(fact, TransferFact):
        if current.transferred_at is None or (fact.occurred_at, fact.court_id) > (
                current.transferred_at, current.transfer_court_id or ""):
            current = replace(current, transfer_court_id=fact.court_id, from_court_id=fact.from_court_id,
                              transferred_at=fact.occurred_at)
        return replace(current, court_id=holding_court(current))
    if isinstance(fact, JudgeFact):
        if current.judge_assigned_at is None or (fact.assigned_at, fact.judge_id) > (
                current.judge_assigned_at, current.judge_id or ""):
            current = replace(current, judge_id=fact.judge_id, judge_name=fact.judge_name,
                              judge_assigned_at=fact.assigned_at)
        if current.status is None and current.transferred_at is None:  # nothing better known about the court
            current = replace(current, court_id=fact.court_id)
        return current
    if fact.accepted_on is not None and (current.accepted_on is None or fact.accepted_on > current.accepted_on):
        current = replace(current, accepted_on=fact.accepted_on)
    if fact.source == "casefile" and _progress_key(fact.occurred_at, fact.deadline_rule_id, fact.deadline_on) > (
            _progress_key(current.progressed_at, current.progressed_rule_id, current.progressed_due_on)):
        current = replace(current, progressed_at=fact.occurred_at, progressed_rule_id=fact.deadline_rule_id,
                          progressed_due_on=fact.deadline_on)
    if _status_key(fact.rank, fact.occurred_at, fact.status, fact.deadline_on) > _status_key(
            current.status_rank, current.status_at, current.status, current.deadline_on):
        current = replace(current, case_type=fact.case_type, stage=fact.stage, status=fact.status,
                          status_rank=fact.rank, status_at=fact.occurred_at, deadline_on=fact.deadline_on,
                          status_court_id=fact.court_id)
        current = replace(current, court_id=holding_court(current))
    return current


def _progress_key(at: datetime | None, rule_id: str | None, due_on: date | None) -> tuple[float, str, str]:
    return at.timestamp() if at else float("-inf"), rule_id or "", due_on.isoformat() if due_on else ""


def converge(facts: list[Fact], start: CaseView | None = None) -> CaseView:
    """Apply facts in the given order (the tests feed every permutation)."""
    view = start
    for fact in facts:
        view = apply(view, fact)
    assert view is not None, "converge needs at least one fact"
    return view
