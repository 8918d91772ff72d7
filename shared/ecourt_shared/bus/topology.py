"""Who listens to what, declared in one place.

Every durable queue is declared (``python -m ecourt_shared.bus declare``, run by ``ecourt up`` and by
each relay at start) before any producer publishes, so no event is ever sent to an exchange with no
bound queue. Each subscription gets three queues:

- ``evt.<source>.<event>.<consumer>``: the work queue;
- ``….retry``: failed deliveries wait here (per-message TTL) and dead-letter back to the work queue;
- ``….dlq``: deliveries that failed too often or cannot be parsed, kept for an operator to list and
  replay (``ecourt dlq list`` / ``ecourt dlq replay``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kombu import Connection, Exchange, Queue

from ecourt_shared.contracts import events  # noqa: F401  (registers the event classes)
from ecourt_shared.contracts.envelope import EventPayload

DEFAULT_EXCHANGE = Exchange("", type="direct")


def event_exchange(source: str) -> Exchange:
    # Same name and flags as nameko's own event exchanges, so nameko tooling still works.
    return Exchange(f"{source}.events", type="topic", durable=True, delivery_mode=2, auto_delete=False)


@dataclass(frozen=True)
class Subscription:
    event: type[EventPayload]
    consumer: str

    @property
    def queue_name(self) -> str:
        return f"evt.{self.event.source}.{self.event.event_type}.{self.consumer}"

    @property
    def retry_queue_name(self) -> str:
        return self.queue_name + ".retry"

    @property
    def dead_letter_queue_name(self) -> str:
        return self.queue_name + ".dlq"

    def work_queue(self) -> Queue:
        return Queue(
            self.queue_name,
            exchange=event_exchange(self.event.source),
            routing_key=self.event.event_type,
            durable=True,
            auto_delete=False,
        )

    def retry_queue(self) -> Queue:
        return Queue(
            self.retry_queue_name,
            exchange=DEFAULT_EXCHANGE,
            routing_key=self.retry_queue_name,
            durable=True,
            auto_delete=False,
            queue_arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": self.queue_name},
        )

    def dead_letter_queue(self) -> Queue:
        return Queue(self.dead_letter_queue_name, exchange=DEFAULT_EXCHANGE,
                     routing_key=self.dead_letter_queue_name, durable=True, auto_delete=False)

    def queues(self) -> list[Queue]:
        return [self.work_queue(), self.retry_queue(), self.dead_letter_queue()]


def _subscriptions() -> list[Subscription]:
    from ecourt_shared.contracts.assignment import DrawCommittedV1
    from ecourt_shared.contracts.casefile import (
        CaseTransferredV1,
        DeadlineApproachingV1,
        DeadlineMissedV1,
        DocumentPublishedV1,
    )
    from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1
    from ecourt_shared.contracts.reception import ReceptionDecidedV1, ReceptionRegisteredV1
    from ecourt_shared.contracts.signing import DocumentSealedV1, DocumentSignedV1

    table: dict[type[EventPayload], list[str]] = {
        CaseReceivedV1: ["assignment", "casefile", "stats", "portal", "qlta"],
        CaseAssignedV1: ["casefile", "stats", "portal", "qlta", "intake"],  # intake: who may see the parties
        CaseProgressedV1: ["stats", "portal", "qlta", "assignment", "intake"],  # assignment: a new stage needs a
        # panel; intake: the clerk or panel a step set, and the court now holding the case (who sees the parties)
        DrawCommittedV1: ["assignment"],  # assignment logs when its seed commitment was seen on the bus
        ReceptionRegisteredV1: ["assignment"],  # the president's account sees every arrival (durable backlog)
        ReceptionDecidedV1: ["assignment"],  # ...and every reception decision, with who, when and why
        DocumentSignedV1: ["casefile"],  # casefile attaches each signed version to the dossier (timeline)
        DocumentSealedV1: ["casefile"],  # ...and shows the physical seal on the case timeline
        DeadlineApproachingV1: ["stats", "portal"],  # president's dashboard, citizen's deadline notice
        DeadlineMissedV1: ["stats", "portal"],  # overdue lists
        CaseTransferredV1: ["stats", "portal", "qlta"],  # the case (same id) is now held by another court
        DocumentPublishedV1: ["portal"],  # the public list of published judgments (Resolution 03/2017)
    }
    return [Subscription(event, consumer) for event, consumers in table.items() for consumer in consumers]


SUBSCRIPTIONS: list[Subscription] = _subscriptions()


def subscription(event: type[EventPayload], consumer: str) -> Subscription:
    for sub in SUBSCRIPTIONS:
        if sub.event is event and sub.consumer == consumer:
            return sub
    raise LookupError(f"{consumer} is not subscribed to {event.event_type} v{event.version}; "
                      "add it to ecourt_shared.bus.topology")


def declare_topology(amqp_uri: str, subscriptions: list[Subscription] | None = None) -> int:
    """Declare every exchange and queue. Idempotent; returns the number of queues declared."""
    subs = SUBSCRIPTIONS if subscriptions is None else subscriptions
    count = 0
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        for sub in subs:
            event_exchange(sub.event.source)(channel).declare()
            for queue in sub.queues():
                queue(channel).declare()
                count += 1
        channel.close()
    return count
