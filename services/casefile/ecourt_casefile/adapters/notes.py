"""Reading and writing the case's working notes (``case_notes``)."""

from __future__ import annotations

from sqlalchemy import select

from ecourt_casefile.adapters.orm import case_notes
from ecourt_shared.contracts.casefile import CaseNoteV1
from ecourt_shared.db import UnitOfWork


def insert_note(uow: UnitOfWork, case_id: str, court_id: str, note: CaseNoteV1) -> None:
    uow.execute(case_notes.insert().values(case_id=case_id, court_id=court_id,
                                           **note.model_dump(exclude={"carried_over"})))


def notes_of(uow: UnitOfWork, case_id: str, current_judge_id: str | None) -> list[CaseNoteV1]:
    """The case's notes, oldest first; those written under another judge are marked as carried over."""
    rows = uow.execute(select(case_notes).where(case_notes.c.case_id == case_id).order_by(case_notes.c.id)).all()
    stored = [k for k in CaseNoteV1.model_fields if k != "carried_over"]
    return [CaseNoteV1(**{k: row._mapping[k] for k in stored},
                       carried_over=row.judge_id_then is not None and row.judge_id_then != current_judge_id)
            for row in rows]
