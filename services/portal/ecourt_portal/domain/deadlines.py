"""The next statutory deadline as a citizen reads it: a date, its legal basis, the days left.

The due date arrives already computed by casefile's deadline engine (moved past weekends and
holidays); the portal only counts calendar days from today (court time zone) to that date.
"""

from __future__ import annotations

from datetime import date

from ecourt_portal.domain.text import Text


def days_remaining(due_on: date, today: date) -> int:
    """Negative once the deadline has passed; 0 on its last day."""
    return (due_on - today).days


def display_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def remaining_words(days: int) -> Text:
    if days > 1:
        return Text(f"Còn {days} ngày", f"{days} days left")
    if days == 1:
        return Text("Còn 1 ngày", "1 day left")
    if days == 0:
        return Text("Hôm nay là ngày cuối của thời hạn", "Today is the last day")
    if days == -1:
        return Text("Đã quá hạn 1 ngày", "1 day overdue")
    return Text(f"Đã quá hạn {-days} ngày", f"{-days} days overdue")
