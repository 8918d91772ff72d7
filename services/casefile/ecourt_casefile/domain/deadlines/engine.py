"""Computes a statutory deadline from a rule id and the date of the event that triggers it.

The rule version applied is the one in force on the trigger date (or on ``on``, when the law to apply is
fixed by another date); the count follows the body of law the rule belongs to, and every Deadline carries its
legal basis and the steps that produced it, so a clerk can check it against the code by hand.
"""

from __future__ import annotations

from datetime import date

from .applying import Deadline, apply_rule, rule_in_force
from .calendar import HolidayCalendar
from .errors import DeadlineError
from .rules import RuleBook

__all__ = ["Deadline", "compute_deadline", "compute_first_deadline"]


def compute_deadline(rule_id: str, trigger_date: date, calendar: HolidayCalendar, on: date | None = None,
                     *, rules: RuleBook | None = None) -> Deadline:
    """Deadline of ``rule_id`` for an event on ``trigger_date``; ``on`` picks the law version if not that day.

    Example: ``compute_deadline("civil.appeal.judgment", date(2026, 1, 30), HolidayCalendar.load())`` ->
    due 2026-02-23 (15 days end on 14 Feb, inside Tết, so the period ends on the next working day).
    """
    book = rules or RuleBook.load()
    return apply_rule(rule_in_force(book, rule_id, on or trigger_date), book, trigger_date, calendar)


def _canonical(token: str, known: tuple[str, ...], field: str, vi_what: str) -> str:
    """Accept "D" for "Đ" and any letter case: "hngd" -> "HNGĐ"."""
    key = token.strip().upper().replace("Đ", "D")
    for code in known:
        if code.replace("Đ", "D") == key:
            return code
    raise DeadlineError(field, f"deadline.unknown_{field}",
                        f"{vi_what} '{token}' không có trong danh mục ({', '.join(known)})",
                        f"{field.replace('_', ' ')} '{token}' is not one of {', '.join(known)}")


def compute_first_deadline(case_type: str, stage: str, accepted_on: date,
                           calendar: HolidayCalendar | None = None, *, variant: str | None = None,
                           rules: RuleBook | None = None) -> Deadline:
    """Preparation deadline of a case accepted on ``accepted_on``.

    Civil and family cases (DS, HNGĐ) get 4 months, business and labour (KDTM, LĐ) 2 months; a criminal case
    needs its crime category as ``variant`` (``less_serious``, ``serious``, ``very_serious``,
    ``especially_serious``). Example: ``compute_first_deadline("DS", "ST", date(2026, 1, 15))`` -> 2026-05-15.
    """
    book = rules or RuleBook.load()
    ctype = _canonical(case_type, book.vocabulary.case_types, "case_type", "loại vụ án")
    cstage = _canonical(stage, book.vocabulary.stages, "stage", "cấp xét xử")
    matching = [r for r in book.rules if r.purpose == "preparation" and ctype in r.applies_to.case_types
                and cstage in r.applies_to.stages]
    if not matching:
        raise DeadlineError("stage", "deadline.no_first_deadline",
                            f"không có thời hạn chuẩn bị xét xử cho vụ án {ctype} ở cấp {cstage}",
                            f"there is no preparation period for a {ctype} case at stage {cstage}")
    chosen = {r.id for r in matching if r.variant == variant}
    if len(chosen) != 1:
        options = ", ".join(sorted({r.variant for r in matching if r.variant}))
        raise DeadlineError("variant", "deadline.variant_required",
                            f"vụ án {ctype} cấp {cstage} cần chọn một loại: {options} (đã nhận: {variant})",
                            f"a {ctype} case at stage {cstage} needs one of: {options} (got: {variant})")
    return apply_rule(rule_in_force(book, chosen.pop(), accepted_on), book, accepted_on,
                      calendar or HolidayCalendar.load())
