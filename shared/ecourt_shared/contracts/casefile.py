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

from pydantic import BaseModel, ConfigDict, Field

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


class DocumentVersionV1(_View):
    """One stored version of a dossier document (every version is kept; bytes in the court's bucket)."""

    version: int
    source: Literal["filed", "upload", "signed"]  # filed with the case, uploaded to the dossier, signed (ký số)
    sha256: str
    size: int
    content_type: str
    page_count: int
    bucket: str
    object_key: str
    filename: str
    added_at: datetime | None = None
    added_by: str | None = None
    added_by_name: str | None = None  # as the staff member is named on screens
    signer_role: str | None = None  # signed versions: judge | president | clerk
    signer_name: str | None = None
    in_effect: bool | None = None  # signed versions: this signature completed the required ones


class DossierDocumentV1(_View):
    document_id: str
    title: str
    filename: str
    content_type: str
    sha256: str  # of the latest version (so are size, page_count, bucket, object_key, filename)
    size: int
    page_count: int
    bucket: str
    object_key: str
    version: int
    # added with document versions (optional for older readers): every version, oldest first
    versions: list[DocumentVersionV1] = []
    kind: str | None = None  # a signed court document's template kind (summons, judgment, ...)
    status: str | None = None  # signed documents: signing | in_effect | sealed


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


class DossierPartyV1(_View):
    """A party as the full view shows it: the dossier's reference joined with intake's registry entry.

    ``cccd`` and ``phone`` are masked (``0792******21``, ``+8490****567``, rules in ``ecourt_shared.privacy``)
    unless the viewer asked to reveal them and may; ``masked`` says which. Without the registry (intake
    unreachable) only the reference fields are set and the view carries a notice.
    """

    party_id: str
    role: str
    is_minor: bool
    kind: str | None = None
    full_name: str | None = None
    cccd: str | None = None
    phone: str | None = None
    masked: bool = True


class NoticeV1(_View):
    """Something the viewer should know about the view itself (e.g. a part that could not be loaded)."""

    code: str
    message_vi: str
    message_en: str


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


class CaseNoteV1(_View):
    """A working note on the case (ghi chú nghiệp vụ): it belongs to the case, not to its judge, so it is carried over
    when the case changes judge; ``carried_over`` marks notes written under an earlier judge."""

    note_id: str
    text: str
    written_by: str
    written_by_name: str
    written_at: datetime
    judge_id_then: str | None  # the case's judge when the note was written
    carried_over: bool = False


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
    # added with need-to-know party details (optional for older readers):
    party_details: list[DossierPartyV1] = []  # names, role, minor flag; identifiers masked unless revealed
    revealed: bool = False  # True when this view shows unmasked identifiers (a logged reveal)
    # added with case notes (optional for older readers): the working notes, oldest first
    case_notes: list[CaseNoteV1] = []
    notices: list[NoticeV1] = []


class CaseDeadlineV1(_View):
    case_id: str
    case_code: str
    status: str
    deadline: DeadlineViewV1 | None  # None when no rule applies or it could not be computed


class CaseStandingV1(_View):
    """Who the caller is for a case, for other services' access checks (signing): no personal data, not logged.

    ``involved``: the caller is one of the people of the case (the president of its court, its judge or a member
    of its trial panel, its clerk), the same rule that gives the full dossier view; ``capacities``: the procedure's
    names for it (``president``, ``judge``, ``clerk``).
    """

    case_id: str
    case_code: str
    court_id: str
    involved: bool
    capacities: list[str]


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
    # added with court mergers, optional (older readers ignore them): the public name of the court that holds
    # the case now, so read models without the court registry (portal) can show it.
    court_name_vi: str | None = None
    court_name_en: str | None = None



# ---- publication of judgments and decisions (Resolution 03/2017/NQ-HĐTP) ---------------------------------------

