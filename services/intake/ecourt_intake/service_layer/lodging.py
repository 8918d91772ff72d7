"""Accepting an appeal, a protest, a cassation petition or a retrial request: lodged on its case in casefile first.

Casefile owns the procedure and its time limits, so the acceptance is casefile's to refuse: intake asks it,
synchronously and before committing anything, to record the filing on the case (``lodge_filing``). A refusal
(out of time, naming the provision; a case that cannot be appealed any more; not this court's to receive)
becomes the answer to the reception officer and nothing is written in intake; casefile wrote nothing either.
If intake fails after casefile recorded the filing, the officer's retry gets casefile's first result again
(idempotent on the reception id) and the decision is recorded then.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ecourt_intake.adapters.casefile import CasefileUnavailable, Lodging
from ecourt_intake.adapters.orm import reception_parties
from ecourt_intake.domain.clock import legal_day
from ecourt_intake.domain.rules import kind_rule
from ecourt_shared.contracts.casefile import LodgingResultV1, LodgingV1
from ecourt_shared.contracts.errors import Conflict, FieldError, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.reception import ReceptionDecisionV1
from ecourt_shared.db import UnitOfWork
from ecourt_shared.identifiers import IdentifierError, format_case_id, parse_case_id

# Casefile names the step's parameters; the reception officer knows the register's fields.
FIELD_FOR = {"step": "decision", "params.appellant_party_id": "parties", "params.petitioner_party_id": "parties",
             "params.co_appellant_party_ids": "parties", "party_ids": "parties", "params.level": "protest_level"}


def _e(field: str, code: str, vi: str, en: str) -> FieldError:
    return FieldError(field=field, code=code, message_vi=vi, message_en=en)


def is_lodged(kind: str) -> bool:
    return bool(kind_rule(kind)["accept"] == "lodge")


def lodging_errors(d: ReceptionDecisionV1, kind: str, registered_case_id: str | None) -> list[FieldError]:
    """What an accept of a lodged kind needs besides the register entry; its fields nowhere else."""
    errors: list[FieldError] = []
    if not (d.decision == "accept" and is_lodged(kind)):
        for name, value in (("related_case_id", d.related_case_id), ("protest_level", d.protest_level)):
            if value is not None:
                errors.append(_e(name, f"{name}.not_for_decision",
                                 f"{name} chỉ dùng khi thụ lý kháng cáo, kháng nghị hoặc đơn đề nghị giám đốc thẩm, "
                                 "tái thẩm.", f"{name} belongs to accepting an appeal, protest or review petition"))
        return errors
    if d.related_case_id is not None:
        try:
            given = parse_case_id(d.related_case_id).canonical
        except IdentifierError as exc:
            errors.append(_e("related_case_id", exc.code, exc.message_vi, exc.message_en))
        else:
            if registered_case_id is not None and given != registered_case_id:
                errors.append(_e("related_case_id", "related_case_id.mismatch",
                                 f"Sổ tiếp nhận ghi vụ án {format_case_id(registered_case_id)}, khác mã vừa nhập.",
                                 f"the register names case {format_case_id(registered_case_id)}, not this one"))
    elif registered_case_id is None:
        errors.append(_e("related_case_id", "related_case_id.required",
                         "Sổ tiếp nhận chỉ ghi số bản án; phải nêu mã vụ án để ghi đơn vào hồ sơ vụ án.",
                         "the register names only the judgment's number; give the case id to lodge it on the case"))
    if kind == "protest" and d.protest_level is None:
        errors.append(_e("protest_level", "protest_level.required",
                         "Phải ghi cấp của Viện kiểm sát kháng nghị (cùng cấp hay cấp trên trực tiếp): thời hạn "
                         "kháng nghị khác nhau (Điều 280 BLTTDS 2015; Điều 337 BLTTHS 2015; Điều 213 LTTHC 2015).",
                         "state the protesting procuracy's level (same level or directly above): the time limits "
                         "differ (BLTTDS 2015 art. 280; BLTTHS 2015 art. 337; LTTHC 2015 art. 213)"))
    elif kind != "protest" and d.protest_level is not None:
        errors.append(_e("protest_level", "protest_level.not_for_kind", "Cấp Viện kiểm sát chỉ dùng cho kháng nghị.",
                         "a procuracy level belongs to a protest only"))
    return errors


def case_to_lodge_on(d: ReceptionDecisionV1, registered_case_id: str | None) -> str:
    if d.related_case_id is not None:
        return parse_case_id(d.related_case_id).canonical
    assert registered_case_id is not None  # lodging_errors refused it otherwise
    return registered_case_id


def filing_of(uow: UnitOfWork, row: Any, d: ReceptionDecisionV1) -> LodgingV1:
    """The register entry as casefile's ``LodgingV1``: reception day, legal counting date, appellants."""
    roles = kind_rule(row.kind)["lodge_roles"]
    party_ids = [p.party_id for p in uow.execute(
        select(reception_parties.c.party_id).where(reception_parties.c.reception_id == row.reception_id,
                                                   reception_parties.c.role.in_(roles))
        .order_by(reception_parties.c.position)).all()] if roles else []
    return LodgingV1(kind=row.kind, reception_id=row.reception_id, case_type=row.case_type,
                     received_on=legal_day(row.received_at), counting_basis=row.counting_basis,
                     counts_from=row.counts_from, party_ids=party_ids, protest_level=d.protest_level)


def _case_refusal(exc: RequestRejected) -> RequestRejected:
    return RequestRejected.of([e.model_copy(update={"field": FIELD_FOR.get(e.field, e.field)}) for e in exc.errors])


def lodge(uow: UnitOfWork, row: Any, d: ReceptionDecisionV1, registered_case_id: str | None,
          lodging: Lodging) -> LodgingResultV1:
    """Have casefile record the filing on its case; casefile's refusal is the officer's answer."""
    case_id = case_to_lodge_on(d, registered_case_id)
    filing = filing_of(uow, row, d)
    try:
        return LodgingResultV1.model_validate(lodging(case_id, filing))
    except RequestRejected as exc:
        raise _case_refusal(exc) from None
    except NotFound:
        raise RequestRejected.single(
            "related_case", "related_case.not_found",
            f"Không có vụ án {format_case_id(case_id)} mà Tòa án này được nhận đơn (vụ án của Tòa án này, "
            "bản án của Tòa án này bị kháng cáo, hoặc bản án thuộc thẩm quyền giám đốc thẩm, tái thẩm của "
            "Tòa án này).",
            f"no case {format_case_id(case_id)} this court may receive filings on (its own case, an appeal "
            "against its judgment, or a judgment it is competent to review)") from None
    except PermissionDenied as exc:
        detail = exc.detail
        raise RequestRejected.single(
            "decision", "decision.not_competent",
            f"Tòa án này không có thẩm quyền thụ lý đơn này đối với vụ án {format_case_id(case_id)}; hãy chuyển "
            f"đơn cho Tòa án có thẩm quyền. ({detail.get('message_vi', '')})",
            f"this court is not competent to accept this filing on case {format_case_id(case_id)}; transfer it "
            f"to the competent court ({detail.get('message_en', '')})") from None
    except CasefileUnavailable as exc:
        raise Conflict({"errors": [{
            "field": "decision", "code": "casefile.unavailable",
            "message_vi": "Hồ sơ vụ án điện tử chưa trả lời; quyết định chưa được ghi, hãy thử lại.",
            "message_en": f"the case file service did not answer ({exc}); nothing was recorded, try again"}]}) from None
