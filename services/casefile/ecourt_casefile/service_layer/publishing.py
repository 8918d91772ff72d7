"""Publishing a case's judgments and decisions on the portal (Resolution 03/2017/NQ-HĐTP).

flag (the judge records a secret category with its reason, or lifts it) -> prepare (a judgment or decision of the
dossier that took effect as a signed document; its text read from signing, the parties' names from intake's
registry; names, addresses, identity and phone numbers encoded) -> review by another person (approve, or return
with a reason) -> release (``document_published`` to the portal, the publication deadline met). Every step is one
transaction under the case's lock, with its ledger entry. Only the case's judge or panel, its clerk and the
court's president act; another court's case is ``NotFound``. Release re-checks art. 4 at that moment and names
the rule that blocks it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import eventlet

from ecourt_casefile import ledger
from ecourt_casefile.adapters import publications as repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.parties import RegistryUnavailable
from ecourt_casefile.domain.access import capacities
from ecourt_casefile.domain.document_versions import find_document
from ecourt_casefile.domain.publication import (
    FLAGGABLE,
    RULES,
    BlockRule,
    CaseFacts,
    Person,
    PublicationRefused,
    Status,
    blocks,
    check_transition,
    encode,
)
from ecourt_casefile.domain.publication.source import Source, publishable_source
from ecourt_casefile.domain.publication.workflow import ACTORS
from ecourt_casefile.service_layer.viewing import canonical_case_id, not_found
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.casefile import (
    DocumentPublishedV1,
    PublicationBlockV1,
    PublicationDeadlineV1,
    PublicationRecordV1,
    PublicationStatusV1,
)
from ecourt_shared.contracts.errors import Conflict, FieldError, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)
MAX_TEXT = 500_000
SIGNING_TIMEOUT = 10.0
_DOCUMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _refused(exc: PublicationRefused) -> RequestRejected:
    return RequestRejected.single(exc.field, exc.code, exc.message_vi, exc.message_en)


def _acting(uow: UnitOfWork, principal: Principal, case_id: str, action: str) -> repository.CaseState:
    """The case under lock, if the caller may take ``action`` on it (else NotFound / PermissionDenied)."""
    repository.lock_case(uow, case_id)
    state = repository.case_state_of(uow, case_id, court_id=principal.court_id)
    if state is None:
        raise not_found(case_id)
    acting = capacities(principal, state.court_id, state.judge_id, state.panel, state.clerk_id, None)
    if not acting & ACTORS[action]:
        who = ", ".join(sorted(ACTORS[action]))
        raise PermissionDenied({"message_vi": f"Chỉ {who} của vụ án được thực hiện việc này.",
                                "message_en": f"only the case's {who} may do this"})
    return state


def _facts(uow: UnitOfWork, dossiers: DossierStore, state: repository.CaseState) -> CaseFacts:
    dossier = dossiers.get(state.case_id) or {}
    return CaseFacts(closed_hearing=bool(state.attributes.get("closed_hearing")),
                     has_minor=any(p.get("is_minor") for p in dossier.get("parties", [])),
                     in_effect=repo.publication_deadline(uow, state.case_id) is not None)


def _block_view(rule: BlockRule, flag: dict[str, Any] | None = None) -> PublicationBlockV1:
    return PublicationBlockV1(code=rule.code, automatic=rule.automatic, legal_basis_vi=rule.citation_vi,
                              legal_basis_en=rule.citation_en, text_vi=rule.reason_vi, text_en=rule.reason_en,
                              reason=(flag or {}).get("reason"), flagged_by=(flag or {}).get("by"))


def _record_view(row: dict[str, Any], facts: CaseFacts) -> PublicationRecordV1:
    flags = row.get("flags") or {}
    found = [_block_view(rule, flags.get(rule.code)) for rule in blocks(facts, flags)]
    status = row.get("status")
    return PublicationRecordV1(
        document_id=row["document_id"], kind=row.get("kind"), number=row.get("number"), title=row.get("title"),
        status=status, blocks=found, publishable=status == Status.APPROVED and not found,
        encoded_text=row.get("encoded_text"), aliases=row.get("aliases") or [],
        replacements=row.get("replacements") or {}, prepared_by=row.get("prepared_by"),
        prepared_at=row.get("prepared_at"), reviewed_by=row.get("reviewed_by"), reviewed_at=row.get("reviewed_at"),
        review_reason=row.get("review_reason"), released_by=row.get("released_by"),
        released_at=row.get("released_at"))


def _status(uow: UnitOfWork, dossiers: DossierStore, state: repository.CaseState) -> PublicationStatusV1:
    facts = _facts(uow, dossiers, state)
    d = repo.publication_deadline(uow, state.case_id)
    deadline = None if d is None else PublicationDeadlineV1(
        rule_id=d["rule_id"], legal_effect_on=d["trigger_on"], due_on=d["due_on"], status=d["status"],
        legal_basis_vi=d["legal_basis_vi"], legal_basis_en=d["legal_basis_en"])
    return PublicationStatusV1(
        case_id=state.case_id, case_code=format_case_id(state.case_id),
        case_blocks=[_block_view(rule) for rule in blocks(facts, ())], deadline=deadline,
        documents=[_record_view(row, facts) for row in repo.records_of(uow, state.case_id)])


def publication_status(principal: Principal, case_id: str, uows: UnitOfWorkFactory,
                       dossiers: DossierStore) -> PublicationStatusV1:
    case_id = canonical_case_id(case_id)
    with uows() as uow:
        state = _acting(uow, principal, case_id, "review")
        return _status(uow, dossiers, state)


# ---- input checks -------------------------------------------------------------------------------------------

def _document_id(value: object) -> str:
    if not isinstance(value, str) or not _DOCUMENT_ID.match(value):
        raise RequestRejected.single("document_id", "publication.bad_document_id",
                                     "Mã văn bản không hợp lệ (1–64 ký tự chữ, số, '.', '_', '-').",
                                     "the document id must be 1-64 letters, digits, '.', '_' or '-'")
    return value


def _reason(value: object, field: str = "reason") -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        raise RequestRejected.single(field, "publication.reason_required", "Phải ghi rõ lý do (tối đa 2000 ký tự).",
                                     "a reason is required (at most 2000 characters)")
    return " ".join(value.split())


def _text_field(errors: list[FieldError], data: dict[str, Any], name: str, limit: int, required: bool = True) -> Any:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        errors.append(FieldError(field=name, code="publication.bad_field",
                                 message_vi=f"Trường '{name}' là chuỗi bắt buộc, tối đa {limit} ký tự.",
                                 message_en=f"'{name}' is required text of at most {limit} characters"))
        return None
    return value.strip()


def _persons(errors: list[FieldError], value: object) -> list[tuple[int, Person]]:
    """Further persons the caller names (witnesses, victims named in the text), besides the registry's parties."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 200:
        errors.append(FieldError(field="persons", code="publication.bad_persons",
                                 message_vi="Danh sách người cần mã hóa thêm tối đa 200 người.",
                                 message_en="list at most 200 further persons to encode"))
        return []
    persons = []
    for i, item in enumerate(value):
        name = item.get("name") if isinstance(item, dict) else None
        address = item.get("address") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.split() or len(name) > 200:
            errors.append(FieldError(field=f"persons[{i}].name", code="publication.bad_name",
                                     message_vi="Họ tên là bắt buộc, tối đa 200 ký tự.",
                                     message_en="the name is required, at most 200 characters"))
            continue
        if address is not None and (not isinstance(address, str) or len(address) > 500):
            errors.append(FieldError(field=f"persons[{i}].address", code="publication.bad_address",
                                     message_vi="Địa chỉ tối đa 500 ký tự.", message_en="at most 500 characters"))
            continue
        persons.append((i, Person(name=name, address=address)))
    return persons


