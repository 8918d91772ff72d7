"""Instants are stored in UTC; legal days (and "days remaining") are counted in the court's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

COURT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utc_now() -> datetime:
    return datetime.now(UTC)


def legal_day(instant: datetime) -> date:
    return instant.astimezone(COURT_TZ).date()
