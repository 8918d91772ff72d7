"""Reads and writes of ``case_status``, inside a unit of work."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_shared.db import UnitOfWork
from ecourt_shared.identifiers import format_case_id
from ecourt_stats.adapters.orm import case_status
from ecourt_stats.adapters.orm import deadline_alerts as alerts_table
from ecourt_stats.domain.status import DEADLINE_RUNNING, PENDING_STATUSES, RESOLVED_STATUSES, CaseView

_VIEW_FIELDS = [f.name for f in fields(CaseView)]
GROUPABLE = ("case_type", "stage", "status", "judge_id")


def lock_case(uow: UnitOfWork, case_id: str, court_id: str) -> CaseView:
    """Lock the case's row for this transaction, creating an empty one first if it is new.

    ``INSERT .. ON CONFLICT DO NOTHING`` makes a concurrent first event wait for ours to commit, so
    ``SELECT .. FOR UPDATE`` always finds the row and two events of one case never race.
    """
    uow.execute(insert(case_status).values(case_id=case_id, court_id=court_id, status_rank=0,
                                           updated_at=func.now())
                .on_conflict_do_nothing(index_elements=["case_id"]))
    row = uow.execute(select(*[case_status.c[name] for name in _VIEW_FIELDS])
                      .where(case_status.c.case_id == case_id).with_for_update()).one()
    return CaseView(**row._asdict())


def save_case(uow: UnitOfWork, view: CaseView) -> None:
    values = {k: v for k, v in asdict(view).items() if k != "case_id"}
    uow.execute(case_status.update().where(case_status.c.case_id == view.case_id)
                .values(**values, updated_at=func.now()))


def counts(uow: UnitOfWork, court_id: str, group_by: list[str]) -> list[dict[str, Any]]:
    columns = [case_status.c[name] for name in group_by]
    stmt = (select(*columns, func.count().label("count")).where(case_status.c.court_id == court_id)
            .group_by(*columns).order_by(*[c.asc().nulls_last() for c in columns]))
    return [dict(row._mapping) for row in uow.execute(stmt)]


def counts_by_judge(uow: UnitOfWork, court_id: str) -> list[dict[str, Any]]:
    c = case_status.c
    stmt = (select(c.judge_id, func.max(c.judge_name).label("judge_name"), c.status, func.count().label("count"))
            .where(c.court_id == court_id, c.judge_id.is_not(None))
            .group_by(c.judge_id, c.status).order_by(c.judge_id, c.status.asc().nulls_last()))
    judges: dict[str, dict[str, Any]] = {}
    for row in uow.execute(stmt):
        entry = judges.setdefault(row.judge_id, {"judge_id": row.judge_id, "judge_name": row.judge_name,
                                                 "total": 0, "pending": 0, "resolved": 0, "by_status": {}})
        entry["total"] += row.count
        if row.status in RESOLVED_STATUSES:
            entry["resolved"] += row.count
        elif row.status in PENDING_STATUSES:
            entry["pending"] += row.count
        entry["by_status"][row.status or "unknown"] = row.count
    return list(judges.values())


def overdue(uow: UnitOfWork, court_id: str, on_date: date, limit: int) -> list[dict[str, Any]]:
    c = case_status.c
    stmt = (select(c.case_id, c.case_type, c.stage, c.status, c.judge_id, c.judge_name, c.deadline_on)
            .where(c.court_id == court_id, c.deadline_on < on_date, c.status.in_(sorted(DEADLINE_RUNNING)))
            .order_by(c.deadline_on, c.case_id).limit(limit))
    return [{**row._mapping, "days_overdue": (on_date - row.deadline_on).days} for row in uow.execute(stmt)]


def record_alert(uow: UnitOfWork, *, case_id: str, kind: str, rule_id: str, due_on: date, court_id: str,
                 stage: str, judge_id: str | None, legal_basis_vi: str, legal_basis_en: str,
                 raised_at: datetime) -> None:
    """Keep one row per (case, kind, rule, due day); a re-raise (after a restart) only moves ``raised_at`` on."""
    a = alerts_table
    stmt = insert(a).values(case_id=case_id, kind=kind, rule_id=rule_id, due_on=due_on, court_id=court_id,
                            stage=stage, judge_id=judge_id, legal_basis_vi=legal_basis_vi,
                            legal_basis_en=legal_basis_en, raised_at=raised_at)
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[a.c.case_id, a.c.kind, a.c.rule_id, a.c.due_on],
        set_={"raised_at": stmt.excluded.raised_at, "court_id": stmt.excluded.court_id,
              "stage": stmt.excluded.stage, "judge_id": stmt.excluded.judge_id},
        where=a.c.raised_at < stmt.excluded.raised_at))


def deadline_alerts(uow: UnitOfWork, court_id: str, on_date: date, within_days: int,
                    limit: int) -> dict[str, list[dict[str, Any]]]:
    """The court's approaching (due ``on_date`` .. +``within_days``) and missed deadlines still standing.

    The court is the case's holding court (a transferred case's alerts follow it); an alert stands while no
    ``case_progressed`` came after it, except that an approaching deadline the later step still carries
    (same rule, same due day) keeps running and stays listed.
    """
    a, c = alerts_table.c, case_status.c
    holding = func.coalesce(c.court_id, a.court_id)
    standing = or_(c.progressed_at.is_(None), a.raised_at > c.progressed_at,
                   and_(a.kind == "approaching", c.progressed_rule_id == a.rule_id, c.progressed_due_on == a.due_on))
    base = (select(a.case_id, a.kind, a.rule_id, a.due_on, a.stage, a.legal_basis_vi, a.legal_basis_en,
                   func.coalesce(c.judge_id, a.judge_id).label("judge_id"), c.judge_name, a.raised_at)
            .select_from(alerts_table.outerjoin(case_status, c.case_id == a.case_id))
            .where(holding == court_id, standing))
    approaching = base.where(a.kind == "approaching", a.due_on >= on_date,
                             a.due_on <= on_date + timedelta(days=within_days))
    missed = base.where(a.kind == "missed")
    out: dict[str, list[dict[str, Any]]] = {}
    for name, stmt in (("approaching", approaching), ("missed", missed)):
        rows = uow.execute(stmt.order_by(a.due_on, a.case_id, a.rule_id).limit(limit))
        out[name] = [{**row._mapping, "case_code": format_case_id(row.case_id)} for row in rows]
    return out