# ---- the steps ----------------------------------------------------------------------------------------------

def flag_publication(principal: Principal, case_id: str, document_id: str, category: str, reason: str,
                     lift: bool, uows: UnitOfWorkFactory, dossiers: DossierStore,
                     now: Clock) -> PublicationStatusV1:
    """Record (or lift) a category of art. 4 the judge found in the document, with the reason."""
    case_id, document_id = canonical_case_id(case_id), _document_id(document_id)
    if category not in FLAGGABLE:
        raise RequestRejected.single("category", "publication.bad_category",
                                     f"Loại hạn chế phải là một trong: {', '.join(FLAGGABLE)}.",
                                     f"the category must be one of: {', '.join(FLAGGABLE)}")
    reason = _reason(reason)
    instant = now()
    with uows() as uow:
        state = _acting(uow, principal, case_id, "flag")
        row = repo.record_of(uow, case_id, document_id) or {}
        if row.get("status") == Status.RELEASED:
            raise RequestRejected.single("document_id", "publication.already_released",
                                         "Văn bản đã được công bố.", "the document is already published")
        flags = dict(row.get("flags") or {})
        if lift:
            flags.pop(category, None)
        else:
            flags[category] = {"reason": reason, "by": principal.user_id, "at": instant.isoformat()}
        repo.save(uow, case_id, document_id, court_id=state.court_id, flags=flags, updated_at=instant)
        ledger.append(uow, case_id, state.court_id, "publication.unflag" if lift else "publication.flag", {
            "document_id": document_id, "category": category, "reason": reason, "by": principal.user_id,
            "legal_basis": RULES[category].citation_vi}, instant)
        result = _status(uow, dossiers, state)
        uow.commit()
    return result


