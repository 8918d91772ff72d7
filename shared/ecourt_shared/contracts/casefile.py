"""RPC contracts and events of casefile: dossier views, deadlines, steps, publication; deadline and transfer events.

``get_dossier`` answers with one of two views, told apart by ``view``:

- ``"full"`` (``DossierFullV1``): for the president, the assigned judge and panel, and the clerk of the case;
- ``"essentials"`` (``DossierEssentialsV1``): for any other staff member of the court.

The full view is a superset of the essentials, so a caller may read the essential fields of either.
Every deadline a view carries has its legal basis and the counting steps.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from ecourt_shared.contracts.envelope import EventPayload, register_event
from ecourt_shared.contracts.events import CaseType, DeadlineV1, PartyRefV1, Stage


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExplanationStepV1(_View):
    vi: str
    en: str


class DeadlineViewV1(_View):
    """A statutory deadline with its legal basis and how it was counted (steps a clerk can check by hand)."""

    rule_id: str
    rule_version: int
    due_on: date
    legal_basis_vi: str
    legal_basis_en: str
    explanation: list[ExplanationStepV1]
    needs_verification: bool  # a provision or day off on the way is marked [verify] in the legal data
    computed_at: datetime


class DossierDocumentV1(_View):
    document_id: str
    title: str
    filename: str
    content_type: str
    sha256: str
    size: int
    page_count: int
    bucket: str
    object_key: str
    version: int


class TimelineEntryV1(_View):
    at: datetime
    kind: str  # case_received | case_assigned | step:<name>
    text_vi: str
    text_en: str


class StageViewV1(_View):
    seq: int
    stage: Stage
    court_id: str
    opened_on: date
    opened_by: str
    outcome: str | None


class HearingViewV1(_View):
    stage: Stage
    court_id: str
    hearing_on: date
    room: str
    panel: list[str]


class DossierEssentialsV1(_View):
    view: Literal["essentials"] = "essentials"
    case_id: str
    case_code: str
    court_id: str
    case_type: CaseType
    stage: Stage
    status: str
    judge_id: str | None
    next_deadline_on: date | None


class DossierFullV1(_View):
    view: Literal["full"] = "full"
    case_id: str
    case_code: str
    court_id: str
    case_type: CaseType
    stage: Stage
    status: str
    judge_id: str | None
    next_deadline_on: date | None
    judge_name: str | None = None
    acceptance_number: str
    subject: str
    accepted_at: datetime
    accepted_on: date
    parties: list[PartyRefV1]
    documents: list[DossierDocumentV1]
    timeline: list[TimelineEntryV1]
    deadline: DeadlineViewV1 | None
    # added with the procedure machines (optional for older readers):
    state: str | None = None
    stages: list[StageViewV1] = []
    hearings: list[HearingViewV1] = []
    deadlines: list[DeadlineViewV1] = []  # every running deadline, each with its legal basis
    panel: list[str] = []
    clerk_id: str | None = None


class CaseDeadlineV1(_View):
    case_id: str
    case_code: str
    status: str
    deadline: DeadlineViewV1 | None  # None when no rule applies or it could not be computed


class StepResultV1(_View):
    """What ``record_step`` answers: the case after the step."""

    case_id: str
    case_code: str
    court_id: str
    stage: Stage
    state: str
    status: str
    step: str
    deadlines: list[DeadlineViewV1]
    notes: list[ExplanationStepV1]  # how a guard was met (postmark date, late appeal accepted, waiver)



@register_event
class DeadlineApproachingV1(EventPayload):
    """A running statutory deadline of a case falls due within the warning period (sent once per deadline)."""

    event_type: ClassVar[str] = "deadline_approaching"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "casefile"
    case_id: str
    stage: Stage
    judge_id: str | None
    deadline: DeadlineV1
    days_left: int


@register_event
class DeadlineMissedV1(EventPayload):
    """A running statutory deadline of a case passed without the step it governs (sent once per deadline)."""

    event_type: ClassVar[str] = "deadline_missed"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "casefile"
    case_id: str
    stage: Stage
    judge_id: str | None
    deadline: DeadlineV1
    days_over: int


@register_event
class CaseTransferredV1(EventPayload):
    """A case moved to another court (transfer, or the merger of its court): same permanent id, same history.

    ``court_id`` is the court that holds the case now; ``from_court_id`` the one it left.
    """

    event_type: ClassVar[str] = "case_transferred"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "casefile"
    case_id: str
    from_court_id: str
    stage: Stage
    reason: Literal["transfer", "merger"]
    transferred_on: date

