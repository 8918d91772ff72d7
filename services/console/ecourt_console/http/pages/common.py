"""Small helpers shared by the pages."""

from __future__ import annotations

import re
from typing import Any

from ecourt_shared.identifiers import IdentifierError, format_case_id, parse_case_id

_CASE_ID = re.compile(r"[A-Za-z0-9-]{1,40}")


def valid_case_id(case_id: str) -> bool:
    return bool(_CASE_ID.fullmatch(case_id))


def canonical_case_id(case_id: str) -> str | None:
    """The canonical id for a canonical or display form (``79KV01-2026-000123-KK``), else None."""
    if not valid_case_id(case_id):
        return None
    try:
        return parse_case_id(case_id).canonical
    except IdentifierError:
        return None


def display_case_id(case_id: Any) -> str:
    try:
        return format_case_id(str(case_id))
    except (IdentifierError, ValueError):
        return str(case_id or "")


def as_list(value: Any, *keys: str) -> list[dict[str, Any]]:
    """A list of dict rows from an RPC result that is a list, or a dict holding the list under one of ``keys``."""
    if isinstance(value, dict):
        for key in (*keys, "items", "results"):
            if isinstance(value.get(key), list):
                value = value[key]
                break
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, dict)]
