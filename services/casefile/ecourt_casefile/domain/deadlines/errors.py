"""Errors of the deadline engine, readable in Vietnamese first and English alongside."""

from __future__ import annotations


class DeadlineError(ValueError):
    """A deadline that cannot be computed; ``code`` is stable for machines, the messages are for people."""

    def __init__(self, field: str, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{field}: {message_en}")
        self.field = field
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en

    def __str__(self) -> str:
        return f"{self.field}: {self.message_en}"


class CalendarRangeError(DeadlineError):
    """The holiday calendar has no data for the year asked about: never guess a year's holidays."""


class RuleDataError(DeadlineError):
    """The shipped legal data is malformed; raised at load so a bad file never reaches a computation."""
