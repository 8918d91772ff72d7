"""Folding ecourt's events into one canonical QLTA record per case, in any arrival order.

Each event becomes a fact; :func:`merge` folds a fact into the case's :class:`CaseState`, which holds
the record's fields plus the ordering keys that decide which fact wins:

- status, type, stage and deadline: the highest ``(status_rank, occurred_at, status, deadline)``
  (the rank is the rule every read model shares, ``ecourt_shared.contracts.status``: casefile beats
  intake's ``accepted``, a later stage beats an earlier one, a stale event never reopens a decided case);
- acceptance number, date and subject: the ``case_received`` of the latest stage;
- judge: the assignment with the latest ``assigned_at``. An assignment never touches the status;
- transfer: the ``case_transferred`` with the latest ``occurred_at``. The court that holds the case (the
  record's ``court_code``) is the court of the later of the winning status and the latest transfer, so a late,
  older status of the old court never pulls a transferred (or merged) case back.

``merge`` is a maximum per group of fields, so it is commutative and idempotent: every order of the
same events gives the same state, hence the same record and content hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from ecourt_qlta.domain.canonical import QltaCaseRecord
from ecourt_qlta.domain.clock import legal_day
from ecourt_qlta.domain.codes import ASSIGNMENT_METHODS, STATUS_CODES, TRANSFER_REASONS
from ecourt_shared.contracts.status import STAGE_RANK, status_rank
from ecourt_shared.identifiers import case_type_names, format_case_id, stage_names


@dataclass(frozen=True)
class ReceivedFact:
    case_id: str
    court_id: str
    acceptance_number: str
    accepted_on: date
    case_type: str
    stage: str
    subject: str
    occurred_at: datetime


@dataclass(frozen=True)
class ProgressedFact:
    case_id: str
    court_id: str
    case_type: str
    stage: str
    status: str
    occurred_at: datetime
    deadline_on: date | None = None
    deadline_basis: str | None = None


@dataclass(frozen=True)
class AssignedFact:
    case_id: str
    court_id: str
    judge_id: str
    judge_name: str
    method: str
    assigned_at: datetime


@dataclass(frozen=True)
class TransferredFact:
    case_id: str
    court_id: str  # the court that holds the case now
    from_court_id: str
    reason: str  # transfer | merger
    transferred_on: date
    occurred_at: datetime


Fact = ReceivedFact | ProgressedFact | AssignedFact | TransferredFact


class CaseState(BaseModel):
    """What the gateway knows of a case, with the keys that make merging order-independent."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    court_id: str
    # from case_received
    acceptance_number: str | None = None
    acceptance_date: date | None = None
    subject: str | None = None
    acceptance_stage_rank: int = 0
    acceptance_at: datetime | None = None
    # the status, from case_received (intake) or case_progressed (casefile)
    case_type: str | None = None
    stage: str | None = None
    status: str | None = None
    status_rank: int = 0
    status_at: datetime | None = None
    status_date: date | None = None
    deadline_date: date | None = None
    deadline_basis: str | None = None
    # from case_assigned
    judge_code: str | None = None
    judge_name: str | None = None
    assignment_method: str | None = None
    assigned_at: datetime | None = None
    # the court of the winning status, and the latest transfer (court_id is derived from both: holding_court)
    status_court_id: str | None = None
    transfer_court_id: str | None = None
    transferred_from: str | None = None
    transfer_reason: str | None = None
    transfer_date: date | None = None
    transfer_at: datetime | None = None

    def holding_court(self) -> str:
        known = [(at, court) for at, court in ((self.status_at, self.status_court_id),
                                               (self.transfer_at, self.transfer_court_id))
                 if at is not None and court is not None]
        return max(known)[1] if known else self.court_id

    @classmethod
    def empty(cls, case_id: str, court_id: str) -> CaseState:
        return cls(case_id=case_id, court_id=court_id)

    def record(self) -> QltaCaseRecord:
        """The canonical record QLTA sees (ordering keys stay here)."""
        code, name = STATUS_CODES[self.status] if self.status else (None, None)
        return QltaCaseRecord(
            court_code=self.court_id, case_code=format_case_id(self.case_id),
            acceptance_number=self.acceptance_number, acceptance_date=self.acceptance_date,
            case_type=self.case_type, case_type_name=case_type_names(self.case_type)[0] if self.case_type else None,
            stage=self.stage, stage_name=stage_names(self.stage)[0] if self.stage else None,
            subject=self.subject, status_code=code, status_name=name, status_date=self.status_date,
            judge_code=self.judge_code, judge_name=self.judge_name,
            assignment_method=ASSIGNMENT_METHODS.get(self.assignment_method or "", self.assignment_method),
            assignment_date=legal_day(self.assigned_at) if self.assigned_at else None,
            deadline_date=self.deadline_date, deadline_basis=self.deadline_basis,
            **self._transfer_fields())

    def _transfer_fields(self) -> dict[str, Any]:
        """Shown while the case is at the court it was transferred to (a later move by a step clears them)."""
        if self.transfer_at is None or self.transfer_court_id != self.court_id:
            return {}
        return {"transferred_from_court_code": self.transferred_from,
                "transfer_reason": TRANSFER_REASONS.get(self.transfer_reason or "", self.transfer_reason),
                "transfer_date": self.transfer_date}


