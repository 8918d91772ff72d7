"""Recording a procedural step (``record_step``): checked against the procedure, stored with its deadlines.

One transaction per step, under the case's advisory lock: read the case, decide who the caller is for it,
let the machine plan the step (or refuse it with the provision that forbids it), then store the new state,
the deadline changes, the step itself, a ledger entry, and ``case_progressed`` (and ``case_transferred``) in
the outbox. A case is found in the caller's own court only; the one exception is the president of the court
competent for cassation or retrial, who opens those stages on a judgment of a lower court.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from ecourt_casefile import ledger
from ecourt_casefile.adapters import procedure as steps_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.contracts import ExplanationStepV1, StepResultV1
from ecourt_casefile.domain.access import capacities
from ecourt_casefile.domain.clock import legal_day
from ecourt_casefile.domain.courts import CourtRegistry
from ecourt_casefile.domain.deadlines import HolidayCalendar
from ecourt_casefile.domain.procedure import CaseSnapshot, Plan, ProcedureBook, StepRefused, plan_opening, plan_step
from ecourt_casefile.domain.procedure import step_spec as find_step
from ecourt_casefile.service_layer.viewing import canonical_case_id, deadline_view, not_found
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.casefile import CaseTransferredV1
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseProgressedV1, DeadlineV1
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id


def rejected(exc: StepRefused) -> RequestRejected:
    return RequestRejected.single(exc.field, exc.code, exc.message_vi, exc.message_en)


def snapshot(uow: UnitOfWork, state: repository.CaseState) -> CaseSnapshot:
    return CaseSnapshot(
        case_id=state.case_id, court_id=state.court_id, case_type=state.case_type, stage=state.stage,
        state=state.state, stage_opened_on=steps_repo.stage_opened_on(uow, state.case_id, state.stage_seq),
        judge_id=state.judge_id, panel=tuple(state.panel), clerk_id=state.clerk_id, attributes=state.attributes,
        deadlines=tuple(steps_repo.running_deadlines(uow, state.case_id)))


def _json(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}


def _case_changes(plan: Plan, state: repository.CaseState) -> dict[str, Any]:
    values: dict[str, Any] = {"state": plan.to_state, "status": plan.status}
    if "clerk_id" in plan.params:
        values["clerk_id"] = plan.params["clerk_id"]
    if "panel" in plan.params:
        values["panel"] = plan.params["panel"]
    kept = {k: plan.params[k] for k in ("crime_category", "closed_hearing", "result") if k in plan.params}
    if plan.outcome:
        kept["outcome"] = plan.outcome
    if kept:
        values["attributes"] = {**state.attributes, **kept}
    return values


def _move(uow: UnitOfWork, book: ProcedureBook, calendar: HolidayCalendar, state: repository.CaseState, plan: Plan,
          instant: datetime) -> tuple[str, str, str, str]:
    """Open the next stage (appeal, cassation, retrial) or the same stage at another court (transfer)."""
    target = plan.opens_court or plan.transfer_to
    assert target is not None
    stage = plan.opens_stage or state.stage
    steps_repo.close_stage(uow, state.case_id, state.stage_seq, plan.step)
    seq = steps_repo.open_stage(uow, state.case_id, stage, target, plan.on, plan.step)
    if plan.opens_stage:
        steps_repo.supersede_running(uow, state.case_id)
        moved = CaseSnapshot(case_id=state.case_id, court_id=target, case_type=state.case_type, stage=stage,
                             state=plan.to_state, stage_opened_on=plan.on, attributes=state.attributes)
        try:
            initial, status, changes = plan_opening(book, moved, stage, plan.on, calendar)
        except StepRefused as exc:
            raise rejected(exc) from None
        for change in changes:
            steps_repo.apply_change(uow, state.case_id, seq, change, instant)
    else:
        spec = book.for_case_type(state.case_type).stages[stage]
        initial, status = spec.initial, spec.states[spec.initial]
    steps_repo.update_case(uow, state.case_id, court_id=target, stage=stage, stage_seq=seq, state=initial,
                           status=status, judge_id=None, panel=[], clerk_id=None, updated_at=instant)
    return target, stage, initial, status


def record_step(principal: Principal, case_id: str, step: str, on: date | None, params: Mapping[str, Any],
                uows: UnitOfWorkFactory, now: Callable[[], datetime], *, book: ProcedureBook | None = None,
                courts: CourtRegistry | None = None, calendar: HolidayCalendar | None = None) -> StepResultV1:
    book, courts = book or ProcedureBook.load(), courts or CourtRegistry.load()
    calendar = calendar or HolidayCalendar.load()
    case_id = canonical_case_id(case_id)
    with uows() as uow:
        repository.lock_case(uow, case_id)
        state = repository.case_state_of(uow, case_id)
        if state is None:
            raise not_found(case_id)
        review_court = courts.review_court(state.court_id).id if courts.knows(state.court_id) else None
        acting = capacities(principal, state.court_id, state.judge_id, state.panel, state.clerk_id, review_court)
        if principal.court_id != state.court_id and "review_president" not in acting:
            raise not_found(case_id)  # another court's case does not exist for the caller
        result = take_step(uow, principal, state, snapshot(uow, state), acting, step, on, params, now(),
                           book, courts, calendar)
        uow.commit()
    return result


def take_step(uow: UnitOfWork, principal: Principal, state: repository.CaseState, snap: CaseSnapshot,
              acting: set[str], step: str, on: date | None, params: Mapping[str, Any], instant: datetime,
              book: ProcedureBook, courts: CourtRegistry, calendar: HolidayCalendar) -> StepResultV1:
    """Check and store one step on a case already locked and read, in the caller's transaction (not committed).

    ``acting``: the capacities in which ``principal`` acts on the case (``domain.access``); ``snap``: what the
    machine sees of it. ``record_step`` and reception's lodging (``lodging.lodge_filing``) both end here.
    """
    case_id = state.case_id
    try:
        spec = find_step(book, snap, step)
    except StepRefused as exc:
        raise rejected(exc) from None
    if not acting & set(spec.by):
        raise PermissionDenied({"message_vi": f"Bước '{step}' chỉ do {', '.join(spec.by)} của vụ án thực hiện.",
                                "message_en": f"Step '{step}' is recorded only by the case's "
                                              f"{', '.join(spec.by)}."})
    try:
        plan = plan_step(book, courts, calendar, snap, step, on or legal_day(instant), params)
    except StepRefused as exc:
        raise rejected(exc) from None
    for change in plan.changes:
        steps_repo.apply_change(uow, case_id, state.stage_seq, change, instant)
    steps_repo.update_case(uow, case_id, updated_at=instant, **_case_changes(plan, state))
    steps_repo.record_step(uow, case_id=case_id, stage_seq=state.stage_seq, stage=state.stage,
                           court_id=state.court_id, step=step, from_state=plan.from_state,
                           to_state=plan.to_state, on_date=plan.on, params=_json(plan.params),
                           user_id=principal.user_id, recorded_at=instant)
    court_id, stage, machine_state, status = state.court_id, state.stage, plan.to_state, plan.status
    if plan.opens_court or plan.transfer_to:
        court_id, stage, machine_state, status = _move(uow, book, calendar, state, plan, instant)
    ledger.append(uow, case_id, court_id, f"stage.{step}", {
        "step": step, "stage": state.stage, "from_state": plan.from_state, "to_state": plan.to_state,
        "on": plan.on, "params": _json(plan.params), "by": principal.user_id, "court_id": court_id,
        "from_court_id": state.court_id, "changes": [
            {"verb": c.verb, "rule_id": c.rule_id, "due_on": c.deadline.due_on if c.deadline else None}
            for c in plan.changes]}, instant)
    nxt = repository.current_deadline(uow, case_id)
    uow.emit(CaseProgressedV1(
        court_id=court_id, case_id=case_id, case_type=state.case_type, stage=stage, status=status,
        deadline=None if nxt is None else DeadlineV1(rule_id=nxt.rule_id, due_on=nxt.due_on,
                                                      legal_basis_vi=nxt.legal_basis_vi,
                                                      legal_basis_en=nxt.legal_basis_en),
        step=step, state=machine_state, from_court_id=state.court_id if court_id != state.court_id else None,
        clerk_id=plan.params.get("clerk_id"),  # intake keeps who may see the parties
        panel=[str(m) for m in plan.params["panel"]] if "panel" in plan.params else None))
    if plan.transfer_to:
        # The receiving court's name travels with the event so the portal can name it to the citizen.
        target = courts.court(court_id) if courts.knows(court_id) else None
        uow.emit(CaseTransferredV1(court_id=court_id, case_id=case_id, from_court_id=state.court_id,
                                   stage=stage, reason="transfer", transferred_on=plan.on,
                                   court_name_vi=target.vi if target else None,
                                   court_name_en=target.en if target else None))
    running = repository.running_deadline_rows(uow, case_id)
    return StepResultV1(case_id=case_id, case_code=format_case_id(case_id), court_id=court_id, stage=stage,
                        state=machine_state, status=status, step=step,
                        deadlines=[v for v in (deadline_view(d) for d in running) if v is not None],
                        notes=[ExplanationStepV1(vi=n.vi, en=n.en) for n in plan.notes])
