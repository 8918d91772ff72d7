"""The log of every view of unmasked personal data (``personal_data_views``): who, when, which party, which
fields, why. Written in the transaction that reads the data and committed before the view is returned."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ecourt_intake.adapters.orm import personal_data_views
from ecourt_shared.auth import Principal
from ecourt_shared.db import UnitOfWork


def record(uow: UnitOfWork, viewer: Principal, shown: Iterable[tuple[str, list[str]]], purpose: str, ground: str,
           at: datetime, reason: str | None = None, case_id: str | None = None) -> int:
    """Log one row per (party id, fields shown) with a non-empty field list; returns how many were written."""
    rows = [{"court_id": viewer.court_id, "viewer_id": viewer.user_id,
             "viewer_roles": [str(r) for r in viewer.roles], "party_id": party_id, "fields": sorted(fields),
             "purpose": purpose, "ground": ground, "reason": reason, "case_id": case_id, "viewed_at": at}
            for party_id, fields in shown if fields]
    if rows:
        uow.execute(personal_data_views.insert(), rows)
    return len(rows)


def views_of(uow: UnitOfWork, party_id: str) -> list[dict[str, Any]]:
    rows = uow.execute(select(personal_data_views).where(personal_data_views.c.party_id == party_id)
                       .order_by(personal_data_views.c.view_id)).all()
    return [{**dict(r._mapping), "viewed_at": r.viewed_at.isoformat()} for r in rows]
