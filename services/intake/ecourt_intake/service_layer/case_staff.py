"""Intake knows who sits on each case (``case_assigned``) and answers the dossier's party list by it.

Casefile's full dossier view asks intake for the parties' names and identifiers (``dossier_parties``). Intake
applies the same need-to-know rule as casefile's ``view_kind`` / ``may_reveal`` on its own knowledge of the
case's staff, so a token alone (a judge of another case, a clerk of another case) gets nothing: the judge, the
sitting panel members and the clerk of the case see the parties and may reveal CCCD and phone, with a reason
that is logged; the president of a court holding the case sees them masked.

The staff are kept per (case, court), from ``case_assigned`` (judge, panel, clerk) and from the casefile steps
that set a clerk or panel or move the case (``case_progressed``): after an appeal or a transfer the court now
holding the case gets its own row, so its president sees the parties masked, and its judges see them once its
assignment arrives (intake's court boundary, ``registry.visible_to``, lets them in).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ecourt_intake.adapters import case_staff as staff_repo
from ecourt_intake.adapters import registry, view_log
from ecourt_intake.domain.need_to_know import DossierAccess, dossier_access
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id
from ecourt_shared.privacy import mask_party, reveal_reason

CONSUMER = "intake"
MAX_PARTIES = 200


def record_assignment(event: CaseAssignedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory) -> None:
    """Keep the judge, sitting panel and clerk of the case at the assigning court; a redelivery does nothing."""
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        if event.panel is None:
            staff_repo.record(uow, event.case_id, event.court_id, event.assigned_at, envelope.event_id,
                              judge_id=event.judge_id)
        else:  # a panel draw or replacement: the sitting members (substitutes wait) and the clerk drawn with them
            staff_repo.record(uow, event.case_id, event.court_id, event.assigned_at, envelope.event_id,
                              judge_id=event.judge_id, panel=[m.member_id for m in event.panel if not m.substitute],
                              clerk_id=event.clerk_id)
        uow.commit()


def record_progress(event: CaseProgressedV1, envelope: EventEnvelope, uows: UnitOfWorkFactory) -> None:
    """A step that set the clerk or the panel (casefile's ``assign_clerk``, a hearing with its panel), or moved the
    case to another court (appeal, cassation, transfer: the new court holds it, and its president sees the
    parties masked until it assigns its judges). Other steps change nothing here."""
    moved = event.from_court_id is not None and event.from_court_id != event.court_id
    if event.clerk_id is None and event.panel is None and not moved:
        return
    with uows() as uow:
        if not uow.claim_event(CONSUMER, envelope.event_id):
            return
        staff_repo.record(uow, event.case_id, event.court_id, envelope.occurred_at, envelope.event_id,
                          panel=event.panel,
                          clerk_id=event.clerk_id if event.clerk_id is not None else staff_repo.UNCHANGED)
        uow.commit()


def _case_id(case_id: Any) -> str:
    if not isinstance(case_id, str) or not case_id.strip():
        raise RequestRejected.single("case_id", "case_id.required", "Phải nêu mã vụ án.",
                                     "the case id is required")
    try:
        return parse_case_id(case_id).canonical
    except IdentifierError as exc:
        raise RequestRejected.single("case_id", exc.code, exc.message_vi, exc.message_en) from None


def _party_ids(party_ids: Any) -> list[str]:
    if not isinstance(party_ids, list) or len(party_ids) > MAX_PARTIES \
            or not all(isinstance(p, str) and 0 < len(p) <= 40 for p in party_ids):
        raise RequestRejected.single("party_ids", "party_ids.invalid", "Danh sách đương sự không hợp lệ.",
                                     f"party_ids must be a list of at most {MAX_PARTIES} party ids")
    return list(dict.fromkeys(party_ids))


def _not_on_case(case_id: str) -> PermissionDenied:
    return PermissionDenied({
        "message_vi": f"Chỉ Thẩm phán, thành viên Hội đồng xét xử, Thư ký được giao giải quyết vụ án {case_id} và "
                      "Chánh án Tòa án đang thụ lý vụ án mới được xem thông tin đương sự.",
        "message_en": f"Only the judges, trial panel and clerk of case {case_id}, and the president of the court "
                      "holding it, may see its parties."})


def _reveal_denied() -> PermissionDenied:
    return PermissionDenied({
        "message_vi": "Chỉ Thẩm phán, thành viên Hội đồng xét xử và Thư ký được giao giải quyết vụ án mới được "
                      "xem đầy đủ số CCCD, số điện thoại của đương sự.",
        "message_en": "Only the judges on the case, its trial panel and its clerk may see the parties' identity "
                      "and phone numbers unmasked."})


def dossier_parties(uows: UnitOfWorkFactory, actor: Principal, case_id: Any, party_ids: Any, reveal: Any,
                    reason: Any, now: Callable[[], datetime]) -> list[dict[str, Any]]:
    """The parties of ``case_id`` among ``party_ids`` (others are left out), masked unless ``reveal``.

    A case the caller's court neither accepted nor was assigned is ``NotFound`` (no probing); a judge or clerk
    not on it, ``PermissionDenied``; ``reveal`` by anyone but its judge, panel or clerk, ``PermissionDenied``.
    A reveal is logged (who, when, which parties, which fields, the reason) before the answer is returned.
    """
    case_id = _case_id(case_id)
    wanted = _party_ids(party_ids)
    why = reveal_reason(reveal, reason)
    with uows() as uow:
        if not staff_repo.court_holds(uow, case_id, actor.court_id):
            raise NotFound({"message_vi": f"Không tìm thấy vụ án {case_id}.", "message_en": f"No case {case_id}."})
        access, ground = dossier_access(actor, staff_repo.staff_of(uow, case_id, actor.court_id), True)
        if access is DossierAccess.NONE:
            raise _not_on_case(case_id)
        if why is not None and access is not DossierAccess.REVEALABLE:
            raise _reveal_denied()
        of_case = staff_repo.party_ids_of(uow, case_id)
        found = []
        for party_id in wanted:
            row = registry.get_visible(uow, actor.court_id, party_id) if party_id in of_case else None
            if row is not None:
                found.append(mask_party({"party_id": row.party_id, "kind": row.kind, "full_name": row.full_name,
                                         "cccd": row.cccd, "phone": row.phone_e164}, reveal=why is not None))
        if why is not None and ground is not None:
            view_log.record(uow, actor, [(p["party_id"], [f for f in ("cccd", "phone") if p[f]]) for p in found],
                            "dossier_reveal", ground.value, now(), reason=why, case_id=case_id)
            uow.commit()
    return found
