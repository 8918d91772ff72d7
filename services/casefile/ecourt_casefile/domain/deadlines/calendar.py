"""Working days of the courts: weekly rest days and public holidays, loaded per year from data with sources.

A year that is not loaded is an error, never an assumption: a deadline computed against a guessed calendar is
worse than no deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .errors import CalendarRangeError, RuleDataError
from .holiday_data import WEEKDAYS, DayOff, YearData, parse_year

_WEEKDAY_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


class HolidayCalendar:
    def __init__(self, years: Iterable[YearData]) -> None:
        self._years: dict[int, YearData] = {}
        for data in years:
            if data.year in self._years:
                raise RuleDataError("holiday_calendar", "holidays.duplicate_year",
                                    f"năm {data.year} được nạp hai lần", f"year {data.year} is loaded twice")
            self._years[data.year] = data

    @classmethod
    def from_documents(cls, docs: Iterable[Mapping[str, Any]]) -> HolidayCalendar:
        return cls(parse_year(doc) for doc in docs)

    @classmethod
    def load(cls) -> HolidayCalendar:
        """Every ``data/holidays/vn-*.yaml`` shipped with the package (read once per process)."""
        return _load_shipped()

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._years))

    def _year(self, d: date) -> YearData:
        data = self._years.get(d.year)
        if data is None:
            loaded = ", ".join(map(str, self.years)) or "-"
            raise CalendarRangeError(
                "date", "calendar.year_not_loaded",
                f"chưa có lịch ngày nghỉ năm {d.year} (ngày {d:%d/%m/%Y}); đã nạp: {loaded}",
                f"no holiday calendar for {d.year} (date {d.isoformat()}); loaded years: {loaded}")
        return data

    def day_off(self, d: date) -> DayOff | None:
        """Why ``d`` is not a working day (holiday or weekly rest), or None when it is one."""
        data = self._year(d)
        if d in data.working_days:
            return None
        if d in data.days_off:
            return data.days_off[d]
        if d.weekday() in data.weekly_rest_days:
            vi, en = data.weekly_rest_source
            return DayOff(d, f"{_WEEKDAY_VI[d.weekday()]}, ngày nghỉ hằng tuần",
                          f"{WEEKDAYS[d.weekday()].capitalize()}, a weekly rest day", vi, en)
        return None

    def is_working_day(self, d: date) -> bool:
        return self.day_off(d) is None

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.working_day_on_or_after(d + timedelta(days=1))

    def working_day_on_or_after(self, d: date) -> date:
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def unverified_days(self, start: date, end: date) -> list[DayOff]:
        """Days off in ``start..end`` whose data is marked verify (estimated or thinly sourced)."""
        days = (start + timedelta(days=n) for n in range((end - start).days + 1))
        found = (self._year(d).days_off.get(d) for d in days)
        return [day for day in found if day is not None and day.verify]


@cache
def _load_shipped() -> HolidayCalendar:
    folder = resources.files(__package__) / "data" / "holidays"
    files = sorted((f for f in folder.iterdir() if f.name.startswith("vn-") and f.name.endswith(".yaml")),
                   key=lambda f: f.name)
    return HolidayCalendar.from_documents(yaml.safe_load(f.read_text(encoding="utf-8")) for f in files)
