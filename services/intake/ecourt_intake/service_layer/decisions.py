"""Reception decisions, each a recorded event (who, when, why) that routes the item to the president.

accept: case-opening kinds get a permanent id and acceptance number (``CaseReceivedV1``); supplements
join their case's documents; dispatches are filed; appeals, protests, cassation petitions and retrial
requests are first lodged on their case in casefile, which may refuse them (``service_layer.lodging``).
request_amendment needs a reason and a deadline; return needs a reason; transfer needs the competent
court and a reason. accept, return and transfer are final; an amendment request leaves the item open for a
later decision.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from ecourt_intake.adapters.casefile import Lodging
from ecourt_intake.adapters.orm import (
    documents,
    reception_decisions,
    reception_documents,
    reception_parties,
    receptions,
)
from ecourt_intake.domain.clock import legal_day
from ecourt_intake.domain.rules import kind_rule
from ecourt_intake.service_layer.cases import OpenedCase, open_case
from ecourt_intake.service_layer.lodging import is_lodged, lodge, lodging_errors
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.casefile import LodgingResultV1
from ecourt_shared.contracts.errors import Conflict, FieldError, NotFound, RequestRejected
from ecourt_shared.contracts.events import DocumentRefV1
from ecourt_shared.contracts.reception import DecisionResultV1, ReceptionDecidedV1, ReceptionDecisionV1
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory

OPEN_STATUSES = ("received", "amendment_requested")
STATUS_AFTER = {"accept": "accepted", "request_amendment": "amendment_requested", "return": "returned",
                "transfer": "transferred"}


def _e(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


def decision_errors(d: ReceptionDecisionV1, kind: str, today: object, own_court: str) -> list[FieldError]:
    errors = []
    if d.decision != "accept" and not (d.reason and d.reason.strip()):
        errors.append(_e("reason", "reason.required", "Phải ghi lý do.", f"a {d.decision} decision needs a reason"))
    if d.decision == "request_amendment":
        if d.amendment_due_on is None:
            errors.append(_e("amendment_due_on", "amendment_due_on.required", "Phải ghi hạn sửa đổi, bổ sung.",
                             "an amendment request needs a deadline (Điều 193 BLTTDS 2015)"))
        elif d.amendment_due_on <= today:
            errors.append(_e("amendment_due_on", "amendment_due_on.not_future", "Hạn sửa đổi phải sau hôm nay.",
                             f"the amendment deadline {d.amendment_due_on} must be after today ({today})"))
    elif d.amendment_due_on is not None:
        errors.append(_e("amendment_due_on", "amendment_due_on.not_for_decision",
                         "Hạn sửa đổi chỉ dùng khi yêu cầu sửa đổi, bổ sung.",
                         "an amendment deadline belongs to request_amendment only"))
    if d.decision == "transfer":
        if not d.transfer_to_court or not re.fullmatch(r"[A-Z0-9]{6}", d.transfer_to_court.upper()):
            errors.append(_e("transfer_to_court", "transfer_to_court.format",
                             "Phải ghi mã 6 ký tự của Tòa án có thẩm quyền.",
                             "name the competent court by its 6-character code"))
        elif d.transfer_to_court.upper() == own_court:
            errors.append(_e("transfer_to_court", "transfer_to_court.same_court", "Không chuyển cho chính Tòa án này.",
                             "an item cannot be transferred to the court that holds it"))
    elif d.transfer_to_court is not None:
        errors.append(_e("transfer_to_court", "transfer_to_court.not_for_decision",
                         "Tòa án nhận chỉ dùng khi chuyển đơn.", "a receiving court belongs to transfer only"))
    if d.decision == "accept" and kind_rule(kind)["accept"] == "none":
        errors.append(_e("decision", "decision.accept_not_available",
                         f"Chưa hỗ trợ thụ lý loại '{kind}' tại bộ phận tiếp nhận.",
                         f"accepting a '{kind}' at reception is not available yet"))
    return errors


def _docs(uow: UnitOfWork, reception_id: str) -> list[DocumentRefV1]:
    rows = uow.execute(select(reception_documents).where(reception_documents.c.reception_id == reception_id)
                       .order_by(reception_documents.c.position)).all()
    return [DocumentRefV1.model_validate({k: v for k, v in r._mapping.items() if k not in ("reception_id", "position")})
            for r in rows]


def apply_decision(uow: UnitOfWork, actor: Principal, row: object, d: ReceptionDecisionV1,
                   instant: datetime, lodged: LodgingResultV1 | None = None) -> DecisionResultV1:
    """Record the decision on a locked, open register entry; the caller commits.

    ``lodged``: for a lodged kind, what casefile recorded (the case it was lodged on is the decision's case).
    """
    r = row
    opened: OpenedCase | None = None
    case_id = lodged.case_id if lodged else getattr(r, "related_case_id", None)
    if d.decision == "accept":
        mode = kind_rule(r.kind)["accept"]  # type: ignore[attr-defined]
        docs = _docs(uow, r.reception_id)  # type: ignore[attr-defined]
        if mode == "open":
            roles = [(p.party_id, p.role) for p in uow.execute(
                select(reception_parties).where(reception_parties.c.reception_id == r.reception_id)  # type: ignore[attr-defined]
                .order_by(reception_parties.c.position)).all()]
            opened = open_case(uow, actor, case_type=r.case_type, stage=r.stage, subject=r.subject,  # type: ignore[attr-defined]
                               channel=r.channel, reception_id=r.reception_id, party_roles=roles,  # type: ignore[attr-defined]
                               docs=docs, instant=instant)
            case_id = opened.case_id
        elif mode == "attach":
            for doc in docs:
                uow.execute(documents.insert().values(case_id=case_id, **doc.model_dump()))
    decision_id = f"QD-{uuid.uuid4().hex[:16].upper()}"
    transfer_to = d.transfer_to_court.upper() if d.transfer_to_court else None
    acceptance = opened.acceptance_number if opened else None
    uow.execute(reception_decisions.insert().values(
        decision_id=decision_id, reception_id=r.reception_id, court_id=actor.court_id, decision=d.decision,  # type: ignore[attr-defined]
        reason=d.reason, amendment_due_on=d.amendment_due_on, transfer_to_court=transfer_to, decided_by=actor.user_id,
        decided_at=instant, case_id=case_id, acceptance_number=acceptance,
        lodging=lodged.model_dump(mode="json") if lodged else None))
    uow.execute(receptions.update().where(receptions.c.reception_id == r.reception_id)  # type: ignore[attr-defined]
                .values(status=STATUS_AFTER[d.decision], case_id=case_id))
    uow.emit(ReceptionDecidedV1(
        court_id=actor.court_id, decision_id=decision_id, reception_id=r.reception_id,  # type: ignore[attr-defined]
        reception_number=r.reception_number, kind=r.kind, case_type=r.case_type, decision=d.decision,  # type: ignore[attr-defined]
        decided_by=actor.user_id, decided_at=instant, reason=d.reason, amendment_due_on=d.amendment_due_on,
        transfer_to_court=transfer_to, case_id=case_id, acceptance_number=acceptance))
    return DecisionResultV1(
        decision_id=decision_id, reception_id=r.reception_id, decision=d.decision, decided_by=actor.user_id,  # type: ignore[attr-defined]
        decided_at=instant, reason=d.reason, amendment_due_on=d.amendment_due_on, transfer_to_court=transfer_to,
        case_id=case_id, case_code=opened.case_code if opened else (lodged.case_code if lodged else None),
        acceptance_number=acceptance, receipt_secret=opened.receipt_secret if opened else None, lodging=lodged)


def decide(d: ReceptionDecisionV1, actor: Principal, uows: UnitOfWorkFactory,
           now: Callable[[], datetime], lodging: Lodging | None = None) -> DecisionResultV1:
    """Decide on an open register entry. ``lodging``: casefile's ``lodge_filing`` with the caller's token, which
    accepting an appeal, protest or review petition needs; it is called under the entry's row lock, before
    anything is written, so a refusal leaves nothing behind and two officers cannot lodge the same entry twice."""
    with uows() as uow:
        row = uow.execute(select(receptions).where(receptions.c.reception_id == d.reception_id,
                                                   receptions.c.court_id == actor.court_id)
                          .with_for_update()).first()
        if row is None:
            raise NotFound({"message_vi": f"Không có mục tiếp nhận {d.reception_id}.",
                            "message_en": f"no reception entry {d.reception_id}"})
        if row.status not in OPEN_STATUSES:
            raise Conflict({"errors": [{"field": "reception_id", "code": "reception.already_decided",
                                        "message_vi": f"Mục này đã được quyết định ({row.status}).",
                                        "message_en": f"this entry was already decided ({row.status})"}]})
        instant = now()
        errors = decision_errors(d, row.kind, legal_day(instant), actor.court_id)
        errors += lodging_errors(d, row.kind, row.related_case_id)
        if errors:
            raise RequestRejected.of(errors)
        lodged = None
        if d.decision == "accept" and is_lodged(row.kind):
            if lodging is None:
                raise RequestRejected.single("decision", "decision.accept_not_available",
                                             f"Chưa kết nối hồ sơ vụ án để thụ lý loại '{row.kind}'.",
                                             f"accepting a '{row.kind}' needs the case file service")
            lodged = lodge(uow, row, d, row.related_case_id, lodging)
        result = apply_decision(uow, actor, row, d, instant, lodged)
        uow.commit()
    return result
