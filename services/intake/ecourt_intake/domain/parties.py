"""The party registry's rules: what identifies each kind of party, and how entries are normalized.

A person is identified by CCCD, an organization by tax code, a lawyer by bar number, a procuracy by its
code. Names are stored in NFC and searched without diacritics. A person without any identifier can only
be suggested as a duplicate (same name and date of birth), never silently matched.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.contracts.reception import PartyInputV2
from ecourt_shared.identifiers import (
    IdentifierError,
    normalize_name,
    normalize_phone,
    parse_bar_number,
    parse_cccd,
    parse_procuracy_code,
    parse_tax_code,
)

ADULT_AGE = 18  # Civil Code 2015, art. 20(1)
IDENTITY_FIELD = {"person": "cccd", "organization": "tax_code", "lawyer": "bar_number", "procuracy": "procuracy_code"}
CORRECTABLE = ("full_name", "cccd", "date_of_birth", "sex", "phone", "address", "tax_code", "bar_number",
               "procuracy_code")


@dataclass(frozen=True)
class PartyDetails:
    kind: str
    full_name: str
    cccd: str | None = None
    date_of_birth: date | None = None
    birth_year: int | None = None
    sex: str | None = None
    phone_e164: str | None = None
    address: str | None = None
    tax_code: str | None = None
    bar_number: str | None = None
    procuracy_code: str | None = None

    @property
    def identity(self) -> tuple[str, str] | None:
        """(column, value) that makes this party the same as a registered one, if it has an identifier."""
        column = IDENTITY_FIELD[self.kind]
        value = getattr(self, column)
        if value is None and self.cccd is not None:
            return ("cccd", self.cccd)
        return (column, value) if value is not None else None

    def is_minor(self, on: date) -> bool:
        """Under 18 on ``on``; with only a birth year, that whole year counts as minor (hiding is recoverable)."""
        if self.kind != "person":
            return False
        if self.date_of_birth is not None:
            born = self.date_of_birth
            return (on.year - born.year) - ((on.month, on.day) < (born.month, born.day)) < ADULT_AGE
        return self.birth_year is not None and on.year - self.birth_year <= ADULT_AGE

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def _err(field: str, exc: IdentifierError) -> FieldError:
    return FieldError(field=field, code=exc.code, message_vi=exc.message_vi, message_en=exc.message_en)


def _missing(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


def validate_party(party: PartyInputV2, field: str) -> PartyDetails | list[FieldError]:
    """Normalize one party's details or say, field by field, which rule each value breaks."""
    errors: list[FieldError] = []
    details = PartyDetails(kind=party.kind, full_name=normalize_name(party.full_name or ""),
                           address=party.address)
    if party.cccd:
        try:
            info = parse_cccd(party.cccd, date_of_birth=party.date_of_birth, sex=party.sex)
            details = replace(details, cccd=info.number, birth_year=info.birth_year, sex=party.sex or info.sex)
        except IdentifierError as exc:
            errors.append(_err(f"{field}.cccd", exc))
    else:
        details = replace(details, sex=party.sex, birth_year=party.date_of_birth.year if party.date_of_birth else None)
    details = replace(details, date_of_birth=party.date_of_birth)
    parsers = (("phone", normalize_phone, "phone_e164"), ("tax_code", lambda v: parse_tax_code(v).number, "tax_code"),
               ("bar_number", parse_bar_number, "bar_number"), ("procuracy_code", parse_procuracy_code,
                                                                "procuracy_code"))
    for name, parse, column in parsers:
        raw = getattr(party, name)
        if raw:
            try:
                details = replace(details, **{column: parse(raw)})
            except IdentifierError as exc:
                errors.append(_err(f"{field}.{name}", exc))
    if party.kind == "procuracy" and not details.full_name and details.procuracy_code:
        details = replace(details, full_name=f"Viện kiểm sát nhân dân {details.procuracy_code}")
    if not details.full_name:
        errors.append(_missing(f"{field}.full_name", "party.full_name_required", "Phải nhập họ tên hoặc tên.",
                               "a name is required"))
    required = {"lawyer": "bar_number", "procuracy": "procuracy_code"}.get(party.kind)
    if required and not getattr(party, required):
        errors.append(_missing(f"{field}.{required}", f"party.{required}_required",
                               f"Đương sự loại {party.kind} phải có {required}.",
                               f"a party of kind {party.kind} needs a {required}"))
    if party.kind != "person" and party.date_of_birth:
        errors.append(_missing(f"{field}.date_of_birth", "party.date_of_birth_not_for_kind",
                               "Chỉ cá nhân mới có ngày sinh.", "only a person has a date of birth"))
    return errors or details
