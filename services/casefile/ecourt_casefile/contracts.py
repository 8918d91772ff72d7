"""RPC contract of casefile: the dossier views and the case deadline, as the console receives them.

These belong in ``ecourt_shared.contracts.casefile`` (every RPC contract lives in shared/); they are kept
here until that module exists, with the same names and versions so that moving them changes no import
but this module's.

``get_dossier`` answers with one of two views, told apart by ``view``:

- ``"full"`` (``DossierFullV1``): for the president and the judge assigned to the case;
- ``"essentials"`` (``DossierEssentialsV1``): for any other staff member of the court.

The full view is a superset of the essentials, so a caller may read the essential fields of either.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ecourt_shared.contracts.events import CaseType, PartyRefV1, Stage


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
    kind: str  # case_received | case_assigned
    text_vi: str
    text_en: str


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


class CaseDeadlineV1(_View):
    case_id: str
    case_code: str
    status: str
    deadline: DeadlineViewV1 | None  # None when no rule applies or it could not be computed
