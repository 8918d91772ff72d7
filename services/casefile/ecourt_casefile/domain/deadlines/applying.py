"""Applies one rule version to a trigger date: the Deadline with its legal basis and every step explained."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import HolidayCalendar
from .counting import Count, Step, _shift_months, add_days, add_months, add_working_days, add_years
from .errors import CalendarRangeError, DeadlineError
from .rules import Period, Rule, RuleBook

_COUNTERS = {"days": add_days, "months": add_months, "years": add_years, "working_days": add_working_days}
UNIT_NAMES = {"days": ("ngày", "days"), "months": ("tháng", "months"), "years": ("năm", "years"),
              "working_days": ("ngày làm việc", "working days")}


@dataclass(frozen=True)
class Deadline:
    rule_id: str
    due_on: date
    legal_basis_vi: str
    legal_basis_en: str
    explanation: tuple[Step, ...]
    rule_version: int = 1
    extension_cap: Period | None = None
    verify: bool = False  # the rule, a counting provision or a day off on the way is marked verify


def _period(p: Period) -> tuple[str, str]:
    vi, en = UNIT_NAMES[p.unit]
    return f"{p.amount} {vi}", f"{p.amount} {en}"


def rule_in_force(rules: RuleBook, rule_id: str, day: date) -> Rule:
    versions = rules.versions(rule_id)
    if not versions:
        raise DeadlineError("rule_id", "deadline.unknown_rule", f"không có quy tắc thời hạn '{rule_id}'",
                            f"there is no deadline rule '{rule_id}'")
    in_force = [r for r in versions if r.effective_from <= day]
    if not in_force:
        first = versions[0].effective_from
        raise DeadlineError("trigger_date", "deadline.no_rule_in_force",
                            f"quy tắc '{rule_id}' chỉ áp dụng từ {first:%d/%m/%Y}, "
                            f"chưa có hiệu lực ngày {day:%d/%m/%Y}",
                            f"rule '{rule_id}' applies from {first.isoformat()}, not on {day.isoformat()}")
    return in_force[-1]


def apply_rule(rule: Rule, rules: RuleBook, trigger_date: date, calendar: HolidayCalendar) -> Deadline:
    trigger, code = rules.triggers[rule.trigger], rules.codes[rule.code]
    period_vi, period_en = _period(rule.period)
    intro = Step(f"Quy tắc {rule.id} (phiên bản {rule.version}, áp dụng từ {rule.effective_from:%d/%m/%Y}): "
                 f"{period_vi} kể từ {trigger.vi} ({rule.citation.vi})",
                 f"Rule {rule.id} (version {rule.version}, in force from {rule.effective_from.isoformat()}): "
                 f"{period_en} from {trigger.en} ({rule.citation.en})")
    count: Count = _COUNTERS[rule.period.unit](trigger_date, rule.period.amount, calendar, code.counting)
    steps = [intro, *count.steps]
    if rule.extension is not None:
        ext_vi, ext_en = _period(rule.extension)
        steps.append(Step(f"Có thể gia hạn tối đa {ext_vi} ({rule.citation.vi})",
                          f"May be extended by at most {ext_en} ({rule.citation.en})"))
    unverified = calendar.unverified_days(count.decisive_from, count.due_on)
    if unverified:
        listed_vi = ", ".join(f"{d.day:%d/%m/%Y}" for d in unverified)
        steps.append(Step(f"Cần kiểm tra: ngày nghỉ {listed_vi} là dữ liệu ước tính hoặc chưa đối chiếu văn bản",
                          f"To verify: days off {', '.join(d.day.isoformat() for d in unverified)} "
                          f"are estimated or not yet checked against the notice"))
    return Deadline(rule.id, count.due_on, rule.citation.vi, rule.citation.en, tuple(steps), rule.version,
                    rule.extension, rule.verify or count.verify or bool(unverified))


def apply_extended(rule: Rule, rules: RuleBook, trigger_date: date, extension: int,
                   calendar: HolidayCalendar) -> Deadline:
    """The deadline of ``rule`` extended by ``extension`` (in the unit of the rule's extension cap).

    Same unit: one period of (amount + extension) from the trigger. Different units (2 months + 30 days): the
    extension runs from the last day of the unextended period, before any move past a day off.
    """
    if rule.extension is None:
        raise DeadlineError("amount", "deadline.no_extension", f"quy tắc {rule.id} không cho phép gia hạn",
                            f"rule {rule.id} allows no extension")
    base = apply_rule(rule, rules, trigger_date, calendar)
    code = rules.codes[rule.code]
    if rule.extension.unit == rule.period.unit:
        count = _COUNTERS[rule.period.unit](trigger_date, rule.period.amount + extension, calendar, code.counting)
    else:
        unshifted = _COUNTERS[rule.period.unit](trigger_date, rule.period.amount, calendar, code.counting).decisive_from
        count = _COUNTERS[rule.extension.unit](unshifted, extension, calendar, code.counting)
    unit_vi, unit_en = UNIT_NAMES[rule.extension.unit]
    steps = (*base.explanation,
             Step(f"Đã gia hạn {extension} {unit_vi} ({rule.citation.vi})",
                  f"Extended by {extension} {unit_en} ({rule.citation.en})"),
             *count.steps[1:])
    return Deadline(rule.id, count.due_on, rule.citation.vi, rule.citation.en, steps, rule.version,
                    rule.extension, base.verify or count.verify)


def apply_restarted(rule: Rule, rules: RuleBook, resumed_on: date, calendar: HolidayCalendar) -> Deadline:
    """The full period again from the day the case resumed (the rule's ``restart_trigger``)."""
    if rule.restart_trigger is None:
        raise DeadlineError("step", "deadline.no_restart", f"quy tắc {rule.id} không tính lại sau khi tạm đình chỉ",
                            f"rule {rule.id} does not restart after a suspension")
    restarted = apply_rule(rule, rules, resumed_on, calendar)
    why = rules.triggers[rule.restart_trigger]
    note = Step(f"Thời hạn được tính lại từ {why.vi}, {resumed_on:%d/%m/%Y} ({rule.citation.vi})",
                f"The period restarts from {why.en}, {resumed_on.isoformat()} ({rule.citation.en})")
    return Deadline(rule.id, restarted.due_on, rule.citation.vi, rule.citation.en, (note, *restarted.explanation),
                    rule.version, rule.extension, restarted.verify)


def apply_provisional(rule: Rule, rules: RuleBook, trigger_date: date, missing: CalendarRangeError) -> Deadline:
    """A long period ending in a year whose holiday calendar is not loaded yet (a 3-year protest window).

    The last day is counted without the calendar and marked to verify: when it falls on a day off, it moves to the
    next working day once that year's calendar is loaded. Never a guessed holiday; working days cannot be counted.
    """
    if rule.period.unit == "working_days":
        raise missing
    months = {"months": rule.period.amount, "years": 12 * rule.period.amount}.get(rule.period.unit)
    last = trigger_date + timedelta(days=rule.period.amount) if months is None else _shift_months(trigger_date, months)
    period_vi, period_en = _period(rule.period)
    steps = (Step(f"Quy tắc {rule.id} (phiên bản {rule.version}): {period_vi} kể từ {rules.triggers[rule.trigger].vi}, "
                  f"ngày cuối cùng {last:%d/%m/%Y} ({rule.citation.vi})",
                  f"Rule {rule.id} (version {rule.version}): {period_en} from {rules.triggers[rule.trigger].en}, "
                  f"last day {last.isoformat()} ({rule.citation.en})"),
             Step(f"Tạm tính: {missing.message_vi}; nếu ngày cuối là ngày nghỉ, "
                  "thời hạn lùi sang ngày làm việc tiếp theo",
                  f"Provisional: {missing.message_en}; if the last day is a day off, the period ends on the next "
                  f"working day"))
    return Deadline(rule.id, last, rule.citation.vi, rule.citation.en, steps, rule.version, rule.extension, True)
