"""Statutory time limits: the holiday calendar, day counting, legal rules as data, and the engine.

Where deadlines are computed: ``engine.compute_deadline`` (any rule by id) and ``engine.compute_first_deadline``
(the preparation period of a newly accepted case). Rules: ``data/rules.yaml``; holidays: ``data/holidays/``.
"""

from .calendar import HolidayCalendar
from .counting import Count, Step, add_days, add_months, add_working_days, add_years
from .engine import Deadline, compute_deadline, compute_first_deadline
from .errors import CalendarRangeError, DeadlineError, RuleDataError
from .holiday_data import DayOff
from .rules import Rule, RuleBook

__all__ = [
    "CalendarRangeError",
    "Count",
    "DayOff",
    "Deadline",
    "DeadlineError",
    "HolidayCalendar",
    "Rule",
    "RuleBook",
    "RuleDataError",
    "Step",
    "add_days",
    "add_months",
    "add_working_days",
    "add_years",
    "compute_deadline",
    "compute_first_deadline",
]
