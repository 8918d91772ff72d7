"""RPC contract of intake: filing a petition (đơn khởi kiện) and what the filer gets back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ecourt_shared.contracts.events import CaseType


class PartyInputV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["plaintiff", "defendant", "related"]
    full_name: str = Field(min_length=1, max_length=200)
    cccd: str = Field(min_length=1, max_length=20)
    date_of_birth: date | None = None
    sex: Literal["male", "female"] | None = None
    phone: str | None = Field(default=None, max_length=30)
    address: str | None = Field(default=None, max_length=500)


class AttachmentV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=255)
    title: str = Field(default="Đơn khởi kiện", max_length=255)
    content_base64: str


class PetitionV1(BaseModel):
    """A first-instance petition as reception enters it; the court is the filer's own court."""

    model_config = ConfigDict(extra="forbid")
    idempotency_key: str = Field(min_length=8, max_length=100)
    case_type: CaseType = "DS"
    subject: str = Field(min_length=3, max_length=500)
    channel: Literal["counter", "post", "online"] = "counter"
    postmark_date: date | None = None  # required for channel "post": the filing counts from the postmark
    parties: list[PartyInputV1]
    attachment: AttachmentV1


class FilingResultV1(BaseModel):
    case_id: str
    case_code: str  # display form of the permanent id
    acceptance_number: str
    accepted_at: datetime
    accepted_on: date
    receipt_secret: str  # given to the filer once; the portal asks for it with the case code
    document_ids: list[str]
    party_ids: list[str]
    replayed: bool = False
    reception_id: str | None = None  # the register entry the filing made (accepted at once)
    reception_number: str | None = None
