"""The publication records of judgments and decisions (one per case and document), in casefile's database.

Only the encoded text is kept: the text as the court wrote it (with names) is neither stored nor logged here,
only its SHA-256, so the record says which text was encoded without holding the personal data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Column, Date, DateTime, String, Table, Text, select
from sqlalchemy.dialects.postgresql import JSONB, insert

from ecourt_casefile.adapters.orm import deadlines, metadata
from ecourt_shared.db import UnitOfWork

publications = Table(
    "publications", metadata,
    Column("case_id", String(18), primary_key=True),
    Column("document_id", String(64), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("kind", String(10)),  # judgment | decision
    Column("number", String(60)),
    Column("title", String(300)),
    Column("issued_on", Date),
    Column("status", String(12)),  # prepared | returned | approved | released; NULL: flagged only
    Column("flags", JSONB, nullable=False, server_default="{}"),  # {code: {"reason", "by", "at"}}
    Column("source_sha256", String(64)),
    Column("encoded_text", Text),
    Column("aliases", JSONB, nullable=False, server_default="[]"),
    Column("replacements", JSONB, nullable=False, server_default="{}"),
    Column("prepared_by", String(80)),
    Column("prepared_at", DateTime(timezone=True)),
    Column("reviewed_by", String(80)),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("review_reason", String(2000)),
    Column("released_by", String(80)),
    Column("released_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def records_of(uow: UnitOfWork, case_id: str) -> list[dict[str, Any]]:
    rows = uow.execute(select(publications).where(publications.c.case_id == case_id)
                       .order_by(publications.c.document_id)).all()
    return [dict(r._mapping) for r in rows]


def record_of(uow: UnitOfWork, case_id: str, document_id: str) -> dict[str, Any] | None:
    row = uow.execute(select(publications).where(publications.c.case_id == case_id,
                                                 publications.c.document_id == document_id)
                      .with_for_update()).first()
    return dict(row._mapping) if row else None


def save(uow: UnitOfWork, case_id: str, document_id: str, **values: Any) -> None:
    stmt = insert(publications).values(case_id=case_id, document_id=document_id, **values)
    uow.execute(stmt.on_conflict_do_update(index_elements=["case_id", "document_id"], set_=values))


def publication_deadline(uow: UnitOfWork, case_id: str) -> dict[str, Any] | None:
    """The latest publication deadline of the case (one opens whenever a judgment or decision takes effect)."""
    row = uow.execute(select(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.purpose == "publication")
                      .order_by(deadlines.c.stage_seq.desc()).limit(1)).first()
    return dict(row._mapping) if row else None


def close_publication_deadline(uow: UnitOfWork, case_id: str, stage_seq: int) -> None:
    """Publishing meets the deadline (an open or already missed one: the watch stops either way)."""
    uow.execute(deadlines.update().where(deadlines.c.case_id == case_id, deadlines.c.stage_seq == stage_seq,
                                         deadlines.c.purpose == "publication",
                                         deadlines.c.status.in_(("open", "paused", "missed")))
                .values(status="met"))


def as_date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))
