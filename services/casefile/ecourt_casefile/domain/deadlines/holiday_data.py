"""Reads one year of the holiday calendar (``data/holidays/vn-YYYY.yaml``) and refuses malformed files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .errors import RuleDataError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ENTRY_KEYS = {"date", "from", "to", "vi", "en", "source", "verify"}


@dataclass(frozen=True)
class DayOff:
    day: date
    name_vi: str
    name_en: str
    source_vi: str
    source_en: str
    verify: bool = False


@dataclass(frozen=True)
class YearData:
    year: int
    weekly_rest_days: frozenset[int]  # date.weekday() numbers
    days_off: Mapping[date, DayOff]
    working_days: Mapping[date, DayOff]  # weekly rest days worked in exchange for a swapped day off
    weekly_rest_source: tuple[str, str]


def _bad(message_vi: str, message_en: str) -> RuleDataError:
    return RuleDataError("holiday_calendar", "holidays.invalid_data", message_vi, message_en)


def _expand(entry: Mapping[str, Any], year: int, sources: Mapping[str, Any]) -> list[DayOff]:
    unknown = set(entry) - _ENTRY_KEYS
    if unknown or not entry.get("vi") or not entry.get("en") or entry.get("source") not in sources:
        raise _bad(f"mục lịch nghỉ {dict(entry)} thiếu tên, nguồn hoặc có khóa lạ {sorted(unknown)}",
                   f"holiday entry {dict(entry)} lacks a name or a known source, or has unknown keys")
    first, last = (entry["date"], entry["date"]) if "date" in entry else (entry.get("from"), entry.get("to"))
    if not (isinstance(first, date) and isinstance(last, date) and first <= last):
        raise _bad(f"mục lịch nghỉ {dict(entry)} cần 'date' hoặc 'from'/'to' là ngày hợp lệ",
                   f"holiday entry {dict(entry)} needs 'date' or 'from'/'to' dates")
    if first.year != year or last.year != year:
        raise _bad(f"ngày {first}..{last} không thuộc năm {year}", f"dates {first}..{last} are not in {year}")
    source = sources[entry["source"]]
    verify = bool(entry.get("verify", False))  # a source's own "verify" concerns its citation, not the dates
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [DayOff(d, entry["vi"], entry["en"], source["vi"], source["en"], verify) for d in days]


def parse_year(doc: Mapping[str, Any]) -> YearData:
    year, sources = doc.get("year"), doc.get("sources") or {}
    if not isinstance(year, int) or "weekly_rest" not in sources:
        raise _bad("tệp lịch nghỉ thiếu năm hoặc nguồn 'weekly_rest'",
                   "holiday file lacks its year or its 'weekly_rest' source")
    for key, source in sources.items():
        if not (isinstance(source, Mapping) and source.get("vi") and source.get("en")):
            raise _bad(f"nguồn '{key}' năm {year} thiếu trích dẫn tiếng Việt hoặc tiếng Anh",
                       f"source '{key}' of {year} lacks its Vietnamese or English citation")
    rest_names = doc.get("weekly_rest_days") or []
    if not set(rest_names) <= set(WEEKDAYS):
        raise _bad(f"ngày nghỉ hằng tuần không hợp lệ: {rest_names}", f"unknown weekly rest days: {rest_names}")
    rest = frozenset(WEEKDAYS.index(name) for name in rest_names)
    days_off = {d.day: d for e in doc.get("days_off") or [] for d in _expand(e, year, sources)}
    working = {d.day: d for e in doc.get("working_days") or [] for d in _expand(e, year, sources)}
    for day in working:
        if day.weekday() not in rest or day in days_off:
            raise _bad(f"ngày làm bù {day} phải là ngày nghỉ hằng tuần và không phải ngày lễ",
                       f"make-up working day {day} must be a weekly rest day and not a holiday")
    weekly = sources["weekly_rest"]
    return YearData(year, rest, days_off, working, (weekly["vi"], weekly["en"]))
