"""The one seam between the gateway and QLTA: a small protocol the real adapter implements.

QLTA's API is not public. Everything the gateway does (mapping, sync state, outbound queue, retries,
reconciliation) is written against :class:`QltaClient`; the simulator implements it today, and the
real adapter, once the SPC publishes the interface, is one more implementation selected by
``ECOURT_QLTA_CLIENT``. The adapter translates :class:`QltaChange` to QLTA's wire format and back.

Error contract for ``push``: raise :class:`QltaUnavailable` (or any other exception) when retrying may
help (network, 5xx, timeouts); raise :class:`QltaRejected` when QLTA refused the content (retrying the
same bytes cannot help: the row is marked ``failed`` for an operator).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from ecourt_qlta.domain.canonical import QltaCaseRecord


class QltaUnavailable(Exception):
    """QLTA could not be reached or did not answer; retry later."""


class QltaRejected(Exception):
    """QLTA refused this change; retrying the same content cannot succeed."""


class QltaChange(BaseModel):
    """One outbound change: the full record at a version (QLTA keeps the highest version it saw)."""

    model_config = ConfigDict(frozen=True)
    court_code: str
    case_code: str
    version: int
    content_sha256: str
    record: QltaCaseRecord


class QltaAck(BaseModel):
    model_config = ConfigDict(frozen=True)
    receipt_id: str
    outcome: str  # "stored" (new current version) | "duplicate" (that version again) | "stale" (older)


class QltaRemoteCase(BaseModel):
    """What QLTA holds for a case, as far as reconciliation needs it."""

    model_config = ConfigDict(frozen=True)
    court_code: str
    case_code: str
    version: int
    content_sha256: str
    received_at: datetime


class QltaClient(Protocol):
    def push(self, change: QltaChange) -> QltaAck:
        """Deliver one change. Idempotent for the same (case, version)."""
        ...

    def fetch(self, court_code: str, case_code: str) -> QltaRemoteCase | None:
        """What QLTA currently holds for a case, or None if it has never heard of it."""
        ...


def make_client(name: str, engine: object) -> QltaClient:
    """The configured client (``ECOURT_QLTA_CLIENT``). Only the simulator exists until QLTA's API is known."""
    if name == "simulator":
        from sqlalchemy import Engine

        from ecourt_qlta.adapters.qlta_simulator import QltaSimulator

        assert isinstance(engine, Engine)
        return QltaSimulator(engine)
    raise ValueError(f"ECOURT_QLTA_CLIENT={name!r} is not available; known: simulator")
