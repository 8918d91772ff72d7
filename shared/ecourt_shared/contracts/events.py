"""The events of the walking skeleton, named in the past tense and versioned.

Events carry only what their readers need: party personal data stays in intake's party registry
and is referenced by id (``party_id``), never copied onto the bus.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from ecourt_shared.contracts.envelope import EventPayload, register_event
from ecourt_shared.contracts.status import CaseStatus

CaseType = Literal["HS", "DS", "HNGĐ", "KDTM", "LĐ", "HC"]
Stage = Literal["ST", "PT", "GĐT", "TT"]


class DocumentRefV1(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    document_id: str
    title: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    page_count: int
    bucket: str
    object_key: str


class PartyRefV1(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    party_id: str
    role: Literal["plaintiff", "defendant", "related"]
    is_minor: bool


class DeadlineV1(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rule_id: str
    due_on: date
    legal_basis_vi: str
    legal_basis_en: str


@register_event
class CaseReceivedV1(EventPayload):
    """Intake accepted (thụ lý) a case and gave it its permanent id and acceptance number."""

    event_type: ClassVar[str] = "case_received"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "intake"
    case_id: str
    acceptance_number: str
    case_type: CaseType
    stage: Stage
    subject: str
    accepted_at: datetime
    accepted_on: date  # the legal day (Asia/Ho_Chi_Minh) the acceptance counts from
    parties: list[PartyRefV1]
    documents: list[DocumentRefV1]
    receipt_secret_hash: str  # the portal checks a citizen's receipt secret against it
    # "archive": a historical case brought in by `ecourt import`. Its periods ran years ago, so it gets no
    # computed deadline and does not enter the president's inbox; "filing" is every live reception.
    origin: Literal["filing", "archive"] = "filing"


class PanelMemberV1(BaseModel):
    """One seat of a trial panel (Hội đồng xét xử) as announced on the bus."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    member_id: str
    full_name: str
    kind: Literal["judge", "assessor"]
    seat: str  # presiding, judge-2, assessor-1, substitute-judge-1, …
    substitute: bool = False
    method: Literal["random", "designation", "assigned"] = "random"


@register_event
class CaseAssignedV1(EventPayload):
    """The president assigned a judge to a case, by random draw or by designation."""

    event_type: ClassVar[str] = "case_assigned"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "assignment"
    case_id: str
    judge_id: str
    judge_name: str
    method: Literal["random", "designation"]
    draw_id: str | None
    assigned_by: str
    assigned_at: datetime
    # added later, optional (older readers ignore them):
    seed_commitment: str | None = None  # SHA-256 of the draw's seed, published before the draw
    reason: str | None = None  # a designation's or a reassignment's reason, shown as such
    reassigned_from: str | None = None  # the judge the case was moved away from, on a reassignment
    # added with trial panels, optional: the panel (judges and lay assessors, presiding first, substitutes marked)
    # and the clerk, when the president has drawn or changed the panel
    panel: list[PanelMemberV1] | None = None
    clerk_id: str | None = None  # the clerk's user id (thư ký)
    clerk_name: str | None = None
    panel_draw_id: str | None = None


@register_event
class CaseProgressedV1(EventPayload):
    """The case's procedural state changed (casefile owns it); carries the next statutory deadline."""

    event_type: ClassVar[str] = "case_progressed"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "casefile"
    case_id: str
    case_type: CaseType
    stage: Stage
    status: CaseStatus  # ranked by ecourt_shared.contracts.status.status_rank in every read model
    deadline: DeadlineV1 | None
    # added with the procedural state machines, optional (older readers ignore them):
    step: str | None = None  # the procedural step recorded (decide_to_try, lodge_appeal, …); None on acceptance
    state: str | None = None  # casefile's finer machine state (e.g. "appealed", "transferred")
    from_court_id: str | None = None  # the court the case came from, when this step moved it to court_id
    # added for intake's need to know, optional: who the step made the case's clerk / sitting panel (user id and
    # member ids), when the step set them (assign_clerk, decide_to_try with a panel)
    clerk_id: str | None = None
    panel: list[str] | None = None
