"""One register entry's full view: the item, its parties, documents, counting date and every decision on it.

Parties are references into the registry with their names. CCCD and phone are masked (``ecourt_shared.privacy``)
unless the caller's role needs them: reception staff check them against the identity document in hand when the
item is received (khoản 1 Điều 191 BLTTDS 2015 [verify]) and the clerk serves notices on the people named
(Điều 170-177 BLTTDS 2015 [verify]); the president supervises and needs who they are, not their numbers
(personal data only as far as the purpose needs: Điều 3 Nghị định 13/2023/NĐ-CP [verify]). Anyone who may open
the register may still open the party's own registry page.

Another court's entry does not exist for the caller (``NotFound``, never ``PermissionDenied``: no probing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from ecourt_intake.adapters import view_log
from ecourt_intake.adapters.orm import parties, reception_decisions, reception_documents, reception_parties, receptions
from ecourt_intake.domain.need_to_know import IDENTIFIER_ROLES, registry_ground
from ecourt_intake.domain.rules import kind_rule, reception_rules
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.casefile import LodgingResultV1
from ecourt_shared.contracts.errors import NotFound
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, format_case_id
from ecourt_shared.privacy import mask_party


class EntryPartyV1(BaseModel):
    party_id: str
    role: str
    kind: str
    full_name: str
    cccd: str | None
    phone: str | None
    tax_code: str | None
    procuracy_code: str | None
    masked: bool
    merged_into: str | None  # the entry keeps its reference; the registry says whom it means now


class EntryDocumentV1(BaseModel):
    document_id: str
    title: str
    filename: str
    content_type: str
    page_count: int
    size_bytes: int
    sha256: str


class CountingV1(BaseModel):
    """The day the item legally counts from, by its channel, with the rule's words and provision."""

    counts_from: date
    basis: str
    basis_vi: str
    basis_en: str
    citation: str


class EntryDecisionV1(BaseModel):
    decision_id: str
    decision: str
    decided_by: str
    decided_at: datetime
    reason: str | None
    amendment_due_on: date | None
    transfer_to_court: str | None
    case_id: str | None
    case_code: str | None
    acceptance_number: str | None
    lodging: LodgingResultV1 | None


class RegisterEntryV1(BaseModel):
    reception_id: str
    reception_number: str
    kind: str
    accept_mode: str  # reception_rules.yaml: open | attach | file | lodge | none
    case_type: str | None
    stage: str | None
    subject: str
    channel: str
    sender: str | None
    related_case_id: str | None
    related_case_code: str | None
    related_case_ref: str | None
    received_at: datetime
    received_by: str
    postmark_date: date | None
    detention_certified_date: date | None
    submitted_at: datetime | None
    status: str
    case_id: str | None
    case_code: str | None
    counting: CountingV1
    parties: list[EntryPartyV1]
    documents: list[EntryDocumentV1]
    decisions: list[EntryDecisionV1]  # oldest first


def _case_code(case_id: str | None) -> str | None:
    if not case_id:
        return None
    try:
        return format_case_id(case_id)
    except IdentifierError:  # an imported entry may carry a legacy reference: show it as stored
        return case_id


def counting_of(basis: str, counts_from: date) -> CountingV1:
    for rule in reception_rules()["counting"].values():
        if rule["basis"] == basis:
            return CountingV1(counts_from=counts_from, basis=basis, basis_vi=rule["vi"], basis_en=rule["en"],
                              citation=rule["citation"])
    return CountingV1(counts_from=counts_from, basis=basis, basis_vi=basis, basis_en=basis, citation="")


def _parties(uow: Any, reception_id: str, reveal: bool) -> list[EntryPartyV1]:
    rows = uow.execute(
        select(reception_parties.c.role, parties).join(parties, parties.c.party_id == reception_parties.c.party_id)
        .where(reception_parties.c.reception_id == reception_id).order_by(reception_parties.c.position)).all()
    shown = []
    for r in rows:
        view = mask_party({"cccd": r.cccd, "phone": r.phone_e164}, reveal=reveal)
        shown.append(EntryPartyV1(party_id=r.party_id, role=r.role, kind=r.kind, full_name=r.full_name,
                                  cccd=view["cccd"], phone=view["phone"], tax_code=r.tax_code,
                                  procuracy_code=r.procuracy_code, masked=view["masked"], merged_into=r.merged_into))
    return shown


def _documents(uow: Any, reception_id: str) -> list[EntryDocumentV1]:
    rows = uow.execute(select(reception_documents).where(reception_documents.c.reception_id == reception_id)
                       .order_by(reception_documents.c.position)).all()
    return [EntryDocumentV1.model_validate(dict(r._mapping)) for r in rows]


def _decisions(uow: Any, reception_id: str) -> list[EntryDecisionV1]:
    rows = uow.execute(select(reception_decisions).where(reception_decisions.c.reception_id == reception_id)
                       .order_by(reception_decisions.c.decided_at, reception_decisions.c.decision_id)).all()
    return [EntryDecisionV1(
        decision_id=r.decision_id, decision=r.decision, decided_by=r.decided_by, decided_at=r.decided_at,
        reason=r.reason, amendment_due_on=r.amendment_due_on, transfer_to_court=r.transfer_to_court,
        case_id=r.case_id, case_code=_case_code(r.case_id), acceptance_number=r.acceptance_number,
        lodging=LodgingResultV1.model_validate(r.lodging) if r.lodging else None) for r in rows]


def get_entry(uows: UnitOfWorkFactory, actor: Principal, reception_id: str,
              now: Callable[[], datetime] | None = None) -> RegisterEntryV1:
    """The entry; an unmasked view of its parties' identifiers is logged (``now`` given) and committed with it."""
    with uows() as uow:
        row = uow.execute(select(receptions).where(receptions.c.reception_id == reception_id,
                                                   receptions.c.court_id == actor.court_id)).first()
        if row is None:
            raise NotFound({"message_vi": f"Không có mục tiếp nhận {reception_id} trong sổ của Tòa án.",
                            "message_en": f"no reception entry {reception_id} in this court's register"})
        reveal = any(actor.has(role) for role in IDENTIFIER_ROLES)
        entry = RegisterEntryV1(
            reception_id=row.reception_id, reception_number=row.reception_number, kind=row.kind,
            accept_mode=kind_rule(row.kind)["accept"], case_type=row.case_type, stage=row.stage, subject=row.subject,
            channel=row.channel, sender=row.sender, related_case_id=row.related_case_id,
            related_case_code=_case_code(row.related_case_id), related_case_ref=row.related_case_ref,
            received_at=row.received_at, received_by=row.received_by, postmark_date=row.postmark_date,
            detention_certified_date=row.detention_certified_date, submitted_at=row.submitted_at, status=row.status,
            case_id=row.case_id, case_code=_case_code(row.case_id),
            counting=counting_of(row.counting_basis, row.counts_from),
            parties=_parties(uow, reception_id, reveal), documents=_documents(uow, reception_id),
            decisions=_decisions(uow, reception_id))
        ground = registry_ground(actor)
        if reveal and ground is not None and now is not None:
            shown = [(p.party_id, [f for f, v in (("cccd", p.cccd), ("phone_e164", p.phone)) if v])
                     for p in entry.parties]
            if view_log.record(uow, actor, shown, "reception_entry", ground.value, now()):
                uow.commit()
        return entry
