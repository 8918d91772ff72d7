"""Who sits on each case at each court (``case_staff``), kept from ``case_assigned`` events.

Latest wins, judged by the event's own time (an assignment's ``assigned_at``, a procedural step's ``occurred_at``;
the event id breaks a tie), never by arrival: the row is created empty if missing, locked, and each part (the
judge; the sitting panel; the clerk) is replaced only by a later event, so the same events in any order leave the
same row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_intake.adapters.orm import case_parties, case_staff, cases
from ecourt_intake.domain.need_to_know import CaseStaff
from ecourt_shared.db import UnitOfWork


def _later(at: datetime, event_id: str, stored_at: datetime | None, stored_event: str | None) -> bool:
    return stored_at is None or (at, event_id) > (stored_at, stored_event or "")


UNCHANGED = object()  # a part the event does not speak about


def record(uow: UnitOfWork, case_id: str, court_id: str, at: datetime, event_id: str, judge_id: str | None = None,
           panel: list[str] | None = None, clerk_id: Any = UNCHANGED) -> None:
    """Apply one event's parts: the judge (if given), the sitting panel (if given), the clerk (unless
    ``UNCHANGED``; None clears it, as a panel drawn without a clerk does); each only if ``at`` is later than
    what set it. The (case, court) row is created even with no part: the court holds the case."""
    uow.execute(insert(case_staff).values(case_id=case_id, court_id=court_id).on_conflict_do_nothing())
    row = uow.execute(select(case_staff).where(case_staff.c.case_id == case_id, case_staff.c.court_id == court_id)
                      .with_for_update()).one()
    changes: dict[str, Any] = {}
    if judge_id is not None and _later(at, event_id, row.judge_assigned_at, row.judge_event_id):
        changes.update(judge_id=judge_id, judge_assigned_at=at, judge_event_id=event_id)
    if panel is not None and _later(at, event_id, row.panel_assigned_at, row.panel_event_id):
        changes.update(panel=panel, panel_assigned_at=at, panel_event_id=event_id)
    if clerk_id is not UNCHANGED and _later(at, event_id, row.clerk_assigned_at, row.clerk_event_id):
        changes.update(clerk_id=clerk_id, clerk_assigned_at=at, clerk_event_id=event_id)
    if changes:
        uow.execute(case_staff.update().where(case_staff.c.case_id == case_id, case_staff.c.court_id == court_id)
                    .values(**changes))


def staff_of(uow: UnitOfWork, case_id: str, court_id: str) -> CaseStaff | None:
    row = uow.execute(select(case_staff).where(case_staff.c.case_id == case_id,
                                               case_staff.c.court_id == court_id)).first()
    if row is None:
        return None
    return CaseStaff(judge_id=row.judge_id, panel=tuple(row.panel or ()), clerk_id=row.clerk_id)


def court_holds(uow: UnitOfWork, case_id: str, court_id: str) -> bool:
    """The court accepted the case here, or was assigned it (an appellate court, a court it was transferred to)."""
    accepted = exists().where(cases.c.case_id == case_id, cases.c.court_id == court_id)
    assigned = exists().where(case_staff.c.case_id == case_id, case_staff.c.court_id == court_id)
    return bool(uow.execute(select(accepted | assigned)).scalar())


def party_ids_of(uow: UnitOfWork, case_id: str) -> set[str]:
    return set(uow.execute(select(case_parties.c.party_id).where(case_parties.c.case_id == case_id)).scalars())


def assigned_to_court(court_id: str, party_id_column: Any) -> Any:
    """A condition: the party is in a case assigned to ``court_id`` (the court holding it after an appeal)."""
    return exists().where(and_(case_parties.c.party_id == party_id_column,
                               case_staff.c.case_id == case_parties.c.case_id, case_staff.c.court_id == court_id))
