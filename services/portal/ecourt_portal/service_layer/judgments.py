"""The public list of published judgments: kept from ``document_published``, searched by the public.

Search fields (all optional): ``case_code`` (any accepted spelling of the case id), ``court`` (court code),
``type`` (HS, DS, HNGĐ, KDTM, LĐ, HC), ``kind`` (judgment | decision), ``from`` / ``to`` (YYYY-MM-DD, on the
date of the judgment). A malformed field is a field-level error, never a server error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from ecourt_portal.adapters import published
from ecourt_portal.adapters.published import Search
from ecourt_shared.contracts.casefile import DocumentPublishedV1
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id

CONSUMER = "portal"
PAGE_SIZE = 50
CASE_TYPES = ("HS", "DS", "HNGĐ", "KDTM", "LĐ", "HC")
_COURT = re.compile(r"^[0-9A-Z]{2,20}$")


def record_published(uows: UnitOfWorkFactory, event: DocumentPublishedV1, envelope: EventEnvelope,
                     now: Callable[[], datetime]) -> bool:
    """Returns False for a redelivery. Raises ``IdentifierError`` for a bad case id (dead-lettered)."""
    case_id = parse_case_id(event.case_id).canonical
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return False
        published.upsert(
            uow, document_id=event.document_id, case_id=case_id, court_id=event.court_id, case_code=event.case_code,
            case_type=event.case_type, stage=event.stage, kind=event.kind, number=event.number, title=event.title,
            issued_on=event.issued_on, legal_effect_on=event.legal_effect_on,
            dated_on=event.issued_on or event.legal_effect_on, published_at=event.published_at, text=event.text,
            text_sha256=event.text_sha256)
        uow.commit()
    return True


def _error(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


def parse_search(params: Mapping[str, str]) -> tuple[Search, int, list[FieldError]]:
    """The search and page number from query parameters, with an error for each malformed field."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    code = params.get("case_code", "").strip()
    if code:
        try:
            values["case_id"] = parse_case_id(code).canonical
        except IdentifierError as exc:
            errors.append(_error("case_code", exc.code, exc.message_vi, exc.message_en))
    court = params.get("court", "").strip().upper()
    if court:
        if _COURT.match(court):
            values["court_id"] = court
        else:
            errors.append(_error("court", "search.bad_court", "Mã Tòa án chỉ gồm chữ và số, ví dụ 79KV01.",
                                 "a court code has letters and digits only, e.g. 79KV01"))
    case_type = unicodedata.normalize("NFC", params.get("type", "").strip().upper()).replace("D-", "Đ-")
    if case_type:
        fixed = {"HNGD": "HNGĐ", "LD": "LĐ"}.get(case_type, case_type)
        if fixed in CASE_TYPES:
            values["case_type"] = fixed
        else:
            errors.append(_error("type", "search.bad_type", f"Loại vụ án phải là một trong: {', '.join(CASE_TYPES)}.",
                                 f"the case type must be one of: {', '.join(CASE_TYPES)}"))
    kind = params.get("kind", "").strip()
    if kind:
        if kind in ("judgment", "decision"):
            values["kind"] = kind
        else:
            errors.append(_error("kind", "search.bad_kind", "Loại văn bản phải là bản án hoặc quyết định.",
                                 "the kind must be judgment or decision"))
    for field, key in (("from", "date_from"), ("to", "date_to")):
        raw = params.get(field, "").strip()
        if raw:
            try:
                values[key] = date.fromisoformat(raw)
            except ValueError:
                errors.append(_error(field, "search.bad_date", "Ngày phải có dạng YYYY-MM-DD.",
                                     "the date must be YYYY-MM-DD"))
    page = 1
    raw_page = params.get("page", "").strip()
    if raw_page:
        if raw_page.isdigit() and 1 <= int(raw_page) <= 10_000:
            page = int(raw_page)
        else:
            errors.append(_error("page", "search.bad_page", "Số trang phải từ 1 đến 10000.",
                                 "the page must be 1 to 10000"))
    return Search(**values), page, errors


def search(uows: UnitOfWorkFactory, query: Search, page: int) -> list[dict[str, Any]]:
    with uows() as uow:
        return published.search(uow, query, PAGE_SIZE, (page - 1) * PAGE_SIZE)


def document(uows: UnitOfWorkFactory, case_code: str, document_id: str) -> dict[str, Any] | None:
    try:
        case_id = parse_case_id(case_code).canonical
    except IdentifierError:
        return None
    with uows() as uow:
        return published.one(uow, case_id, document_id)
