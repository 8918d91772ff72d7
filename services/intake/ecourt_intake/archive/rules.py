"""Validating a historical case: the reception identifier rules, plus the rules of an archive entry.

An archive entry keeps its ORIGINAL official number and dates, so they must agree with each other: the
number must be an acceptance number (TLST/TLPT) of the entry's year, case type and stage, and the day it
was accepted cannot lie in the future. Every problem is reported at once, field by field, so the CLI can
check a manifest locally and the service can refuse with the same words.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from ecourt_intake.archive.contract import HistoricalCaseV1
from ecourt_intake.domain.attachments import CheckedPdf, check_pdf, decode_base64
from ecourt_intake.domain.petition import ValidParty, validate_party_input
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.identifiers import CccdInfo, IdentifierError, OfficialNumber, normalize_name, parse_official_number


@dataclass(frozen=True)
class ValidDocument:
    filename: str
    title: str
    pdf: CheckedPdf

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf.data).hexdigest()


@dataclass(frozen=True)
class ValidHistoricalCase:
    case: HistoricalCaseV1
    court_id: str
    number: OfficialNumber
    parties: list[tuple[ValidParty, CccdInfo]]
    documents: list[ValidDocument]

    @property
    def acceptance_number(self) -> str:
        return str(self.number)

    @property
    def idempotency_key(self) -> str:
        """One archive entry per court and official number, whichever run or process imports it."""
        return f"archive:{self.court_id}:{self.acceptance_number}"

    def fingerprint(self) -> str:
        """What makes two imports 'the same case': normalized fields and document contents, not spellings."""
        body = {
            "court": self.court_id, "number": self.acceptance_number, "case_type": self.number.case_type,
            "stage": self.number.stage, "accepted_on": self.case.accepted_on.isoformat(),
            "subject": normalize_name(self.case.subject),
            "parties": [[p.role, p.cccd, p.full_name, p.date_of_birth and p.date_of_birth.isoformat(), p.sex,
                         p.phone_e164, p.address] for p, _ in self.parties],
            "documents": [[d.sha256, d.filename, d.title] for d in self.documents],
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _error(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


def _from_identifier(exc: IdentifierError, field: str) -> FieldError:
    return _error(field, exc.code, exc.message_vi, exc.message_en)


def check_number(case: HistoricalCaseV1) -> OfficialNumber | list[FieldError]:
    try:
        number = parse_official_number(case.acceptance_number)
    except IdentifierError as exc:
        return [_from_identifier(exc, "acceptance_number")]
    errors = []
    if not number.is_acceptance:
        errors.append(_error("acceptance_number", "archive.acceptance_number.not_acceptance",
                             f"'{case.acceptance_number}' không phải số thụ lý (TLST hoặc TLPT)",
                             f"'{case.acceptance_number}' is not an acceptance number (TLST or TLPT)"))
    if number.year != case.year:
        errors.append(_error("year", "archive.year.number_mismatch",
                             f"năm {case.year} khác năm {number.year} trong số thụ lý {number}",
                             f"year {case.year} differs from year {number.year} in acceptance number {number}"))
    if number.case_type != case.case_type:
        errors.append(_error("case_type", "archive.case_type.number_mismatch",
                             f"loại vụ án {case.case_type} khác ký hiệu {number.case_type} trong số {number}",
                             f"case type {case.case_type} differs from {number.case_type} in number {number}"))
    if number.is_acceptance and number.stage != case.stage:
        errors.append(_error("stage", "archive.stage.number_mismatch",
                             f"cấp xét xử {case.stage} khác cấp {number.stage} của số thụ lý {number}",
                             f"stage {case.stage} differs from stage {number.stage} of acceptance number {number}"))
    return errors or number


def check_dates(case: HistoricalCaseV1, today: date) -> list[FieldError]:
    errors = []
    if case.accepted_on.year != case.year:
        errors.append(_error("accepted_on", "archive.accepted_on.year_mismatch",
                             f"ngày thụ lý {case.accepted_on} không thuộc năm {case.year}",
                             f"acceptance day {case.accepted_on} is not in year {case.year}"))
    if case.accepted_on > today:
        errors.append(_error("accepted_on", "archive.accepted_on.future",
                             f"ngày thụ lý {case.accepted_on} ở tương lai: hồ sơ lưu trữ phải đã được thụ lý",
                             f"acceptance day {case.accepted_on} is in the future: an archived case was "
                             f"accepted in the past"))
    return errors


def check_parties(case: HistoricalCaseV1) -> tuple[list[tuple[ValidParty, CccdInfo]], list[FieldError]]:
    valid: list[tuple[ValidParty, CccdInfo]] = []
    errors: list[FieldError] = []
    for i, party in enumerate(case.parties):
        checked = validate_party_input(party, f"parties.{i}")
        if isinstance(checked, list):
            errors += checked
        else:
            valid.append(checked)
    return valid, errors


def check_documents(case: HistoricalCaseV1, max_bytes: int) -> tuple[list[ValidDocument], list[FieldError]]:
    valid: list[ValidDocument] = []
    errors: list[FieldError] = []
    for i, document in enumerate(case.documents):
        field = f"documents.{i}"
        data = decode_base64(document.content_base64, field)
        if isinstance(data, FieldError):
            errors.append(data)
            continue
        checked = check_pdf(data, max_bytes, field=field)
        if isinstance(checked, FieldError):
            errors.append(checked)
        else:
            valid.append(ValidDocument(filename=document.filename, title=document.title, pdf=checked))
    return valid, errors


def validate_historical_case(case: HistoricalCaseV1, court_id: str, today: date,
                             max_bytes: int) -> ValidHistoricalCase | list[FieldError]:
    """``court_id`` is the importing court; until courts' successor map exists, it must be the original one."""
    errors: list[FieldError] = []
    if case.original_court.strip().upper() != court_id:
        errors.append(_error("original_court", "archive.original_court.not_this_court",
                             f"hồ sơ của tòa {case.original_court} chỉ được nhập bởi chính tòa đó "
                             f"(tài khoản đang nhập thuộc tòa {court_id})",
                             f"a case of court {case.original_court} can only be imported by that court "
                             f"(the importing account belongs to {court_id})"))
    number = check_number(case)
    if isinstance(number, list):
        errors += number
    errors += check_dates(case, today)
    parties, party_errors = check_parties(case)
    documents, document_errors = check_documents(case, max_bytes)
    errors += party_errors + document_errors
    if errors:
        return errors
    assert isinstance(number, OfficialNumber)
    return ValidHistoricalCase(case=case, court_id=court_id, number=number, parties=parties, documents=documents)
