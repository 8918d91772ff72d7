"""Reads and writes of the portal's tables, inside a unit of work.

The three upserts converge whatever order events arrive in: each event owns some columns, an
assignment or a procedural step only replaces an older one, and the receipt fills what it knows
without lowering a status that casefile already reported.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert

from ecourt_portal.adapters.orm import lookup_failures, public_cases
from ecourt_portal.domain.public_case import PublicCase
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
                            progress_event_id=event_id, updated_at=now)
    new = stmt.excluded
    owned = ("case_type", "stage", "status", "deadline_on", "deadline_rule_id", "legal_basis_vi", "legal_basis_en",
             "progressed_at", "progress_event_id", "updated_at")
    uow.execute(stmt.on_conflict_do_update(
        index_elements=[t.c.case_id], set_={name: new[name] for name in owned},
        where=t.c.progressed_at.is_(None)
        | (tuple_(t.c.progressed_at, t.c.progress_event_id) < tuple_(new.progressed_at, new.progress_event_id))))


def find_case(uow: UnitOfWork, case_id: str) -> tuple[PublicCase, str | None] | None:
    """The case and its receipt secret hash (None until the receipt has arrived)."""
    row = uow.execute(select(t).where(t.c.case_id == case_id)).first()
    if row is None:
        return None
    case = PublicCase(
        case_id=row.case_id, case_code=row.case_code, acceptance_number=row.acceptance_number,
        case_type=row.case_type, stage=row.stage, status=row.status, judge_name=row.judge_name,
        accepted_on=row.accepted_on, deadline_on=row.deadline_on, deadline_rule_id=row.deadline_rule_id,
        legal_basis_vi=row.legal_basis_vi, legal_basis_en=row.legal_basis_en)
    return case, row.receipt_secret_hash


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
