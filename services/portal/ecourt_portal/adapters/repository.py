"""Reads and writes of the portal's tables, inside a unit of work.

The three upserts converge whatever order events arrive in: each event owns some columns, an
assignment or a procedural step only replaces an older one, and the receipt fills what it knows
without lowering a status that casefile already reported.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert

from ecourt_portal.adapters.orm import lookup_failures, public_cases
from ecourt_portal.domain.public_case import Alert, PublicCase, Transfer
from ecourt_portal.domain.text import Text
from ecourt_shared.db import UnitOfWork

t = public_cases


def upsert_receipt(uow: UnitOfWork, *, case_id: str, court_id: str, case_code: str, acceptance_number: str,
                   case_type: str, stage: str, accepted_on: date, receipt_secret_hash: str, now: datetime) -> None:
    stmt = insert(t).values(case_id=case_id, court_id=court_id, case_code=case_code,
                            acceptance_number=acceptance_number, case_type=case_type, stage=stage,
                            status="accepted", accepted_on=accepted_on, receipt_secret_hash=receipt_secret_hash,
                            updated_at=now)
    new = stmt.excluded
    uow.execute(stmt.on_conflict_do_update(index_elements=[t.c.case_id], set_={
        "court_id": new.court_id, "case_code": new.case_code, "acceptance_number": new.acceptance_number,
        "accepted_on": new.accepted_on, "receipt_secret_hash": new.receipt_secret_hash,
        # casefile's view of type, stage and status is newer than the receipt's, whenever it arrived
        "case_type": func.coalesce(t.c.case_type, new.case_type),
        "stage": func.coalesce(t.c.stage, new.stage),
        "status": func.coalesce(t.c.status, new.status),
        "updated_at": new.updated_at}))


def upsert_assignment(uow: UnitOfWork, *, case_id: str, court_id: str, case_code: str, judge_name: str,
                      assigned_at: datetime, event_id: str, now: datetime) -> None:
    stmt = insert(t).values(case_id=case_id, court_id=court_id, case_code=case_code, judge_name=judge_name,
                            judge_assigned_at=assigned_at, judge_event_id=event_id, updated_at=now)
    new = stmt.excluded
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[t.c.case_id],
        set_={"judge_name": new.judge_name, "judge_assigned_at": new.judge_assigned_at,
              "judge_event_id": new.judge_event_id, "updated_at": new.updated_at},
        where=t.c.judge_assigned_at.is_(None)
        | (tuple_(t.c.judge_assigned_at, t.c.judge_event_id) < tuple_(new.judge_assigned_at, new.judge_event_id))))


def upsert_progress(uow: UnitOfWork, *, case_id: str, court_id: str, case_code: str, case_type: str, stage: str,
                    status: str, deadline_on: date | None, deadline_rule_id: str | None, legal_basis_vi: str | None,
                    legal_basis_en: str | None, occurred_at: datetime, event_id: str, now: datetime) -> None:
    stmt = insert(t).values(case_id=case_id, court_id=court_id, case_code=case_code, case_type=case_type,
                            stage=stage, status=status, deadline_on=deadline_on, deadline_rule_id=deadline_rule_id,
                            legal_basis_vi=legal_basis_vi, legal_basis_en=legal_basis_en, progressed_at=occurred_at,
                            progress_event_id=event_id, progress_court_id=court_id, updated_at=now)
    new = stmt.excluded
    owned = ("case_type", "stage", "status", "deadline_on", "deadline_rule_id", "legal_basis_vi", "legal_basis_en",
             "progressed_at", "progress_event_id", "progress_court_id", "updated_at")
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[t.c.case_id], set_={name: new[name] for name in owned},
        where=t.c.progressed_at.is_(None)
        | (tuple_(t.c.progressed_at, t.c.progress_event_id) < tuple_(new.progressed_at, new.progress_event_id))))


def upsert_transfer(uow: UnitOfWork, *, case_id: str, court_id: str, case_code: str, from_court_id: str,
                    reason: str, transferred_on: date, court_name_vi: str | None, court_name_en: str | None,
                    occurred_at: datetime, event_id: str, now: datetime) -> None:
    """The latest transfer (by when casefile recorded it) wins; the row's other columns are left alone."""
    stmt = insert(t).values(case_id=case_id, court_id=court_id, case_code=case_code, transfer_court_id=court_id,
                            transfer_from_court_id=from_court_id, transfer_reason=reason,
                            transferred_on=transferred_on, court_name_vi=court_name_vi, court_name_en=court_name_en,
                            transferred_at=occurred_at, transfer_event_id=event_id, updated_at=now)
    new = stmt.excluded
    owned = ("transfer_court_id", "transfer_from_court_id", "transfer_reason", "transferred_on", "court_name_vi",
             "court_name_en", "transferred_at", "transfer_event_id", "updated_at")
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[t.c.case_id], set_={name: new[name] for name in owned},
        where=t.c.transferred_at.is_(None)
        | (tuple_(t.c.transferred_at, t.c.transfer_event_id) < tuple_(new.transferred_at, new.transfer_event_id))))


