"""The published judgments and decisions: what casefile released, encoded and reviewed (Resolution 03/2017).

Rows come only from ``document_published``, whose text was encoded (names, addresses, identity and phone
numbers) and approved by a person at the court; nothing else about the parties reaches this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Column, Date, DateTime, Index, String, Table, Text, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_portal.adapters.orm import metadata
from ecourt_shared.db import UnitOfWork

published_judgments = Table(
    "published_judgments", metadata,
    Column("document_id", String(64), primary_key=True),
    Column("case_id", String(18), primary_key=True),
    Column("court_id", String(20), nullable=False),
    Column("case_code", String(21), nullable=False),
    Column("case_type", String(10), nullable=False),
    Column("stage", String(5), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("number", String(60), nullable=False),
    Column("title", String(300), nullable=False),
    Column("issued_on", Date),
    Column("legal_effect_on", Date, nullable=False),
    Column("dated_on", Date, nullable=False),  # issued_on, or the legal-effect day when not given: what "date" searches
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Index("ix_published_judgments_dated", "dated_on"),
    Index("ix_published_judgments_court", "court_id", "dated_on"),
)
t = published_judgments


@dataclass(frozen=True)
class Search:
    case_id: str | None = None
    court_id: str | None = None
    case_type: str | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def upsert(uow: UnitOfWork, **values: Any) -> None:
    """A redelivery or a later release of the same document replaces the row (published_at decides)."""
    stmt = insert(t).values(**values)
    changes = {k: stmt.excluded[k] for k in values if k not in ("document_id", "case_id")}
    uow.execute(stmt.on_conflict_do_update(index_elements=[t.c.document_id, t.c.case_id], set_=changes,
                                           where=t.c.published_at <= stmt.excluded.published_at))


def search(uow: UnitOfWork, query: Search, limit: int, offset: int) -> list[dict[str, Any]]:
    q = select(t.c.document_id, t.c.case_id, t.c.court_id, t.c.case_code, t.c.case_type, t.c.stage, t.c.kind,
               t.c.number, t.c.title, t.c.issued_on, t.c.legal_effect_on, t.c.dated_on, t.c.published_at)
    if query.case_id:
        q = q.where(t.c.case_id == query.case_id)
    if query.court_id:
        q = q.where(t.c.court_id == query.court_id)
    if query.case_type:
        q = q.where(t.c.case_type == query.case_type)
    if query.kind:
        q = q.where(t.c.kind == query.kind)
    if query.date_from:
        q = q.where(t.c.dated_on >= query.date_from)
    if query.date_to:
        q = q.where(t.c.dated_on <= query.date_to)
    q = q.order_by(t.c.dated_on.desc(), t.c.published_at.desc(), t.c.document_id).limit(limit).offset(offset)
    return [dict(r._mapping) for r in uow.execute(q)]


def one(uow: UnitOfWork, case_id: str, document_id: str) -> dict[str, Any] | None:
    row = uow.execute(select(t).where(t.c.case_id == case_id, t.c.document_id == document_id)).first()
    return dict(row._mapping) if row else None

