"""Deciding a step: legal or refused (with the provision that forbids it), and what it changes.

``plan_step`` is pure: it reads a snapshot of the case and returns a Plan (new state, reported status, the
deadlines opened, closed, paused, restarted or extended, the stage or court the case moves to); the service
layer stores the plan. Who may take a step (``StepSpec.by``) is checked by ``domain.access`` before this.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..courts import CourtRegistry, UnknownCourt
from ..deadlines import HolidayCalendar
from ..deadlines.applying import apply_extended, apply_provisional, apply_restarted, apply_rule, rule_in_force
from ..deadlines.errors import CalendarRangeError, DeadlineError
from ..deadlines.rules import RuleBook
from . import guards
from .errors import StepRefused
from .model import DeadlineAction, Guard, ProcedureBook, StepSpec, select_rules
from .params import parse_params
from .state import CaseSnapshot, DeadlineChange, OpenDeadline, Plan

_VI = "%d/%m/%Y"


def _refused_from(exc: DeadlineError) -> StepRefused:
    return StepRefused(exc.field, exc.code, exc.message_vi, exc.message_en)


def _open(action: DeadlineAction, snap: CaseSnapshot, stage: str, on: date, params: Mapping[str, Any],
          rules: RuleBook, calendar: HolidayCalendar) -> DeadlineChange:
    variant = action.variant
    if action.variant_from:  # set by this step, or recorded on the case before
        variant = params.get(action.variant_from, snap.attributes.get(action.variant_from))
    rule_stage = action.stage or stage
    ids = select_rules(rules, snap.case_type, rule_stage, action.purpose, variant)
    if len(ids) != 1:
        raise StepRefused("step", "procedure.no_rule",
                          f"không xác định được quy tắc thời hạn '{action.purpose}' ({variant}) cho vụ án "
                          f"{snap.case_type} cấp {rule_stage}",
                          f"no single '{action.purpose}' ({variant}) rule for a {snap.case_type} case at {rule_stage}")
    trigger = snap.stage_opened_on if action.trigger == "opened" else on
    rule = rule_in_force(rules, ids[0], trigger)
    try:
        deadline = apply_rule(rule, rules, trigger, calendar)
    except CalendarRangeError as missing:
        deadline = apply_provisional(rule, rules, trigger, missing)
    return DeadlineChange("open", rule.id, action.purpose, rule_stage, variant, trigger, deadline)


def _running(snap: CaseSnapshot, purpose: str, statuses: tuple[str, ...]) -> list[OpenDeadline]:
    return [d for d in snap.deadlines if d.purpose == purpose and d.rule_stage == snap.stage
            and d.status in statuses]


def _extend(action: DeadlineAction, snap: CaseSnapshot, params: Mapping[str, Any], rules: RuleBook,
            calendar: HolidayCalendar) -> DeadlineChange:
    running = _running(snap, action.purpose, ("open",))
    current = running[0] if running else None
    if current is None:
        raise StepRefused("step", "procedure.nothing_to_extend",
                          f"không có thời hạn '{action.purpose}' đang chạy để gia hạn",
                          f"no running '{action.purpose}' time limit to extend")
    rule = rule_in_force(rules, current.rule_id, current.trigger_on)
    amount = int(params["amount"])
    if rule.extension is None:
        raise StepRefused("params.amount", "procedure.no_extension",
                          f"pháp luật không cho phép gia hạn thời hạn này ({rule.citation.vi})",
                          f"the law allows no extension of this time limit ({rule.citation.en})")
    if rule.extension_times is not None and current.extensions >= rule.extension_times:
        raise StepRefused("params.amount", "procedure.extension_times",
                          f"thời hạn chỉ được gia hạn {rule.extension_times} lần ({rule.citation.vi})",
                          f"the time limit may be extended only {rule.extension_times} time(s) ({rule.citation.en})")
    total = current.extension_used + amount
    if total > rule.extension.amount:
        raise StepRefused("params.amount", "procedure.extension_cap",
                          f"tổng gia hạn {total} vượt mức tối đa {rule.extension.amount} {rule.extension.unit} "
                          f"({rule.citation.vi})",
                          f"total extension {total} exceeds the cap of {rule.extension.amount} "
                          f"{rule.extension.unit} ({rule.citation.en})")
    deadline = apply_extended(rule, rules, current.trigger_on, total, calendar)
    return DeadlineChange("extend", rule.id, current.purpose, current.rule_stage, current.variant,
                          current.trigger_on, deadline, total)


def _restart(action: DeadlineAction, snap: CaseSnapshot, on: date, rules: RuleBook,
             calendar: HolidayCalendar) -> list[DeadlineChange]:
    changes = []
    for current in _running(snap, action.purpose, ("open", "paused")):
        rule = rule_in_force(rules, current.rule_id, current.trigger_on)
        try:
            deadline = apply_restarted(rule, rules, on, calendar)
        except DeadlineError as exc:
            raise _refused_from(exc) from None
        changes.append(DeadlineChange("restart", rule.id, current.purpose, current.rule_stage, current.variant,
                                      on, deadline, current.extension_used))
    return changes


def deadline_changes(actions: tuple[DeadlineAction, ...], snap: CaseSnapshot, stage: str, on: date,
                     params: Mapping[str, Any], rules: RuleBook, calendar: HolidayCalendar) -> list[DeadlineChange]:
    changes: list[DeadlineChange] = []
    for action in actions:
        if action.verb == "open":
            changes.append(_open(action, snap, stage, on, params, rules, calendar))
        elif action.verb == "extend":
            changes.append(_extend(action, snap, params, rules, calendar))
        elif action.verb == "restart":
            changes.extend(_restart(action, snap, on, rules, calendar))
        else:  # close, pause
            statuses = ("open", "paused") if action.verb == "close" else ("open",)
            changes.extend(DeadlineChange(action.verb, d.rule_id, d.purpose, d.rule_stage, d.variant)
                           for d in _running(snap, action.purpose, statuses))
    return changes


def _spec(book: ProcedureBook, snap: CaseSnapshot, name: str) -> StepSpec:
    stage = book.for_case_type(snap.case_type).stages[snap.stage]
    spec = stage.step(name)
    if spec is None:
        names = ", ".join(s.name for s in stage.steps)
        raise StepRefused("step", "procedure.unknown_step",
                          f"'{name}' không phải là bước của cấp {snap.stage} (các bước: {names})",
                          f"'{name}' is not a step of stage {snap.stage} (steps: {names})")
    return spec


def step_spec(book: ProcedureBook, snap: CaseSnapshot, name: str) -> StepSpec:
    return _spec(book, snap, name)


def _target_court(spec: StepSpec, snap: CaseSnapshot, params: Mapping[str, Any], courts: CourtRegistry) -> str | None:
    if spec.transfer:
        try:
            target = courts.resolve(params["to_court_id"]).id
        except UnknownCourt as exc:
            raise StepRefused("params.to_court_id", "procedure.unknown_court", exc.message_vi, exc.message_en) from None
        if target == snap.court_id:
            raise StepRefused("params.to_court_id", "procedure.same_court",
                              "không thể chuyển vụ án cho chính Tòa án đang giải quyết",
                              "a case cannot be transferred to the court that holds it")
        return target
    if spec.opens is None:
        return None
    court = (courts.appellate_court(snap.court_id) if spec.opens["court"] == "appellate"
             else courts.review_court(snap.court_id))
    if court is None:
        raise StepRefused("step", "procedure.no_higher_court",
                          f"không có Tòa án cấp trên có thẩm quyền cho Tòa án {snap.court_id} ({spec.citation.vi})",
                          f"no competent higher court for court {snap.court_id} ({spec.citation.en})")
    return court.id


def plan_step(book: ProcedureBook, courts: CourtRegistry, calendar: HolidayCalendar, snap: CaseSnapshot,
              name: str, on: date, raw_params: Mapping[str, Any]) -> Plan:
    """Whether step ``name`` may be taken on day ``on``, and what it changes; raises StepRefused otherwise."""
    proc = book.for_case_type(snap.case_type)
    stage = proc.stages[snap.stage]
    spec = _spec(book, snap, name)
    if snap.state not in spec.from_states:
        allowed = ", ".join(spec.from_states)
        raise StepRefused("step", "procedure.illegal_step",
                          f"bước '{name}' chỉ được thực hiện khi vụ án ở trạng thái {allowed} ({spec.citation.vi}); "
                          f"vụ án đang ở trạng thái {snap.state} (cấp {snap.stage})",
                          f"step '{name}' is only allowed in state {allowed} ({spec.citation.en}); "
                          f"the case is {snap.state} (stage {snap.stage})")
    params = parse_params(spec, raw_params)
    notes = []
    rules = book.rules
    for guard in spec.guards:
        if guard == "judge_assigned":
            guards.check_judge(spec, snap)
        elif isinstance(guard, Guard) and guard.within:
            notes.extend(guards.check_within(guard, spec, snap, params, on, proc, calendar, rules))
        elif isinstance(guard, Guard) and guard.passed:
            guards.check_passed(guard.passed, spec, snap, on)
    try:
        changes = deadline_changes(spec.deadlines, snap, snap.stage, on, params, rules, calendar)
    except DeadlineError as exc:
        raise _refused_from(exc) from None
    to_state = spec.to or snap.state
    target = _target_court(spec, snap, params, courts)
    return Plan(step=name, stage=snap.stage, from_state=snap.state, to_state=to_state,
                status=stage.states[to_state], on=on, params=params, citation_vi=spec.citation.vi,
                citation_en=spec.citation.en, changes=tuple(changes), notes=tuple(notes),
                opens_stage=spec.opens["stage"] if spec.opens else None,
                opens_court=target if spec.opens else None, transfer_to=target if spec.transfer else None,
                outcome=spec.outcome)


def plan_opening(book: ProcedureBook, snap: CaseSnapshot, stage: str, on: date,
                 calendar: HolidayCalendar) -> tuple[str, str, list[DeadlineChange]]:
    """The initial state, its status and the deadlines of stage ``stage`` opened on ``on``."""
    spec = book.for_case_type(snap.case_type).stages[stage]
    opened = CaseSnapshot(case_id=snap.case_id, court_id=snap.court_id, case_type=snap.case_type, stage=stage,
                          state=spec.initial, stage_opened_on=on, attributes=snap.attributes)
    try:
        changes = deadline_changes(spec.on_open, opened, stage, on, {}, book.rules, calendar)
    except DeadlineError as exc:
        raise _refused_from(exc) from None
    return spec.initial, spec.states[spec.initial], changes
