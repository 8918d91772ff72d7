"""Instants are stored in UTC; days (leave, tables in force) are Vietnamese calendar days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

COURT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utc_now() -> datetime:
    return datetime.now(UTC)


def court_day(instant: datetime) -> date:
    """The calendar day in Vietnam of an instant."""
    return instant.astimezone(COURT_TZ).date()


def court_today() -> date:
    return court_day(utc_now())
