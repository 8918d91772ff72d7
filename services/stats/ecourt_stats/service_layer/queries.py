"""Read-side queries of stats, always scoped to one court."""

from __future__ import annotations

from datetime import date
from typing import Any

from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_stats.adapters import repository
from ecourt_stats.domain.clock import legal_day, utc_now

DEFAULT_GROUP_BY = ("case_type", "status")
MAX_OVERDUE_ROWS = 5000
MAX_WITHIN_DAYS = 60


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


def deadline_alerts(uows: UnitOfWorkFactory, court_id: str, on_date: str | date | None = None,
                    within_days: int = 7, limit: int = 500) -> dict[str, Any]:
    """The president's deadline board: approaching within ``within_days`` of ``on_date`` (default today, court
    time) and missed deadlines still standing, each with its rule, legal basis and case code."""
    day = legal_day(utc_now()) if on_date is None else parse_on_date(on_date)
    if not isinstance(within_days, int) or isinstance(within_days, bool) or not 0 <= within_days <= MAX_WITHIN_DAYS:
        raise RequestRejected.single("within_days", "within_days.range",
                                     f"within_days phải từ 0 đến {MAX_WITHIN_DAYS}.",
                                     f"within_days must be between 0 and {MAX_WITHIN_DAYS}")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_OVERDUE_ROWS:
        raise RequestRejected.single("limit", "limit.range", f"limit phải từ 1 đến {MAX_OVERDUE_ROWS}.",
                                     f"limit must be between 1 and {MAX_OVERDUE_ROWS}")
    with uows() as uow:
        found = repository.deadline_alerts(uow, court_id, day, within_days, limit)

    def shown(row: dict[str, Any]) -> dict[str, Any]:
        due: date = row["due_on"]
        extra = ({"days_left": (due - day).days} if row["kind"] == "approaching"
                 else {"days_over": max((day - due).days, 0)})
        return {"case_id": row["case_id"], "case_code": row["case_code"], "stage": row["stage"],
                "rule_id": row["rule_id"], "due_on": due.isoformat(), "legal_basis_vi": row["legal_basis_vi"],
                "legal_basis_en": row["legal_basis_en"], "judge_id": row["judge_id"],
                "judge_name": row["judge_name"], **extra}

    return {"on_date": day.isoformat(), "within_days": within_days,
            "approaching": [shown(r) for r in found["approaching"]], "missed": [shown(r) for r in found["missed"]]}
