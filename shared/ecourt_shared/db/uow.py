"""Unit of work: one transaction per command or event, committing state and outbox rows together.

It rolls back unless ``commit()`` is called, and after a commit it wakes the outbox relay so events
leave within milliseconds instead of waiting for the next poll.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, MetaData, Table, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, sessionmaker

from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.db.tables import add_bus_tables
from ecourt_shared.telemetry.propagation import current_trace_headers


class UnitOfWork:
    def __init__(self, session: Session, outbox: Table, processed: Table,
                 on_commit: list[Callable[[], None]]) -> None:
        self.session = session
        self._outbox = outbox
        self._processed = processed
        self._on_commit = on_commit
        self.emitted: list[EventEnvelope] = []

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.session.rollback()
        self.session.close()

    def read_snapshot(self) -> None:
        """Make every read of this unit of work see one snapshot of the database (a read-only REPEATABLE READ
        transaction); call it first. For views assembled from several queries, e.g. "waiting" and "decided" lists
        that must not show an item in both, or in neither, while consumers commit in between."""
        self.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))

    def execute(self, statement: Any, params: Any = None) -> Any:
        return self.session.execute(statement, params)

    def emit(self, payload: EventPayload) -> EventEnvelope:
        """Record an event to be published once (and only if) this transaction commits."""
        envelope = EventEnvelope.wrap(payload, trace=current_trace_headers())
        self.session.execute(self._outbox.insert().values(
            event_id=envelope.event_id, event_type=envelope.event_type, version=envelope.version,
            source=envelope.source, court_id=envelope.court_id,
            envelope=envelope.model_dump(mode="json")))
        self.emitted.append(envelope)
        return envelope

    def claim_event(self, consumer: str, event_id: str) -> bool:
        """Mark an incoming event as processed by ``consumer``; False if it already was (a redelivery)."""
        inserted = self.session.execute(
            insert(self._processed).values(consumer=consumer, event_id=event_id)
            .on_conflict_do_nothing().returning(self._processed.c.event_id)).first()
        return inserted is not None

    def commit(self) -> None:
        self.session.commit()
        for callback in self._on_commit:
            callback()


class UnitOfWorkFactory:
    """Makes units of work for one service's engine and metadata (which holds its bus tables)."""

    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, future=True)
        self.outbox = metadata.tables.get("outbox")
        self.processed = metadata.tables.get("processed_events")
        if self.outbox is None or self.processed is None:
            self.outbox, self.processed = add_bus_tables(metadata)
        self.on_commit: list[Callable[[], None]] = []

    def __call__(self) -> UnitOfWork:
        assert self.outbox is not None and self.processed is not None
        return UnitOfWork(self._sessions(), self.outbox, self.processed, self.on_commit)