@dataclass(frozen=True)
class TextSources:
    """Where :func:`prepare_publication` reads what it encodes, asked with the caller's own token.

    ``signed_text(document_id)``: signing's ``document_text`` answer (the signed version's text, its sha256, case,
    number, date). ``parties(party_ids)``: intake's registry entries by party id (``adapters.parties``).
    """

    signed_text: Callable[[str], dict[str, Any]]
    parties: Callable[[list[str]], dict[str, dict[str, Any]]]


def signing_text(signing_rpc: Any, token: str, timeout: float = SIGNING_TIMEOUT) -> Callable[[str], dict[str, Any]]:
    """``TextSources.signed_text`` over nameko RPC to ``signing.document_text``, bounded by ``timeout`` seconds."""
    def fetch(document_id: str) -> dict[str, Any]:
        reply = signing_rpc.document_text.call_async(token=token, document_id=document_id)
        with eventlet.Timeout(timeout):
            return dict(reply.result())
    return fetch


def _unavailable(what_vi: str, what_en: str, exc: BaseException) -> Conflict:
    log.warning("publication: %s unavailable: %s: %s", what_en, type(exc).__name__, exc)
    return Conflict({"message_vi": f"{what_vi} không trả lời; hãy thử lại sau.",
                     "message_en": f"{what_en} did not answer; try again later"})


def _signed_text(sources: TextSources, case_id: str, document_id: str, source: Source) -> dict[str, Any]:
    """Signing's text of the document, checked to be the very version the dossier holds."""
    try:
        answer = sources.signed_text(document_id)
    except (NotFound, PermissionDenied, RequestRejected):
        raise  # signing's own answer about the document, passed on as it is
    except (Exception, eventlet.Timeout) as exc:  # no signing queue, a broken connection, no answer in time
        raise _unavailable("Dịch vụ ký số", "the signing service", exc) from None
    if canonical_case_id(str(answer.get("case_id"))) != case_id or answer.get("sha256") != source.sha256:
        raise RequestRejected.single(
            "document_id", "publication.signed_version_mismatch",
            "Bản đã ký trong dịch vụ ký số khác với bản trong hồ sơ vụ án; hãy chờ hồ sơ cập nhật rồi thử lại.",
            "the signed version held by signing differs from the one in the case's dossier; wait for the dossier "
            "to catch up and try again")
    return answer