class PublicationBlockV1(_View):
    """A rule of art. 4 of the resolution that forbids publishing now; ``reason`` is the judge's, for a flag."""

    code: str  # closed_hearing | state_secret | business_secret | customs | minor | personal_family_secret | …
    automatic: bool
    legal_basis_vi: str
    legal_basis_en: str
    text_vi: str
    text_en: str
    reason: str | None = None
    flagged_by: str | None = None


class PublicationDeadlineV1(_View):
    rule_id: str
    legal_effect_on: date  # the day the judgment or decision took legal effect (the deadline's trigger)
    due_on: date
    status: str  # open | met | missed
    legal_basis_vi: str
    legal_basis_en: str


class PublicationRecordV1(_View):
    document_id: str
    kind: Literal["judgment", "decision"] | None
    number: str | None
    title: str | None
    status: Literal["prepared", "returned", "approved", "released"] | None  # None: flagged, not yet prepared
    blocks: list[PublicationBlockV1]
    publishable: bool  # approved and nothing blocks it
    encoded_text: str | None
    aliases: list[str]  # the encoded names, in the order the persons were given
    replacements: dict[str, int]  # how many names, addresses, identity and phone numbers were encoded
    prepared_by: str | None
    prepared_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_reason: str | None
    released_by: str | None
    released_at: datetime | None


class PublicationStatusV1(_View):
    """What ``publication_status`` answers: the case's publication deadline and every document's record."""

    case_id: str
    case_code: str
    case_blocks: list[PublicationBlockV1]  # the automatic rules that hold for every document of the case
    deadline: PublicationDeadlineV1 | None  # None until a judgment or decision takes legal effect
    documents: list[PublicationRecordV1]


@register_event
class DocumentPublishedV1(EventPayload):
    """A judgment or decision was released for the portal: encoded text and public metadata only, no personal data."""

    event_type: ClassVar[str] = "document_published"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "casefile"
    case_id: str
    case_code: str
    document_id: str
    case_type: CaseType
    stage: Stage
    kind: Literal["judgment", "decision"]
    number: str  # e.g. 01/2026/DS-ST
    title: str
    issued_on: date | None
    legal_effect_on: date
    published_at: datetime
    text: str  # encoded per art. 7 of the resolution and reviewed by a person
    text_sha256: str


# ---- Lodging a filing received at reception (``lodge_filing``): appeals, protests, review petitions -----------

LodgingKind = Literal["appeal", "protest", "cassation_petition", "retrial_request"]
CountingBasisV1 = Literal["reception_date", "postmark", "detention_certified", "online_submission"]


class LodgingV1(BaseModel):
    """A filing accepted at a court's reception, to be recorded on the case it concerns.

    ``received_on`` is the day the court received it; ``counts_from`` the day it legally counts from by its
    channel (``counting_basis``: postmark, detention facility's certification, online submission, or the
    reception day itself). ``party_ids``: the appellants or petitioners, the first one leading.
    """

    model_config = ConfigDict(extra="forbid")
    kind: LodgingKind
    reception_id: str = Field(min_length=1, max_length=40)
    case_type: CaseType | None = None  # as registered at reception; must be the case's
    received_on: date
    counting_basis: CountingBasisV1 = "reception_date"
    counts_from: date
    party_ids: list[str] = Field(default_factory=list, max_length=50)
    protest_level: Literal["same_level", "higher_level"] | None = None  # the procuracy's level (protests)
    grounds_known_on: date | None = None  # retrial requests: when the new facts became known, if stated


class LodgingResultV1(_View):
    """What a lodged filing did: the step recorded, the date it counted from, where the case is after it.

    A retried ``lodge_filing`` with the same ``reception_id`` answers the same, with ``replayed: true``.
    """

    case_id: str
    case_code: str
    reception_id: str
    kind: LodgingKind
    step: str
    recorded_on: date
    filed_on: date  # the legal filing date the time limit was checked against
    court_id: str  # the court holding the case after the step (the appellate court after a first appeal)
    stage: Stage
    notes: list[ExplanationStepV1]
    replayed: bool = False
