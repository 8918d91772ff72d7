"""Validating a petition at reception: every problem is reported at once, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ecourt_intake.domain.attachments import CheckedPdf, check_pdf, decode_base64
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.contracts.intake import PartyInputV1, PetitionV1
from ecourt_shared.identifiers import CccdInfo, IdentifierError, normalize_name, normalize_phone, parse_cccd


@dataclass(frozen=True)
class ValidParty:
    role: str
    full_name: str
    cccd: str
    date_of_birth: date | None
    sex: str | None
    phone_e164: str | None
    address: str | None
    birth_year: int


@dataclass(frozen=True)
class ValidPetition:
    petition: PetitionV1
    parties: list[ValidParty]
    attachment: CheckedPdf

    def is_minor(self, party: ValidParty, on: date) -> bool:
        born = party.date_of_birth or date(party.birth_year, 12, 31)  # without a date, assume the latest
        return (on.year - born.year) - ((on.month, on.day) < (born.month, born.day)) < 18


def _identifier_error(exc: IdentifierError, field: str) -> FieldError:
    return FieldError(field=field, code=exc.code, message_vi=exc.message_vi, message_en=exc.message_en)


def validate_party_input(party: PartyInputV1, field: str) -> tuple[ValidParty, CccdInfo] | list[FieldError]:
    """One named party (CCCD required): the normalized party with its CCCD details, or its error under ``field``.

    The CCCD must agree with the date of birth and sex given; a bad CCCD is the only error reported for that
    party (its phone is not checked then).
    """
    try:
        cccd = parse_cccd(party.cccd, date_of_birth=party.date_of_birth, sex=party.sex)
    except IdentifierError as exc:
        return [_identifier_error(exc, f"{field}.cccd")]
    phone = None
    if party.phone:
        try:
            phone = normalize_phone(party.phone)
        except IdentifierError as exc:
            return [_identifier_error(exc, f"{field}.phone")]
    return ValidParty(role=party.role, full_name=normalize_name(party.full_name), cccd=cccd.number,
                      date_of_birth=party.date_of_birth, sex=party.sex or cccd.sex, phone_e164=phone,
                      address=party.address, birth_year=cccd.birth_year), cccd


def validate_petition(petition: PetitionV1, max_attachment_bytes: int) -> ValidPetition | list[FieldError]:
    errors: list[FieldError] = []
    parties: list[ValidParty] = []
    for role, vi in (("plaintiff", "nguyên đơn"), ("defendant", "bị đơn")):
        if not any(p.role == role for p in petition.parties):
            errors.append(FieldError(field="parties", code=f"parties.missing_{role}",
                                     message_vi=f"Đơn khởi kiện phải có ít nhất một {vi}.",
                                     message_en=f"a petition needs at least one {role}"))
    for i, party in enumerate(petition.parties):
        checked = validate_party_input(party, f"parties.{i}")
        if isinstance(checked, list):
            errors += checked
        else:
            parties.append(checked[0])
    attachment = _decode_attachment(petition, max_attachment_bytes)
    if isinstance(attachment, FieldError):
        errors.append(attachment)
    if errors:
        return errors
    assert isinstance(attachment, CheckedPdf)
    return ValidPetition(petition=petition, parties=parties, attachment=attachment)


def _decode_attachment(petition: PetitionV1, max_bytes: int) -> CheckedPdf | FieldError:
    data = decode_base64(petition.attachment.content_base64, "attachment")
    return data if isinstance(data, FieldError) else check_pdf(data, max_bytes)
