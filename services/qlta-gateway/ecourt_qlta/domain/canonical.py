"""The canonical exchange model between ecourt and the SPC's QLTA (Hệ thống Quản lý Tòa án).

QLTA's API and field list are not public. ``QltaCaseRecord`` is **our best understanding** of what
QLTA tracks per case, named after the concepts a Vietnamese court reports on (mã Tòa án, mã vụ án,
số thụ lý, loại án, cấp xét xử, tình trạng giải quyết, thẩm phán được phân công, thời hạn)
**[verify every field against the SPC's QLTA field list when it is obtained]**. It is deliberately a
model of its own: the real adapter translates it to QLTA's wire format in one small, replaceable
piece (``adapters/qlta_client.py``), and nothing else in ecourt depends on QLTA's shape.

Change detection follows Brazil's PJe/MNI: each record has a content hash
(:func:`content_sha256`, SHA-256 of the canonical JSON), so the SPC can poll cheaply and fetch only
what changed, and reconciliation compares hashes instead of fields.

Personal data of parties is deliberately absent: events carry party ids only, and what QLTA needs
from the party registry is a question for the SPC [verify]; it would be added as a new schema
version, fetched from intake over RPC.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, field_validator

SCHEMA_VERSION: Final = "ecourt.qlta.case/1"


class QltaCaseRecord(BaseModel):
    """One case as QLTA should see it (schema ``ecourt.qlta.case/1``).

    Example::

        {"schema_version": "ecourt.qlta.case/1", "court_code": "79KV01", "case_code": "79KV01-2026-000123-65",
         "acceptance_number": "12/2026/TLST-DS", "acceptance_date": "2026-03-02",
         "case_type": "DS", "case_type_name": "Dân sự", "stage": "ST", "stage_name": "Sơ thẩm",
         "subject": "Tranh chấp hợp đồng vay tài sản",
         "status_code": "CHUAN_BI_XET_XU", "status_name": "Đang chuẩn bị xét xử", "status_date": "2026-03-05",
         "judge_code": "J-0007", "judge_name": "Lê Văn Cường", "assignment_method": "NGAU_NHIEN",
         "assignment_date": "2026-03-03", "deadline_date": "2026-07-02",
         "deadline_basis": "Điều 203 khoản 1 BLTTDS 2015"}
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal["ecourt.qlta.case/1"] = SCHEMA_VERSION
    court_code: str  # Mã Tòa án đang giải quyết (ecourt's court code; a QLTA code map may be needed [verify])
    case_code: str  # Mã vụ án: ecourt's permanent id, display form 79KV01-2026-000123-65
    acceptance_number: str | None = None  # Số thụ lý, e.g. 12/2026/TLST-DS
    acceptance_date: date | None = None  # Ngày thụ lý (legal day, Asia/Ho_Chi_Minh)
    case_type: str | None = None  # Loại án: HS, DS, HNGĐ, KDTM, LĐ, HC
    case_type_name: str | None = None  # Tên loại án
    stage: str | None = None  # Cấp xét xử / thủ tục: ST, PT, GĐT, TT
    stage_name: str | None = None
    subject: str | None = None  # Quan hệ pháp luật tranh chấp / trích yếu nội dung
    status_code: str | None = None  # Tình trạng giải quyết (see domain.codes; QLTA's own codes [verify])
    status_name: str | None = None
    status_date: date | None = None  # Ngày chuyển tình trạng
    judge_code: str | None = None  # Thẩm phán được phân công giải quyết
    judge_name: str | None = None
    assignment_method: str | None = None  # Hình thức phân công: NGAU_NHIEN (random) | CHI_DINH (designation)
    assignment_date: date | None = None
    deadline_date: date | None = None  # Thời hạn của giai đoạn hiện tại (chuẩn bị xét xử...)
    deadline_basis: str | None = None  # Căn cứ pháp lý của thời hạn
    # Added with transfers and court mergers: the case (same mã vụ án) came from another court. Left out of
    # the canonical JSON while empty (see TRANSFER_FIELDS), so records of cases never transferred keep the hash
    # they had before these fields existed and reconciliation sees no false drift.
    transferred_from_court_code: str | None = None  # Mã Tòa án đã chuyển vụ án đi
    transfer_reason: str | None = None  # CHUYEN_VU_AN (chuyển vụ án) | SAP_NHAP_TOA_AN (sáp nhập Tòa án)
    transfer_date: date | None = None  # Ngày chuyển

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> Any:
        # One spelling of every Vietnamese letter, so equal text always hashes equal.
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


TRANSFER_FIELDS: Final = ("transferred_from_court_code", "transfer_reason", "transfer_date")


def canonical_json(record: QltaCaseRecord) -> bytes:
    """Sorted keys, no whitespace, UTF-8, ISO dates, nulls kept (but for empty transfer fields): one byte
    string per content."""
    data = record.model_dump(mode="json")
    for name in TRANSFER_FIELDS:
        if data[name] is None:
            del data[name]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_sha256(record: QltaCaseRecord) -> str:
    """The record's change-detection hash (hex): equal content, equal hash, on every machine."""
    return hashlib.sha256(canonical_json(record)).hexdigest()
