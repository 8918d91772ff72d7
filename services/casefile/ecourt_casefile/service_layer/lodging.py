"""Lodging a filing accepted at reception (``lodge_filing``): appeals, protests, cassation and retrial petitions.

Intake calls this before it commits its own decision, so the reception officer gets the procedure's answer
(out of time, naming the provision; the case no longer appealable...) and nothing is recorded anywhere when it
refuses. The filing becomes one procedural step, taken through the same machine as ``record_step``:

- appeal: ``lodge_appeal`` on a first-instance judgment (opens the appellate stage at the appellate court), or
  ``join_appeal`` once a first appeal or protest has opened it: a later appellant within the same window is
  recorded in the appellate stage, checked against the windows of the judgment appealed from;
- protest (kháng nghị of the procuracy): ``lodge_protest`` / ``join_protest`` likewise, by procuracy level;
- cassation petition / retrial request: ``receive_cassation_petition`` / ``receive_retrial_request`` on a
  judgment in legal effect, recorded by the reception of the court competent for review (the case stays where
  it is; that court's president later decides ``protest_cassation`` / ``protest_retrial``).

Who may lodge: the reception desk of the court holding the case, of the court whose judgment is under appeal,
or of the review court (``domain.access.reception_capacities``); staff of any other court get ``NotFound``.

Idempotent on ``reception_id``: it is stored in the step's parameters, and a retry (intake crashed after this
committed) finds it under the case's lock and answers the first result again instead of a refusal because the
case has moved on since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from ecourt_casefile.adapters import procedure as steps_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.orm import case_stages, case_steps, deadlines
from ecourt_casefile.domain.access import CROSS_COURT_CAPACITIES, capacities, reception_capacities
from ecourt_casefile.domain.clock import legal_day
from ecourt_casefile.domain.courts import CourtRegistry
from ecourt_casefile.domain.deadlines import HolidayCalendar
from ecourt_casefile.domain.procedure import OpenDeadline, ProcedureBook
from ecourt_casefile.domain.procedure.guards import filing_date
from ecourt_casefile.service_layer.stepping import snapshot, take_step
from ecourt_casefile.service_layer.viewing import canonical_case_id, not_found
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.casefile import ExplanationStepV1, LodgingResultV1, LodgingV1
from ecourt_shared.contracts.errors import Conflict, FieldError, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id

# The date parameter each channel's legal counting date goes in (guards.filing_date reads them).
COUNTING_PARAM = {"postmark": "postmarked_on", "detention_certified": "detention_certified_on",
                  "online_submission": "submitted_online_on", "reception_date": None}
WINDOW_PURPOSES = ("appeal", "protest")
_KIND_VI = {"appeal": "kháng cáo", "protest": "kháng nghị", "cassation_petition": "đơn đề nghị giám đốc thẩm",
            "retrial_request": "đơn đề nghị tái thẩm"}


def _refuse(field: str, code: str, vi: str, en: str) -> RequestRejected:
    return RequestRejected.single(field, code, vi, en)


def choose_step(kind: str, stage: str) -> str:
    """The step a filing of ``kind`` is on a case now at ``stage``; refused where the law has no such filing."""
    if kind in ("cassation_petition", "retrial_request"):
        return "receive_cassation_petition" if kind == "cassation_petition" else "receive_retrial_request"
    first, later = ("lodge_appeal", "join_appeal") if kind == "appeal" else ("lodge_protest", "join_protest")
    if stage == "ST":
        return first
    if stage == "PT":
        return later
    raise _refuse("related_case", "lodging.not_appealable",
                  f"Vụ án đang ở giai đoạn {stage}: không còn {_KIND_VI[kind]} theo thủ tục phúc thẩm "
                  "(chỉ bản án, quyết định sơ thẩm chưa có hiệu lực mới bị kháng cáo, kháng nghị; Điều 271, 278 "
                  "BLTTDS 2015; Điều 331, 336 BLTTHS 2015; Điều 204, 211 LTTHC 2015).",
                  f"The case is at stage {stage}: an appellate {kind} no longer lies (only first-instance judgments "
                  "and decisions not yet in effect are appealed or protested; Civil Procedure Code 2015 arts 271, 278; "
                  "Criminal Procedure Code 2015 arts 331, 336; Administrative Procedure Law 2015 arts 204, 211).")


def step_params(filing: LodgingV1, step: str) -> dict[str, Any]:
    """The step's parameters: who filed, the reception day, the legal counting date by channel, the reception."""
    params: dict[str, Any] = {"received_on": filing.received_on, "reception_id": filing.reception_id}
    counting = COUNTING_PARAM[filing.counting_basis]
    if counting is not None:
        params[counting] = filing.counts_from
    if filing.kind == "protest":
        if filing.protest_level is None:
            raise _refuse("protest_level", "protest_level.required",
                          "Phải ghi cấp của Viện kiểm sát kháng nghị (cùng cấp hay cấp trên trực tiếp): thời hạn "
                          "kháng nghị khác nhau (Điều 280 BLTTDS 2015; Điều 337 BLTTHS 2015; Điều 213 LTTHC 2015).",
                          "State the protesting procuracy's level (same level or directly above): their time "
                          "limits differ (Civil Procedure Code 2015 art. 280; Criminal Procedure Code 2015 art. "
                          "337; Administrative Procedure Law 2015 art. 213).")
        params["level"] = filing.protest_level
        return params
    if not filing.party_ids:
        who_vi = "người kháng cáo" if filing.kind == "appeal" else "người đề nghị"
        raise _refuse("party_ids", "party_ids.required", f"Phải nêu {who_vi}.",
                      f"name the {'appellant' if filing.kind == 'appeal' else 'petitioner'}")
    if filing.kind == "appeal":
        params["appellant_party_id"] = filing.party_ids[0]
        if filing.party_ids[1:]:
            params["co_appellant_party_ids"] = filing.party_ids[1:]
    else:
        params["petitioner_party_id"] = filing.party_ids[0]
        if filing.kind == "retrial_request" and filing.grounds_known_on is not None:
            params["grounds_known_on"] = filing.grounds_known_on
    return params