def _registry_persons(sources: TextSources, dossier: dict[str, Any]) -> list[tuple[str, Person]]:
    """The natural persons among the case's parties, by name from intake's registry (``parties[<id>]``, person).

    The registry gives names, not addresses (``intake.dossier_parties`` returns name, kind and masked CCCD /
    phone): a party's address is reduced only where the text writes it as the anonymizer's address pattern
    recognises (local units, then the province), or where the caller lists it under ``persons``.
    """
    party_ids = [p["party_id"] for p in dossier.get("parties", []) if p.get("party_id")]
    if not party_ids:
        return []
    try:
        found = sources.parties(party_ids)
    except RegistryUnavailable as exc:
        raise _unavailable("Sổ đăng ký đương sự (tiếp nhận)", "the party registry (intake)", exc) from None
    missing = [pid for pid in party_ids if pid not in found]
    if missing:  # a name we cannot see is a name we cannot encode: never publish around it
        raise Conflict({"message_vi": "Sổ đăng ký đương sự không cho biết tên của mọi đương sự trong vụ án "
                                      f"({', '.join(missing)}); chưa mã hóa được.",
                        "message_en": "the party registry did not give the name of every party of the case "
                                      f"({', '.join(missing)}); the text cannot be encoded yet"})
    return [(f"parties[{pid}]", Person(name=found[pid]["full_name"])) for pid in party_ids
            if found[pid].get("kind", "person") == "person" and found[pid].get("full_name")]