def _ts(at: datetime | None) -> float:
    return at.timestamp() if at else float("-inf")


def _status_key(rank: int, at: datetime | None, status: str | None, deadline: date | None,
                basis: str | None) -> tuple[int, float, str, str, str]:
    return rank, _ts(at), status or "", deadline.isoformat() if deadline else "", basis or ""


def _with_status(state: CaseState, *, source: str, case_type: str, stage: str, status: str, at: datetime,
                 status_date: date, deadline: date | None, basis: str | None, court_id: str) -> CaseState:
    rank = status_rank(stage, status, source)
    if _status_key(rank, at, status, deadline, basis) <= _status_key(
            state.status_rank, state.status_at, state.status, state.deadline_date, state.deadline_basis):
        return state
    moved = state.model_copy(update={
        "status_court_id": court_id, "case_type": case_type, "stage": stage, "status": status, "status_rank": rank,
        "status_at": at, "status_date": status_date, "deadline_date": deadline, "deadline_basis": basis})
    return moved.model_copy(update={"court_id": moved.holding_court()})


def merge(state: CaseState | None, fact: Fact) -> CaseState:
    """Fold one fact into the state (commutative, idempotent). Unknown codes raise ``KeyError``."""
    current = state or CaseState.empty(fact.case_id, fact.court_id)
    if isinstance(fact, TransferredFact):
        if current.transfer_at is None or (fact.occurred_at, fact.court_id) > (current.transfer_at,
                                                                              current.transfer_court_id or ""):
            current = current.model_copy(update={
                "transfer_court_id": fact.court_id, "transferred_from": fact.from_court_id,
                "transfer_reason": fact.reason, "transfer_date": fact.transferred_on, "transfer_at": fact.occurred_at})
        return current.model_copy(update={"court_id": current.holding_court()})
    if isinstance(fact, AssignedFact):
        if current.assigned_at is None or (fact.assigned_at, fact.judge_id) > (current.assigned_at,
                                                                               current.judge_code or ""):
            current = current.model_copy(update={"judge_code": fact.judge_id, "judge_name": fact.judge_name,
                                                  "assignment_method": fact.method, "assigned_at": fact.assigned_at})
        return current
    if isinstance(fact, ReceivedFact):
        key = (STAGE_RANK[fact.stage], _ts(fact.occurred_at), fact.acceptance_number)
        if key > (current.acceptance_stage_rank, _ts(current.acceptance_at), current.acceptance_number or ""):
            current = current.model_copy(update={
                "acceptance_number": fact.acceptance_number, "acceptance_date": fact.accepted_on,
                "subject": fact.subject, "acceptance_stage_rank": STAGE_RANK[fact.stage],
                "acceptance_at": fact.occurred_at})
        return _with_status(current, source="intake", case_type=fact.case_type, stage=fact.stage,
                            status="accepted", at=fact.occurred_at, status_date=fact.accepted_on, deadline=None,
                            basis=None, court_id=fact.court_id)
    return _with_status(current, source="casefile", case_type=fact.case_type, stage=fact.stage,
                        status=fact.status, at=fact.occurred_at, status_date=legal_day(fact.occurred_at),
                        deadline=fact.deadline_on, basis=fact.deadline_basis, court_id=fact.court_id)


def converge(facts: list[Fact], start: CaseState | None = None) -> CaseState:
    state = start
    for fact in facts:
        state = merge(state, fact)
    assert state is not None, "converge needs at least one fact"
    return state