def upsert_alert(uow: UnitOfWork, *, case_id: str, court_id: str, case_code: str, kind: str, rule_id: str,
                 due_on: date, basis_vi: str, basis_en: str, occurred_at: datetime, event_id: str,
                 now: datetime) -> None:
    """The latest deadline alert (by when casefile raised it) wins."""
    stmt = insert(t).values(case_id=case_id, court_id=court_id, case_code=case_code, alert_kind=kind,
                            alert_rule_id=rule_id, alert_due_on=due_on, alert_basis_vi=basis_vi,
                            alert_basis_en=basis_en, alert_at=occurred_at, alert_event_id=event_id, updated_at=now)
    new = stmt.excluded
    owned = ("alert_kind", "alert_rule_id", "alert_due_on", "alert_basis_vi", "alert_basis_en", "alert_at",
             "alert_event_id", "updated_at")
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[t.c.case_id], set_={name: new[name] for name in owned},
        where=t.c.alert_at.is_(None)
        | (tuple_(t.c.alert_at, t.c.alert_event_id) < tuple_(new.alert_at, new.alert_event_id))))


def find_case(uow: UnitOfWork, case_id: str) -> tuple[PublicCase, str | None] | None:
    """The case and its receipt secret hash (None until the receipt has arrived)."""
    row = uow.execute(select(t).where(t.c.case_id == case_id)).first()
    if row is None:
        return None
    case = PublicCase(
        case_id=row.case_id, case_code=row.case_code, acceptance_number=row.acceptance_number,
        case_type=row.case_type, stage=row.stage, status=row.status, judge_name=row.judge_name,
        accepted_on=row.accepted_on, deadline_on=row.deadline_on, deadline_rule_id=row.deadline_rule_id,
        legal_basis_vi=row.legal_basis_vi, legal_basis_en=row.legal_basis_en,
        court=holding_court(row), transfer=_transfer(row), alert=_alert(row))
    return case, row.receipt_secret_hash


def holding_court(row: Any) -> str:
    """The court of the later of the latest step and the latest transfer (the receipt's court otherwise)."""
    known = [(at, court) for at, court in ((row.progressed_at, row.progress_court_id),
                                           (row.transferred_at, row.transfer_court_id))
             if at is not None and court is not None]
    return max(known)[1] if known else row.court_id


def _transfer(row: Any) -> Transfer | None:
    if row.transferred_at is None:
        return None
    return Transfer(court_id=row.transfer_court_id, from_court_id=row.transfer_from_court_id,
                    reason=row.transfer_reason, transferred_on=row.transferred_on,
                    court_name=Text(row.court_name_vi, row.court_name_en or row.court_name_vi)
                    if row.court_name_vi else None)


def _alert(row: Any) -> Alert | None:
    """The alert stands while no step came after it, or (approaching) the later step still runs that deadline."""
    if row.alert_at is None:
        return None
    moved_on = row.progressed_at is not None and row.progressed_at > row.alert_at
    still_running = (row.alert_kind == "approaching" and row.deadline_rule_id == row.alert_rule_id
                     and row.deadline_on == row.alert_due_on)
    if moved_on and not still_running:
        return None
    return Alert(kind=row.alert_kind, rule_id=row.alert_rule_id, due_on=row.alert_due_on,
                 legal_basis=Text(row.alert_basis_vi, row.alert_basis_en))


def lock_client(uow: UnitOfWork, client_key: str) -> None:
    """Serialize one client's lookups across every web replica until the transaction ends."""
    uow.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": client_key})


def recent_failures(uow: UnitOfWork, client_key: str, since: datetime, limit: int) -> list[datetime]:
    f = lookup_failures
    return list(uow.execute(select(f.c.failed_at).where(f.c.client_key == client_key, f.c.failed_at > since)
                            .order_by(f.c.failed_at.desc()).limit(limit)).scalars())


def record_failure(uow: UnitOfWork, client_key: str, at: datetime, forget_before: datetime) -> None:
    uow.execute(lookup_failures.insert().values(client_key=client_key, failed_at=at))
    uow.execute(lookup_failures.delete().where(lookup_failures.c.failed_at <= forget_before))
