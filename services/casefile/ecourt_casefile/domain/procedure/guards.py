"""The conditions a step may carry besides its starting states: a judge assigned, inside a time limit, after one."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..deadlines import HolidayCalendar, Step
from ..deadlines.applying import apply_rule, rule_in_force
from .errors import StepRefused
from .model import Guard, Procedure, StepSpec, select_rules
from .state import CaseSnapshot

_VI = "%d/%m/%Y"


def filing_date(params: dict[str, Any], on: date, proc: Procedure) -> tuple[date, list[Step]]:
    """The day a filing counts as made: the postmark or the detention facility's date wins over receipt."""
    for key, vi, en in (("postmarked_on", "ngày dấu bưu điện", "postmark date"),
                        ("detention_certified_on", "ngày giám thị trại giam xác nhận",
                         "date certified by the detention facility"),
                        ("submitted_online_on", "ngày gửi đơn trực tuyến", "day it was submitted online")):
        if key in params:
            d = params[key]
            return d, [Step(f"Ngày kháng cáo là {vi} {d:{_VI}} ({proc.filing_date.vi})",
                            f"The filing counts from the {en}, {d.isoformat()} ({proc.filing_date.en})")]
    return params.get("received_on", on), []


def _windows(guard: Guard, snap: CaseSnapshot, params: dict[str, Any], proc: Procedure, calendar: HolidayCalendar,
             rules: Any) -> list[tuple[date, str, str]]:
    stage = guard.stage or snap.stage
    assert guard.within is not None
    if guard.trigger_param:
        [rule_id] = select_rules(rules, snap.case_type, stage, guard.within, None)
        start = params[guard.trigger_param]
        d = apply_rule(rule_in_force(rules, rule_id, start), rules, start, calendar)
        return [(d.due_on, d.legal_basis_vi, d.legal_basis_en)]
    level = params.get("level")
    running = [d for d in snap.deadlines if d.status == "open"]
    if stage != snap.stage:  # a later appeal or protest against the judgment the case was appealed from
        running += snap.appealed_windows
    found = [(d.due_on, d.legal_basis_vi, d.legal_basis_en) for d in running
             if d.purpose == guard.within and d.rule_stage == stage
             and (level is None or (d.variant or "").startswith(level))]
    if "judgment_received_on" in params:  # a party absent with good reason counts from receipt or posting
        ids = select_rules(rules, snap.case_type, stage, guard.within, "absent_party")
        if ids:
            start = params["judgment_received_on"]
            d = apply_rule(rule_in_force(rules, ids[0], start), rules, start, calendar)
            found.append((d.due_on, d.legal_basis_vi, d.legal_basis_en))
    return found


def check_within(guard: Guard, spec: StepSpec, snap: CaseSnapshot, params: dict[str, Any], on: date,
                 proc: Procedure, calendar: HolidayCalendar, rules: Any) -> list[Step]:
    if guard.waived_by and params.get(guard.waived_by) and guard.waiver:
        return [Step(f"Không áp dụng thời hạn ({guard.waiver.vi})", f"No time limit applies ({guard.waiver.en})")]
    filed, notes = filing_date(params, on, proc)
    windows = _windows(guard, snap, params, proc, calendar, rules)
    if not windows:
        raise StepRefused("step", "procedure.no_window",
                          f"không có thời hạn '{guard.within}' nào đang chạy cho vụ án ({spec.citation.vi})",
                          f"no '{guard.within}' time limit is running for the case ({spec.citation.en})")
    due, basis_vi, basis_en = max(windows)
    if filed <= due:
        return notes
    if params.get("late_appeal_accepted"):
        return [*notes, Step(f"Nộp ngày {filed:{_VI}}, quá thời hạn {due:{_VI}}, được chấp nhận "
                             f"({proc.late_filing.vi})",
                             f"Filed {filed.isoformat()}, after {due.isoformat()}, accepted late "
                             f"({proc.late_filing.en})")]
    raise StepRefused("step", "procedure.out_of_time",
                      f"nộp ngày {filed:{_VI}} đã quá thời hạn kết thúc ngày {due:{_VI}} ({basis_vi})",
                      f"filed on {filed.isoformat()}, after the time limit ending {due.isoformat()} ({basis_en})")


def check_passed(purposes: tuple[str, ...], spec: StepSpec, snap: CaseSnapshot, on: date) -> None:
    running = [d for d in snap.deadlines if d.purpose in purposes and d.rule_stage == snap.stage
               and d.status == "open" and d.due_on >= on]
    if running:
        last = max(running, key=lambda d: d.due_on)
        raise StepRefused("step", "procedure.window_open",
                          f"thời hạn {last.purpose} ({last.legal_basis_vi}) còn đến ngày {last.due_on:{_VI}}; "
                          f"chỉ sau đó mới được thực hiện bước '{spec.name}' ({spec.citation.vi})",
                          f"the {last.purpose} time limit ({last.legal_basis_en}) runs until "
                          f"{last.due_on.isoformat()}; step '{spec.name}' only after it ({spec.citation.en})")


def check_judge(spec: StepSpec, snap: CaseSnapshot) -> None:
    if snap.judge_id is None:
        raise StepRefused("step", "procedure.no_judge",
                          f"vụ án chưa được phân công Thẩm phán; không thể thực hiện '{spec.name}' "
                          f"({spec.citation.vi})",
                          f"no judge is assigned to the case; '{spec.name}' is not possible ({spec.citation.en})")
