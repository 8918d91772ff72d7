"""Applies one rule version to a trigger date: the Deadline with its legal basis and every step explained."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar import HolidayCalendar
from .counting import Count, Step, add_days, add_months, add_working_days, add_years
from .errors import DeadlineError
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
