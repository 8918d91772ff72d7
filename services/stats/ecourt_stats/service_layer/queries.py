"""Read-side queries of stats, always scoped to one court."""

from __future__ import annotations

from datetime import date
from typing import Any

from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_stats.adapters import repository

DEFAULT_GROUP_BY = ("case_type", "status")
MAX_OVERDUE_ROWS = 5000


def validate_group_by(group_by: list[str] | tuple[str, ...] | None) -> list[str]:
    chosen = list(DEFAULT_GROUP_BY if group_by is None else group_by)
    allowed = ", ".join(repository.GROUPABLE)
    if not isinstance(chosen, list) or not all(isinstance(g, str) for g in chosen):
        raise RequestRejected.single("group_by", "group_by.type", "group_by phải là danh sách tên cột.",
                                     "group_by must be a list of column names")
    bad = [g for g in chosen if g not in repository.GROUPABLE]
    if bad or len(set(chosen)) != len(chosen):
        raise RequestRejected.single("group_by", "group_by.invalid",
                                     f"Chỉ được nhóm theo (không lặp lại): {allowed}.",
                                     f"group_by accepts only (without repeats): {allowed}")
    return chosen


def parse_on_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RequestRejected.single("on_date", "on_date.format",
                                     "Ngày phải theo dạng YYYY-MM-DD, ví dụ 2026-03-01.",
                                     "on_date must be an ISO date (YYYY-MM-DD), e.g. 2026-03-01") from None


def counts(uows: UnitOfWorkFactory, court_id: str, group_by: list[str] | None = None) -> list[dict[str, Any]]:
    columns = validate_group_by(group_by)
    with uows() as uow:
        return repository.counts(uow, court_id, columns)


def counts_by_judge(uows: UnitOfWorkFactory, court_id: str) -> list[dict[str, Any]]:
    with uows() as uow:
        return repository.counts_by_judge(uow, court_id)


def overdue(uows: UnitOfWorkFactory, court_id: str, on_date: str | date, limit: int = 500) -> list[dict[str, Any]]:
    day = parse_on_date(on_date)
    if not isinstance(limit, int) or not 1 <= limit <= MAX_OVERDUE_ROWS:
        raise RequestRejected.single("limit", "limit.range", f"limit phải từ 1 đến {MAX_OVERDUE_ROWS}.",
                                     f"limit must be between 1 and {MAX_OVERDUE_ROWS}")
    with uows() as uow:
        rows = repository.overdue(uow, court_id, day, limit)
    return [{**row, "deadline_on": row["deadline_on"].isoformat()} for row in rows]