def _trial_stage(uow: UnitOfWork, state: repository.CaseState) -> dict[str, Any] | None:
    """The first-instance stage an appellate stage reviews (the stage before it), or None."""
    if state.stage != "PT":
        return None
    return next((s for s in steps_repo.stages_of(uow, state.case_id) if s["seq"] == state.stage_seq - 1), None)


def _appealed_windows(uow: UnitOfWork, case_id: str, seq: int) -> tuple[OpenDeadline, ...]:
    """The appeal and protest windows of the judgment appealed from, as computed when it was pronounced.

    The first appeal superseded them in the case's running deadlines when the case moved on; they still bound
    every other appellant and the procuracy.
    """
    rows = uow.execute(select(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.stage_seq == seq,
                                               deadlines.c.purpose.in_(WINDOW_PURPOSES),
                                               deadlines.c.status.in_(("open", "superseded")))).all()
    return tuple(OpenDeadline(rule_id=r.rule_id, purpose=r.purpose, rule_stage=r.rule_stage, variant=r.variant,
                              trigger_on=r.trigger_on, due_on=r.due_on, status=r.status,
                              legal_basis_vi=r.legal_basis_vi, legal_basis_en=r.legal_basis_en) for r in rows)


def _lodged_step(uow: UnitOfWork, reception_id: str) -> Any:
    """The step a reception entry was lodged as, on whatever case (a retry must not lodge it twice)."""
    return uow.execute(select(case_steps).where(case_steps.c.params["reception_id"].astext == reception_id)
                       .order_by(case_steps.c.id).limit(1)).first()


def _result(uow: UnitOfWork, row: Any, kind: str, book: ProcedureBook, case_type: str,
            replayed: bool) -> LodgingResultV1:
    """The answer for a lodged step, rebuilt from what was stored, so a replay answers exactly as the first time."""
    params = {k: date.fromisoformat(v) if k.endswith("_on") and isinstance(v, str) else v
              for k, v in row.params.items()}
    filed_on, notes = filing_date(params, row.on_date, book.for_case_type(case_type))
    court_id, stage = row.court_id, row.stage
    opened = uow.execute(select(case_stages).where(case_stages.c.case_id == row.case_id,
                                                   case_stages.c.seq == row.stage_seq + 1,
                                                   case_stages.c.opened_by == row.step)).first()
    if opened is not None:  # the step moved the case (a first appeal or protest)
        court_id, stage = opened.court_id, opened.stage
    return LodgingResultV1(
        case_id=row.case_id, case_code=format_case_id(row.case_id), reception_id=params["reception_id"], kind=kind,
        step=row.step, recorded_on=row.on_date, filed_on=filed_on, court_id=court_id, stage=stage,
        notes=[ExplanationStepV1(vi=n.vi, en=n.en) for n in notes], replayed=replayed)


