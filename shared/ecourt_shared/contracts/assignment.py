"""Contracts of assignment: its RPC payloads and the event that publishes a draw's seed commitment.

Decimals travel as strings so that a load total or a capacity is never rounded on the way; instants as
ISO 8601 strings.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecourt_shared.contracts.envelope import EventPayload, register_event
from ecourt_shared.contracts.events import CaseType, Stage

Method = Literal["random", "designation"]
RosterKind = Literal["judge", "assessor", "clerk"]


class JudgeInputV1(BaseModel):
    """A judge seat as the president or the IT administrator registers it (an upsert by ``judge_id``)."""

    model_config = ConfigDict(extra="forbid")
    judge_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    full_name: str = Field(min_length=1, max_length=200)
    specializations: list[str] = Field(min_length=1, max_length=10)
    capacity: Decimal = Field(default=Decimal(1), gt=0, le=1, decimal_places=4)
    active: bool = True
    # the roster also holds lay assessors (hội thẩm nhân dân) and clerks (thư ký; id = the clerk's user id)
    kind: RosterKind = "judge"


class UnavailabilityInputV1(BaseModel):
    """A period (inclusive dates) in which a judge takes no new case: leave or secondment."""

    model_config = ConfigDict(extra="forbid")
    judge_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    kind: Literal["leave", "secondment"]
    starts_on: date
    ends_on: date
    reason: str = Field(default="", max_length=500)


class ConflictInputV1(BaseModel):
    """A judge who must not sit on a case: a declared recusal, or a seat at an earlier stage of the case."""

    model_config = ConfigDict(extra="forbid")
    case_id: str
    judge_id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    kind: Literal["recusal", "earlier_stage"]
    reason: str = Field(min_length=10, max_length=1000)


class RelatedCaseV1(BaseModel):
    """Another case of the court sharing a party: shown to the president, never acted on silently."""

    case_id: str
    acceptance_number: str
    shared_party_ids: list[str]
    judge_id: str | None
    judge_name: str | None
    # the same parties over the same subject (compared without case or diacritics): perhaps the same dispute
    # brought again, which the president should see first (res judicata, joinder)
    same_subject: bool = False


class InboxCaseV1(BaseModel):
    case_id: str
    acceptance_number: str
    case_type: CaseType
    stage: Stage
    subject: str
    party_count: int
    accepted_at: datetime
    received_at: datetime
    related_cases: list[RelatedCaseV1] = Field(default_factory=list)
    round: int = 1  # 2, 3…: the case came back for a later stage (appeal, cassation, retrial) or another court
    stage_opened_from: str | None = None  # the court the case came from


class AssignmentResultV1(BaseModel):
    case_id: str
    acceptance_number: str
    judge_id: str
    judge_name: str
    method: Method
    draw_id: str | None
    seed_commitment: str | None
    weight: str
    assigned_at: datetime
    reason: str | None = None  # a designation's or a reassignment's reason, shown as such
    reassigned_from: str | None = None
    accrual: str | None = None
    escape: bool | None = None  # the winner entered the eligible set through the outsider chance
    related_cases: list[RelatedCaseV1] = Field(default_factory=list)


class DrawCommitmentV1(BaseModel):
    """A seed commitment made (and published) before its draw."""

    draw_id: str
    case_id: str
    seed_commitment: str
    committed_at: datetime
    expires_at: datetime


class JudgeCaseV1(BaseModel):
    case_id: str
    acceptance_number: str
    case_type: CaseType
    stage: Stage
    subject: str
    method: Method
    draw_id: str | None
    assigned_at: datetime
    reason: str | None = None


class UnavailabilityV1(BaseModel):
    kind: Literal["leave", "secondment"]
    starts_on: date
    ends_on: date
    reason: str


class RosterJudgeV1(BaseModel):
    judge_id: str
    full_name: str
    specializations: list[str]
    capacity: str
    active: bool
    load_total: str
    assigned_cases: int
    available_today: bool = True
    unavailability: list[UnavailabilityV1] = Field(default_factory=list)
    kind: RosterKind = "judge"


class FairnessJudgeV1(BaseModel):
    judge_id: str
    full_name: str
    capacity: str
    load_total: str
    random_cases: int
    designated_cases: int


class FairnessViewV1(BaseModel):
    """The president's view of how evenly the work is spread (load totals are already per capacity)."""

    court_id: str
    judges: list[FairnessJudgeV1]
    spread: str  # highest minus lowest load total among active judges
    gini: str  # 0 = perfectly even, 1 = everything on one judge
    max_distance: str  # the band of the weight table in force
    draws: int
    escapes: int  # draws whose winner entered by the outsider chance
    escape_rate: str
    designations: int
    reassignments: int
    void_commitments: int  # commitments never followed by a draw (shown so that discarding seeds shows)
    weight_table_version: str
    extra: dict[str, Any] = Field(default_factory=dict)


@register_event
class DrawCommittedV1(EventPayload):
    """Assignment committed to the seed of a coming draw: the SHA-256 of the seed, published before the draw.

    Anyone holding this event can later check that the seed revealed in the draw record hashes to it.
    """

    event_type: ClassVar[str] = "draw_committed"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "assignment"
    draw_id: str
    case_id: str
    algorithm: str
    seed_commitment: str
    committed_by: str
    committed_at: datetime


class PanelSeatV1(BaseModel):
    """One seat of a trial panel; ``method`` says how the member got it (a designation shows as such)."""

    seat: str
    kind: RosterKind
    member_id: str
    full_name: str
    method: Literal["random", "designation", "assigned"]
    draw_id: str | None
    accrual: str
    reason: str | None = None
    assigned_at: datetime
    substitute: bool = False


class PanelV1(BaseModel):
    """The trial panel (Hội đồng xét xử) of a case's current stage, with the clerk and the rule it follows."""

    case_id: str
    acceptance_number: str
    stage: Stage
    round: int
    draw_id: str | None  # the draw of the panel (replacements have their own draws, on their seats)
    seed_commitment: str | None
    composition: dict[str, Any]
    seats: list[PanelSeatV1]
    clerk_id: str | None
    reason: str | None = None


class PastSeatV1(BaseModel):
    member_id: str
    stage: Stage
    court_id: str
    seat: str


class ReceptionItemV1(BaseModel):
    """An arrival in the reception register, as the president's account sees it."""

    reception_id: str
    reception_number: str
    kind: str
    case_type: str | None
    stage: str | None
    channel: str | None
    received_at: datetime | None
    counts_from: date | None  # the legal counting date (postmark, detention certificate, online submission…)
    counting_basis: str | None
    related_case_id: str | None
    document_count: int | None
    party_count: int | None
    decision: str | None = None  # the latest decision; request_amendment keeps the item waiting
    decided_at: datetime | None = None


class ReceptionDecisionItemV1(BaseModel):
    """A reception decision: who decided what, when and why."""

    decision_id: str
    reception_id: str
    reception_number: str
    kind: str
    case_type: str | None
    decision: str
    decided_by: str
    decided_at: datetime
    reason: str | None
    amendment_due_on: date | None
    transfer_to_court: str | None
    case_id: str | None
    acceptance_number: str | None


class ReceptionInboxV1(BaseModel):
    awaiting: list[ReceptionItemV1]  # no decision yet, or returned for amendment
    decisions: list[ReceptionDecisionItemV1]  # newest first
