"""Registering what arrives: kind, case type, roles, legal counting date and attachments, all checked at once.

Every problem is reported together, field by field, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ecourt_intake.domain.attachments import CheckedFile, check_attachment, decode_base64
from ecourt_intake.domain.clock import legal_day
from ecourt_intake.domain.parties import PartyDetails, validate_party
from ecourt_intake.domain.rules import kind_rule, reception_rules
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.contracts.reception import ReceptionV1
from ecourt_shared.identifiers import IdentifierError, parse_case_id, parse_official_number

CLOCK_SKEW = timedelta(minutes=5)  # an online gateway's clock may run slightly ahead of ours


@dataclass(frozen=True)
class ValidReceptionParty:
    role: str
    party_id: str | None  # a registered party referenced instead of retyped
    details: PartyDetails | None


@dataclass(frozen=True)
class ValidReception:
    reception: ReceptionV1
    stage: str | None
    counts_from: date
    counting_basis: str
    related_case_id: str | None  # permanent id, when the reference is one
    related_case_ref: str | None  # canonical spelling of whatever was referenced
    parties: list[ValidReceptionParty]
    attachments: list[CheckedFile]


def _e(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


def counting_date(item: ReceptionV1, received_at: datetime) -> tuple[date, str] | list[FieldError]:
    """The day a filing legally counts from (BLTTDS 2015 arts 190, 273), by channel; see reception_rules.yaml."""
    rule = reception_rules()["counting"][item.channel]
    received_on = legal_day(received_at)
    errors = [_e(name, f"{name}.not_for_channel", f"{name} chỉ dùng cho kênh {channel}, không dùng cho {item.channel}.",
                 f"{name} belongs to channel {channel}, not {item.channel}")
              for name, channel in (("postmark_date", "post"), ("detention_certified_date", "detention_facility"),
                                    ("submitted_at", "online"))
              if getattr(item, name) is not None and item.channel != channel]
    required = rule.get("requires")
    if required and getattr(item, required) is None:
        errors.append(_e(required, f"{required}.required", f"Kênh {item.channel} phải có {required} ({rule['vi']}; "
                         f"{rule['citation']}).", f"channel {item.channel} needs {required} ({rule['en']}; "
                         f"{rule['citation']})"))
    if errors:
        return errors
    if item.channel == "online":
        submitted = item.submitted_at or received_at
        if submitted.tzinfo is None:
            return [_e("submitted_at", "submitted_at.no_timezone", "Thời điểm gửi phải có múi giờ.",
                       "the submission time needs a time zone")]
        if submitted > received_at + CLOCK_SKEW:
            return [_e("submitted_at", "submitted_at.in_future", "Thời điểm gửi đơn ở tương lai.",
                       f"submission time {submitted.isoformat()} is in the future")]
        return legal_day(submitted), rule["basis"]
    day = getattr(item, required) if required else received_on
    if day > received_on:
        return [_e(str(required), f"{required}.after_reception",
                   f"{required} {day.isoformat()} sau ngày Tòa án nhận {received_on.isoformat()}.",
                   f"{required} {day.isoformat()} is after the day the court received it ({received_on.isoformat()})")]
    return day, rule["basis"]


def _related(item: ReceptionV1, rule: dict[str, object]) -> tuple[str | None, str | None, list[FieldError]]:
    if item.related_case is None:
        if rule.get("needs_related_case"):
            return None, None, [_e("related_case", "related_case.required",
                                   f"Loại '{item.kind}' phải nêu vụ án liên quan (mã vụ án hoặc số bản án).",
                                   f"kind '{item.kind}' must name the case it concerns (case id or official number)")]
        return None, None, []
    try:
        case = parse_case_id(item.related_case)
        return case.canonical, case.canonical, []
    except IdentifierError as id_error:
        if rule.get("related_case_in_court"):
            return None, None, [_e("related_case", id_error.code, id_error.message_vi, id_error.message_en)]
    try:
        return None, str(parse_official_number(item.related_case)), []
    except IdentifierError as exc:
        return None, None, [_e("related_case", exc.code, exc.message_vi, exc.message_en)]


def _parties(item: ReceptionV1) -> tuple[list[ValidReceptionParty], list[FieldError]]:
    parties, errors = [], []
    for i, party in enumerate(item.parties):
        field = f"parties.{i}"
        if party.party_id:
            extra = [k for k in party.model_fields_set if k not in ("party_id", "role", "kind")]
            if extra:
                errors.append(_e(f"{field}.party_id", "party_id.with_details",
                                 f"Đã chọn đương sự có sẵn thì không nhập lại thông tin ({', '.join(sorted(extra))}).",
                                 "a registered party is referenced by id only; do not retype "
                                 + ", ".join(sorted(extra))))
            parties.append(ValidReceptionParty(party.role, party.party_id, None))
            continue
        details = validate_party(party, field)
        if isinstance(details, list):
            errors += details
        else:
            parties.append(ValidReceptionParty(party.role, None, details))
    return parties, errors


def _attachments(item: ReceptionV1, max_bytes: int) -> tuple[list[CheckedFile], list[FieldError]]:
    checked: list[CheckedFile] = []
    errors: list[FieldError] = []
    for i, attachment in enumerate(item.attachments):
        field = f"attachments.{i}"
        data = decode_base64(attachment.content_base64, field)
        if isinstance(data, FieldError):
            errors.append(data)
            continue
        result = check_attachment(data, max_bytes, field)
        if isinstance(result, FieldError):
            errors.append(result)
        else:
            checked.append(result)
    return checked, errors


def validate_reception(item: ReceptionV1, received_at: datetime, max_bytes: int) -> ValidReception | list[FieldError]:
    rule = kind_rule(item.kind)
    errors: list[FieldError] = []
    allowed = rule.get("case_types") or []
    if allowed and item.case_type not in allowed:
        errors.append(_e("case_type", "case_type.not_for_kind",
                         f"Loại '{item.kind}' cần loại vụ án thuộc {', '.join(allowed)} (nhận: {item.case_type}).",
                         f"kind '{item.kind}' needs a case type among {', '.join(allowed)} (got {item.case_type})"))
    if not allowed and item.case_type is not None and item.kind == "dispatch":
        errors.append(_e("case_type", "case_type.not_for_kind", "Công văn không có loại vụ án.",
                         "a dispatch has no case type"))
    if rule.get("needs_sender") and not item.sender:
        errors.append(_e("sender", "sender.required", "Công văn phải ghi cơ quan gửi.",
                         "a dispatch must name the body that sent it"))
    for role in rule.get("roles") or []:
        if not any(p.role == role for p in item.parties):
            errors.append(_e("parties", f"parties.missing_{role}", f"Loại '{item.kind}' cần ít nhất một '{role}'.",
                             f"kind '{item.kind}' needs at least one {role} ({rule.get('citation', '')})"))
    counted = counting_date(item, received_at)
    if isinstance(counted, list):
        errors += counted
    related_id, related_ref, related_errors = _related(item, rule)
    parties, party_errors = _parties(item)
    attachments, attachment_errors = _attachments(item, max_bytes)
    errors += related_errors + party_errors + attachment_errors
    if errors:
        return errors
    assert not isinstance(counted, list)
    return ValidReception(item, rule.get("stage"), counted[0], counted[1], related_id, related_ref, parties,
                          attachments)
