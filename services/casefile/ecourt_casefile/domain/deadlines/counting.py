"""Counting a period the way the law does (Civil Code 2015 arts 144-148; BLTTHS art. 134 for criminal cases).

* The day of the triggering event is not counted: the period starts the next day.
* A period in days ends on its last day; in months (or years) on the same-numbered day of the last month,
  or that month's last day when it has no such day.
* A period in working days counts only working days.
* A last day that is a weekly rest day or a holiday moves to the next working day.
Every function returns the due date with the steps that led to it, in Vietnamese and English, each citing
the provision applied. The citations live in ``data/counting.yaml``.
"""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import HolidayCalendar
from .counting_basis import Provision, counting_basis


@dataclass(frozen=True)
class Step:
    vi: str
    en: str


@dataclass(frozen=True)
class Count:
    due_on: date
    steps: tuple[Step, ...]
    decisive_from: date  # first day whose working/day-off status decided the result
    verify: bool = False  # a provision applied is marked verify in the data


def _vi(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _start(trigger: date, basis: dict[str, Provision]) -> Step:
    c = basis["start"]
    return Step(f"Ngày {_vi(trigger)} xảy ra sự kiện không được tính; thời hạn bắt đầu từ "
                f"{_vi(trigger + timedelta(days=1))} ({c.vi})",
                f"The event day {trigger.isoformat()} is not counted; the period starts on "
                f"{(trigger + timedelta(days=1)).isoformat()} ({c.en})")


def _settle(last: date, steps: list[Step], calendar: HolidayCalendar, basis: dict[str, Provision],
            used: tuple[str, ...]) -> Count:
    off = calendar.day_off(last)
    if off is not None:
        due, c = calendar.next_working_day(last), basis["day_off"]
        steps.append(Step(f"{_vi(last)} là ngày nghỉ: {off.name_vi}. Thời hạn kết thúc vào ngày làm việc "
                          f"tiếp theo, {_vi(due)} ({c.vi})",
                          f"{last.isoformat()} is not a working day: {off.name_en}. The period ends on the next "
                          f"working day, {due.isoformat()} ({c.en})"))
        used += ("day_off",)
    else:
        due = last
    return Count(due, tuple(steps), last, any(basis[k].verify for k in used))


def add_days(trigger: date, days: int, calendar: HolidayCalendar, basis: str = "civil_code") -> Count:
    b = counting_basis(basis)
    last, c = trigger + timedelta(days=days), b["end_days"]
    steps = [_start(trigger, b), Step(f"Ngày thứ {days} của thời hạn là {_vi(last)} ({c.vi})",
                                      f"Day {days} of the period is {last.isoformat()} ({c.en})")]
    return _settle(last, steps, calendar, b, ("start", "end_days"))


def _shift_months(d: date, months: int) -> date:
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, gregorian.monthrange(year, month)[1]))


def _by_months(trigger: date, months: int, calendar: HolidayCalendar, basis: str,
              key: str, label: tuple[str, str]) -> Count:
    b = counting_basis(basis)
    last, c = _shift_months(trigger, months), b[key]
    same_day = last.day == trigger.day
    vi_rule = "ngày tương ứng" if same_day else "ngày cuối cùng của tháng (không có ngày tương ứng)"
    en_rule = "the same-numbered day" if same_day else "the month's last day (no same-numbered day)"
    steps = [_start(trigger, b), Step(f"Thời hạn {label[0]} kết thúc vào {vi_rule}: {_vi(last)} ({c.vi})",
                                      f"A {label[1]} period ends on {en_rule}: {last.isoformat()} ({c.en})")]
    return _settle(last, steps, calendar, b, ("start", key))


def add_months(trigger: date, months: int, calendar: HolidayCalendar, basis: str = "civil_code") -> Count:
    return _by_months(trigger, months, calendar, basis, "end_months", (f"{months} tháng", f"{months}-month"))


def add_years(trigger: date, years: int, calendar: HolidayCalendar, basis: str = "civil_code") -> Count:
    return _by_months(trigger, 12 * years, calendar, basis, "end_years", (f"{years} năm", f"{years}-year"))


def add_working_days(trigger: date, days: int, calendar: HolidayCalendar, basis: str = "civil_code") -> Count:
    b = counting_basis(basis)
    counted: list[date] = []
    day = trigger
    while len(counted) < days:
        day = calendar.next_working_day(day)
        counted.append(day)
    c = b["working_days"]
    listed = ", ".join(_vi(d) for d in counted)
    steps = [_start(trigger, b), Step(f"Đếm {days} ngày làm việc: {listed} ({c.vi})",
                                      f"Counting {days} working days: "
                                      f"{', '.join(d.isoformat() for d in counted)} ({c.en})")]
    return Count(counted[-1], tuple(steps), trigger + timedelta(days=1), b["start"].verify or c.verify)
