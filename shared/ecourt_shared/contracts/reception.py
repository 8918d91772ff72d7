"""Contracts of the reception register and the party registry (intake).

Everything that arrives at a court is registered once (``ReceptionV1``), then decided on
(``ReceptionDecisionV1``): accepted (thụ lý, which emits ``CaseReceivedV1`` for case-opening kinds),
returned for amendment with a deadline, returned, or transferred to the competent court. Events carry
no personal data: parties are referenced by ``party_id`` in intake's registry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecourt_shared.contracts.casefile import LodgingResultV1
from ecourt_shared.contracts.envelope import EventPayload, register_event
from ecourt_shared.contracts.events import CaseType, Stage

ReceptionKind = Literal["dispatch", "petition", "indictment", "administrative_petition", "appeal", "protest",
                        "cassation_petition", "retrial_request", "supplement"]
ReceptionChannel = Literal["counter", "post", "online", "detention_facility"]
CountingBasis = Literal["reception_date", "postmark", "detention_certified", "online_submission"]
PartyKind = Literal["person", "organization", "lawyer", "procuracy"]
ReceptionRole = Literal["plaintiff", "defendant", "related", "appellant", "accused", "petitioner", "representative",
                        "procuracy", "sender"]
Decision = Literal["accept", "request_amendment", "return", "transfer"]
ReceptionStatus = Literal["received", "amendment_requested", "accepted", "returned", "transferred"]


class PartyInputV2(BaseModel):
    """A party as reception enters it: either ``party_id`` of a registered party, or its details."""

    model_config = ConfigDict(extra="forbid")
    party_id: str | None = Field(default=None, max_length=40)
    kind: PartyKind = "person"
    full_name: str | None = Field(default=None, min_length=1, max_length=200)
    cccd: str | None = Field(default=None, max_length=20)
    date_of_birth: date | None = None
    sex: Literal["male", "female"] | None = None
    phone: str | None = Field(default=None, max_length=30)
    address: str | None = Field(default=None, max_length=500)
    tax_code: str | None = Field(default=None, max_length=20)
    bar_number: str | None = Field(default=None, max_length=40)
    procuracy_code: str | None = Field(default=None, max_length=20)


class ReceptionPartyV1(PartyInputV2):
    role: ReceptionRole


class AttachmentInV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=255)
    title: str = Field(default="Tài liệu", max_length=255)
    content_base64: str


class ReceptionV1(BaseModel):
    """One item arriving at the court.

    The legal counting date comes from the channel: ``postmark_date`` for post, ``detention_certified_date``
    for a detainee's filing through the detention facility, ``submitted_at`` for online filings.
    """

    model_config = ConfigDict(extra="forbid")
    idempotency_key: str = Field(min_length=8, max_length=100)
    kind: ReceptionKind
    case_type: CaseType | None = None
    subject: str = Field(min_length=3, max_length=500)
    channel: ReceptionChannel = "counter"
    postmark_date: date | None = None
    detention_certified_date: date | None = None
    submitted_at: datetime | None = None
    sender: str | None = Field(default=None, max_length=300)  # issuing body of a dispatch (công văn)
    related_case: str | None = Field(default=None, max_length=60)  # permanent case id or official number
    parties: list[ReceptionPartyV1] = Field(default_factory=list)
    attachments: list[AttachmentInV1] = Field(min_length=1, max_length=50)


class DuplicateSuggestionV1(BaseModel):
    input_index: int
    party_id: str
    full_name: str
    date_of_birth: date | None


class ReceptionResultV1(BaseModel):
    reception_id: str
    reception_number: str
    kind: ReceptionKind
    status: ReceptionStatus
    received_at: datetime
    counts_from: date
    counting_basis: CountingBasis
    related_case_id: str | None
    party_ids: list[str]
    document_ids: list[str]
    duplicate_suggestions: list[DuplicateSuggestionV1] = []
    replayed: bool = False


class ReceptionDecisionV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reception_id: str = Field(min_length=1, max_length=40)
    decision: Decision
    reason: str | None = Field(default=None, max_length=2000)
    amendment_due_on: date | None = None
    transfer_to_court: str | None = Field(default=None, max_length=20)
    # Accepting an appeal, protest, cassation petition or retrial request: the permanent id of the case it concerns
    # when the register names only the judgment's number, and (protests) the procuracy's level.
    related_case_id: str | None = Field(default=None, max_length=40)
    protest_level: Literal["same_level", "higher_level"] | None = None


class DecisionResultV1(BaseModel):
    decision_id: str
    reception_id: str
    decision: Decision
    decided_by: str
    decided_at: datetime
    reason: str | None
    amendment_due_on: date | None
    transfer_to_court: str | None
    case_id: str | None = None
    case_code: str | None = None
    acceptance_number: str | None = None
    receipt_secret: str | None = None  # only in the answer to the accepting officer, never in an event
    lodging: LodgingResultV1 | None = None  # an accepted appeal, protest or petition: what casefile recorded


class PartyCorrectionV1(BaseModel):
    """A correction makes a new version of the party; the old one stays in its history."""

    model_config = ConfigDict(extra="forbid")
    party_id: str = Field(min_length=1, max_length=40)
    expected_version: int = Field(ge=1)
    reason: str = Field(min_length=3, max_length=1000)
    changes: dict[str, Any]


class PartyMergeV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    survivor_id: str = Field(min_length=1, max_length=40)
    merged_id: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=3, max_length=1000)


class PartyViewV1(BaseModel):
    party_id: str
    kind: PartyKind
    full_name: str
    cccd: str | None
    date_of_birth: date | None
    birth_year: int | None
    sex: str | None
    phone_e164: str | None
    address: str | None
    tax_code: str | None
    bar_number: str | None
    procuracy_code: str | None
    version: int
    merged_into: str | None


@register_event
class ReceptionRegisteredV1(EventPayload):
    """An item was entered in the reception register; it waits for a reception decision."""

    event_type: ClassVar[str] = "reception_registered"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "intake"
    reception_id: str
    reception_number: str
    kind: ReceptionKind
    case_type: CaseType | None
    stage: Stage | None
    channel: ReceptionChannel
    received_at: datetime
    counts_from: date
    counting_basis: CountingBasis
    related_case_id: str | None
    document_count: int
    party_count: int


@register_event
class ReceptionDecidedV1(EventPayload):
    """A reception decision: who decided what, when and why. ``accept`` of a case-opening kind is also
    announced by ``CaseReceivedV1`` (same transaction), which stays the event that opens a case."""

    event_type: ClassVar[str] = "reception_decided"
    version: ClassVar[int] = 1
    source: ClassVar[str] = "intake"
    decision_id: str
    reception_id: str
    reception_number: str
    kind: ReceptionKind
    case_type: CaseType | None
    decision: Decision
    decided_by: str
    decided_at: datetime
    reason: str | None
    amendment_due_on: date | None
    transfer_to_court: str | None
    case_id: str | None  # the opened case (accept) or the existing case (supplement, appeal...)
    acceptance_number: str | None
