"""RPC contract of ``intake.import_historical_case``: one historical case with its documents' bytes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from ecourt_shared.contracts.events import CaseType, Stage
from ecourt_shared.contracts.intake import PartyInputV1

MAX_DOCUMENTS = 200


class HistoricalDocumentV1(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=255)
    title: str = Field(default="Tài liệu lưu trữ", min_length=1, max_length=255)
    content_base64: str


class HistoricalCaseV1(BaseModel):
    """A case accepted (thụ lý) before ecourt existed, as its paper file records it.

    Example::

        {"original_court": "79KV01", "year": 2019, "acceptance_number": "12/2019/TLST-DS",
         "case_type": "DS", "stage": "ST", "accepted_on": "2019-03-14",
         "subject": "Tranh chấp hợp đồng vay tài sản",
         "parties": [{"role": "plaintiff", "full_name": "Nguyễn Văn An", "cccd": "079090001234",
                      "date_of_birth": "1990-05-01", "sex": "male"}],
         "documents": [{"filename": "don-khoi-kien.pdf", "title": "Đơn khởi kiện",
                        "content_base64": "JVBERi0..."}]}
    """

    model_config = ConfigDict(extra="forbid")
    original_court: str = Field(min_length=1, max_length=20)
    year: int
    acceptance_number: str = Field(min_length=1, max_length=40)
    case_type: CaseType
    stage: Stage
    accepted_on: date
    subject: str = Field(min_length=3, max_length=500)
    parties: list[PartyInputV1] = Field(min_length=1)
    documents: list[HistoricalDocumentV1] = Field(min_length=1, max_length=MAX_DOCUMENTS)


class ArchiveImportResultV1(BaseModel):
    case_id: str
    case_code: str  # display form of the permanent id
    acceptance_number: str  # the ORIGINAL official number, canonical spelling
    accepted_on: date  # the historical day the acceptance counts from
    party_ids: list[str]
    document_ids: list[str]
    replayed: bool = False  # true when this exact case had been imported before