def _signed_details(errors: list[FieldError], data: dict[str, Any], source: Source,
                    answer: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """Number, title and issue date of a signed document: signing's, unless the caller states them (the judgment's
    own number, when the template shows the case's acceptance number)."""
    if data.get("text") is not None:
        errors.append(FieldError(field="text", code="publication.text_from_signing",
                                 message_vi="Văn bản đã ký số: nội dung lấy từ bản đã ký, không nhập tay.",
                                 message_en="a signed document's text comes from its signed version, not from "
                                            "the caller"))
    if data.get("kind") is not None and data.get("kind") != source.kind:
        errors.append(FieldError(field="kind", code="publication.kind_mismatch",
                                 message_vi=f"Văn bản trong hồ sơ là '{source.kind}'.",
                                 message_en=f"the dossier's document is a '{source.kind}'"))
    number = _text_field(errors, data, "number", 60, required=False) or answer.get("number")
    title = _text_field(errors, data, "title", 300, required=False) or answer.get("title") or source.title
    if data.get("issued_on") is not None:
        return number, title, data["issued_on"]
    try:  # the template's date is typed text: used when it is a date, else the portal shows none
        return number, title, date.fromisoformat(str(answer.get("issued_on"))).isoformat()
    except ValueError:
        return number, title, None


def prepare_publication(principal: Principal, case_id: str, document_id: str, data: dict[str, Any],
                        uows: UnitOfWorkFactory, dossiers: DossierStore, sources: TextSources,
                        now: Clock) -> PublicationStatusV1:
    """Encode a judgment or decision of the dossier and store the encoded version for review.

    The document must be in the case's dossier, be a judgment or decision the resolution publishes, and have
    taken effect as a signed document; its text is then the signed version's, read from signing. Only for a
    scan a clerk uploaded (version source ``upload``) does the caller type or paste the text, with ``kind``,
    ``number`` and ``title`` (OCR is out of scope). The persons encoded are the case's parties from intake's
    registry plus those the caller adds under ``persons`` (witnesses, victims named in the text). The original
    text is not stored, only its SHA-256.
    """
    case_id, document_id = canonical_case_id(case_id), _document_id(document_id)
    with uows() as uow:  # who may, and the record's status, before anything is fetched
        state = _acting(uow, principal, case_id, "prepare")
        _check_prepare(repo.record_of(uow, case_id, document_id))
    dossier = dossiers.get(case_id) or {}
    try:
        source = publishable_source(find_document(dossier, document_id), document_id)
    except PublicationRefused as exc:
        raise _refused(exc) from None

    errors: list[FieldError] = []
    if source.origin == "signed":
        answer = _signed_text(sources, case_id, document_id, source)
        kind: str | None = source.kind
        number, title, issued_raw = _signed_details(errors, data, source, answer)
        text = answer["text"]
    else:
        kind = data.get("kind")
        if kind not in ("judgment", "decision"):
            errors.append(FieldError(field="kind", code="publication.bad_kind",
                                     message_vi="Loại văn bản phải là 'judgment' (bản án) hoặc 'decision' "
                                                "(quyết định).",
                                     message_en="kind must be 'judgment' or 'decision'"))
        number = _text_field(errors, data, "number", 60)
        title = _text_field(errors, data, "title", 300)
        text = _text_field(errors, data, "text", MAX_TEXT)
        issued_raw = data.get("issued_on")
    issued_on = None
    if issued_raw is not None:
        try:
            issued_on = date.fromisoformat(str(issued_raw))
        except ValueError:
            errors.append(FieldError(field="issued_on", code="publication.bad_date",
                                     message_vi="Ngày phải có dạng YYYY-MM-DD.",
                                     message_en="the date must be YYYY-MM-DD"))
    extra = _persons(errors, data.get("persons"))
    if errors:
        raise RequestRejected.of(errors)
    named = [*_registry_persons(sources, dossier), *[(f"persons[{i}].name", p) for i, p in extra]]
    encoded = encode(text, [p for _, p in named])
    if encoded.leaks:
        raise RequestRejected.of([FieldError(
            field=named[i][0], code="publication.name_left",
            message_vi="Tên người này vẫn còn trong văn bản (có thể viết không dấu, trùng với người khác): "
                       "hãy sửa văn bản hoặc khai thêm cách viết đó.",
            message_en="this person's name is still in the text (perhaps written without diacritics and "
                       "shared with another person): fix the text or list that spelling too") for i in encoded.leaks])
    instant = now()
    with uows() as uow:
        state = _acting(uow, principal, case_id, "prepare")
        _check_prepare(repo.record_of(uow, case_id, document_id))
        source_sha = hashlib.sha256(text.encode()).hexdigest()
        repo.save(uow, case_id, document_id, court_id=state.court_id, kind=kind, number=number, title=title,
                  issued_on=issued_on, status=Status.PREPARED.value, source_sha256=source_sha,
                  encoded_text=encoded.text, aliases=encoded.aliases, replacements=encoded.counts,
                  prepared_by=principal.user_id, prepared_at=instant, reviewed_by=None, reviewed_at=None,
                  review_reason=None, updated_at=instant)
        ledger.append(uow, case_id, state.court_id, "publication.prepare", {
            "document_id": document_id, "kind": kind, "number": number, "source_sha256": source_sha,
            "origin": source.origin, "document_version": source.version, "document_sha256": source.sha256,
            "encoded_sha256": hashlib.sha256(encoded.text.encode()).hexdigest(), "replacements": encoded.counts,
            "persons": len(named), "by": principal.user_id}, instant)
        result = _status(uow, dossiers, state)
        uow.commit()
    return result


def _check_prepare(row: dict[str, Any] | None) -> None:
    row = row or {}
    try:
        check_transition("prepare", row.get("status") and Status(row["status"]))
    except PublicationRefused as exc:
        raise _refused(exc) from None


def review_publication(principal: Principal, case_id: str, document_id: str, decision: str, reason: str | None,
                       uows: UnitOfWorkFactory, dossiers: DossierStore, now: Clock) -> PublicationStatusV1:
    """A person other than the preparer approves the encoded version, or returns it with a reason."""
    case_id, document_id = canonical_case_id(case_id), _document_id(document_id)
    if decision not in ("approve", "return"):
        raise RequestRejected.single("decision", "publication.bad_decision",
                                     "Quyết định phải là 'approve' (duyệt) hoặc 'return' (trả lại).",
                                     "decision must be 'approve' or 'return'")
    why = _reason(reason) if decision == "return" or reason else None
    instant = now()
    with uows() as uow:
        state = _acting(uow, principal, case_id, "review")
        row = repo.record_of(uow, case_id, document_id) or {}
        try:
            check_transition("review", row.get("status") and Status(row["status"]),
                             prepared_by=row.get("prepared_by"), actor=principal.user_id)
        except PublicationRefused as exc:
            raise _refused(exc) from None
        status = Status.APPROVED if decision == "approve" else Status.RETURNED
        repo.save(uow, case_id, document_id, court_id=state.court_id, status=status.value,
                  reviewed_by=principal.user_id, reviewed_at=instant, review_reason=why, updated_at=instant)
        ledger.append(uow, case_id, state.court_id, f"publication.{decision}", {
            "document_id": document_id, "reason": why, "by": principal.user_id,
            "encoded_sha256": hashlib.sha256((row.get("encoded_text") or "").encode()).hexdigest()}, instant)
        result = _status(uow, dossiers, state)
        uow.commit()
    return result


def release_publication(principal: Principal, case_id: str, document_id: str, uows: UnitOfWorkFactory,
                        dossiers: DossierStore, now: Clock) -> PublicationStatusV1:
    """Send the approved, encoded document to the portal, if no rule of art. 4 blocks it now."""
    case_id, document_id = canonical_case_id(case_id), _document_id(document_id)
    instant = now()
    with uows() as uow:
        state = _acting(uow, principal, case_id, "release")
        row = repo.record_of(uow, case_id, document_id) or {}
        found = blocks(_facts(uow, dossiers, state), row.get("flags") or {})
        if found:
            raise RequestRejected.of([FieldError(
                field="document_id", code=f"publication.blocked.{rule.code}",
                message_vi=f"Không được công bố: {rule.reason_vi} ({rule.citation_vi}).",
                message_en=f"may not be published: {rule.reason_en} ({rule.citation_en})") for rule in found])
        try:
            check_transition("release", row.get("status") and Status(row["status"]))
        except PublicationRefused as exc:
            raise _refused(exc) from None
        deadline = repo.publication_deadline(uow, case_id)
        assert deadline is not None  # in legal effect, else ``blocks`` refused above
        text = row["encoded_text"]
        repo.save(uow, case_id, document_id, court_id=state.court_id, status=Status.RELEASED.value,
                  released_by=principal.user_id, released_at=instant, updated_at=instant)
        repo.close_publication_deadline(uow, case_id, deadline["stage_seq"])
        text_sha = hashlib.sha256(text.encode()).hexdigest()
        ledger.append(uow, case_id, state.court_id, "publication.release", {
            "document_id": document_id, "number": row["number"], "encoded_sha256": text_sha,
            "by": principal.user_id, "due_on": deadline["due_on"]}, instant)
        uow.emit(DocumentPublishedV1(
            court_id=state.court_id, case_id=case_id, case_code=format_case_id(case_id), document_id=document_id,
            case_type=state.case_type, stage=deadline["rule_stage"] or state.stage, kind=row["kind"],
            number=row["number"],
            title=row["title"], issued_on=repo.as_date(row.get("issued_on")),
            legal_effect_on=repo.as_date(deadline["trigger_on"]) or instant.date(), published_at=instant,
            text=text, text_sha256=text_sha))
        result = _status(uow, dossiers, state)
        uow.commit()
    return result