def lodge_filing(principal: Principal, case_id: str, filing: LodgingV1, uows: UnitOfWorkFactory,
                 now: Callable[[], datetime], *, book: ProcedureBook | None = None,
                 courts: CourtRegistry | None = None, calendar: HolidayCalendar | None = None) -> LodgingResultV1:
    book, courts = book or ProcedureBook.load(), courts or CourtRegistry.load()
    calendar = calendar or HolidayCalendar.load()
    case_id = canonical_case_id(case_id)
    instant = now()
    if filing.received_on > legal_day(instant):
        raise _refuse("received_on", "received_on.in_future", "Ngày Tòa án nhận đơn ở sau hôm nay.",
                      f"the reception day {filing.received_on.isoformat()} is in the future")
    if filing.counts_from > filing.received_on:
        raise _refuse("counts_from", "counts_from.after_reception",
                      "Ngày tính thời hạn (dấu bưu điện, xác nhận, gửi trực tuyến) ở sau ngày Tòa án nhận đơn.",
                      "the counting date (postmark, certification, online submission) is after the reception day")
    with uows() as uow:
        repository.lock_case(uow, case_id)
        state = repository.case_state_of(uow, case_id)
        if state is None:
            raise not_found(case_id)
        review_court = courts.review_court(state.court_id).id if courts.knows(state.court_id) else None
        trial = _trial_stage(uow, state)
        acting = (capacities(principal, state.court_id, state.judge_id, state.panel, state.clerk_id, review_court)
                  | reception_capacities(principal, state.court_id, trial["court_id"] if trial else None,
                                         review_court))
        if principal.court_id != state.court_id and not acting & CROSS_COURT_CAPACITIES:
            raise not_found(case_id)  # staff of an unrelated court: the case does not exist for them
        if not acting:
            raise PermissionDenied({"message_vi": "Chỉ bộ phận tiếp nhận, Thư ký, Chánh án hoặc Thẩm phán của vụ án "
                                                  "mới ghi đơn vào vụ án.",
                                    "message_en": "Only a reception desk, a clerk, the president or the case's judge "
                                                  "lodges a filing on the case."})
        lodged = _lodged_step(uow, filing.reception_id)
        if lodged is not None:
            if lodged.case_id != case_id:
                raise Conflict({"errors": [{  # without naming that case: it may be another court's
                    "field": "reception_id", "code": "reception.lodged_elsewhere",
                    "message_vi": f"Mục tiếp nhận {filing.reception_id} đã được ghi vào một vụ án khác.",
                    "message_en": f"reception entry {filing.reception_id} was already lodged on another case"}]})
            return _result(uow, lodged, filing.kind, book, state.case_type, replayed=True)
        if filing.case_type is not None and filing.case_type != state.case_type:
            raise _refuse("case_type", "case_type.mismatch",
                          f"Vụ án {format_case_id(case_id)} là loại {state.case_type}, không phải {filing.case_type}.",
                          f"case {format_case_id(case_id)} is a {state.case_type} case, not {filing.case_type}")
        step = choose_step(filing.kind, state.stage)
        snap = snapshot(uow, state)
        if trial is not None:
            snap = replace(snap, appealed_windows=_appealed_windows(uow, case_id, trial["seq"]))
        take_step(uow, principal, state, snap, acting, step, None, step_params(filing, step), instant,
                  book, courts, calendar)
        stored = _lodged_step(uow, filing.reception_id)
        result = _result(uow, stored, filing.kind, book, state.case_type, replayed=False)
        uow.commit()
    return result


def parse_lodging(data: Any) -> LodgingV1:
    """The RPC payload as a ``LodgingV1``, or a field-level refusal."""
    try:
        return LodgingV1.model_validate(data)
    except ValidationError as exc:
        raise RequestRejected.of([
            FieldError(field=".".join(str(p) for p in err["loc"]) or "filing", code=err["type"],
                       message_vi=f"Giá trị không hợp lệ: {err['msg']}", message_en=err["msg"])
            for err in exc.errors()]) from None
