"""The outbox relay: publishes committed outbox rows with publisher confirms, then stamps them.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several replicas of a service can relay side by
side. Publishing is ``mandatory``: if no queue is bound the broker returns the message, the
transaction rolls back and the row is retried, so an event is never dropped into an empty exchange.
A crash between publish and stamp republishes the row: consumers are idempotent, that is the deal.
"""

from __future__ import annotations

import logging
from typing import Any

from nameko.amqp.publish import Publisher as AmqpPublisher
from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.trace import SpanKind
from sqlalchemy import Engine, Table, func, select, update

from ecourt_shared.bus.loop import WakeableLoop
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.telemetry.propagation import current_trace_headers, extract_context

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(self, engine: Engine, outbox: Table, amqp_uri: str, batch_size: int = 200) -> None:
        self._engine = engine
        self._outbox = outbox
        self._batch_size = batch_size
        self._publisher = AmqpPublisher(amqp_uri, use_confirms=True, mandatory=True, serializer="json",
                                        delivery_mode=2)

    def drain_once(self) -> int:
        """Publish one batch; returns how many rows were published."""
        t = self._outbox
        # The poll's own SQL would add a root trace every half second; the publish span is what matters.
        with suppress_instrumentation(), self._engine.begin() as conn:
            rows = conn.execute(
                select(t.c.id, t.c.event_id, t.c.event_type, t.c.source, t.c.envelope)
                .where(t.c.published_at.is_(None)).order_by(t.c.id)
                .limit(self._batch_size).with_for_update(skip_locked=True)).all()
            for row in rows:
                self._publish(row)
            if rows:
                conn.execute(update(t).where(t.c.id.in_([r.id for r in rows])).values(published_at=func.now()))
        return len(rows)

    def drain(self) -> int:
        total = 0
        while (published := self.drain_once()) > 0:
            total += published
        return total

    def _publish(self, row: Any) -> None:
        envelope = row.envelope
        parent = extract_context(envelope.get("trace", {}))
        with trace.get_tracer("ecourt.bus").start_as_current_span(
                f"publish {row.event_type}", context=parent, kind=SpanKind.PRODUCER,
                attributes={"messaging.system": "rabbitmq", "messaging.message.id": row.event_id}):
            headers = {f"nameko.{k}": v for k, v in current_trace_headers().items()}
            self._publisher.publish(envelope, exchange=event_exchange(row.source),
                                    routing_key=row.event_type, headers=headers, message_id=row.event_id)


class RelayLoop(WakeableLoop):
    """Drains the outbox whenever a commit wakes it, and every ``poll_seconds`` regardless.

    If the broker or the database is down the rows stay in the outbox and the loop backs off (up to 10 s).
    """

    def __init__(self, relay: OutboxRelay, poll_seconds: float = 0.5) -> None:
        super().__init__(relay.drain, poll_seconds=poll_seconds, max_backoff=10.0, name="outbox relay", logger=log)
        self.relay = relay
