"""Idempotent, explicitly error-handled event consumers for nameko services.

``@on_event(CaseReceivedV1)`` consumes the subscription's durable queue (see ``topology``). The
handler gets the typed payload and the envelope. Its error policy is explicit:

- the message cannot be parsed as the expected event: straight to the dead-letter queue;
- the handler raises ``RequestRejected`` or ``PoisonEvent``: dead-letter queue (retrying cannot help);
- any other exception: retried through the ``.retry`` queue after a delay, up to
  ``ECOURT_EVENT_MAX_ATTEMPTS`` attempts, then the dead-letter queue.

The original message is acknowledged only after the failure copy is confirmed by the broker; if that
publish fails the original is requeued instead. Nothing is dropped.
"""

from __future__ import annotations

import logging
import traceback
from functools import partial
from typing import Any

from nameko.amqp.publish import Publisher as AmqpPublisher
from nameko.containers import ContainerBeingKilled
from nameko.messaging import Consumer, decode_from_headers
from pydantic import ValidationError

from ecourt_shared.bus.topology import DEFAULT_EXCHANGE, Subscription, subscription
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.settings import get_settings

log = logging.getLogger(__name__)
ATTEMPT_HEADER = "x-ecourt-attempt"
ERROR_HEADER = "x-ecourt-error"


class PoisonEvent(Exception):
    """Raised by a handler for an event that can never be applied (retrying cannot help)."""


NOT_RETRYABLE = (PoisonEvent, RequestRejected, ValidationError)


class ReliableEventHandler(Consumer):
    def __init__(self, event: type[EventPayload], **kwargs: Any) -> None:
        self.event = event
        self.subscription: Subscription | None = None
        super().__init__(queue=None, **kwargs)

    def setup(self) -> None:
        self.subscription = subscription(self.event, self.container.service_name)
        self.queue = self.subscription.work_queue()
        settings = get_settings()
        self.max_attempts = settings.event_max_attempts
        self.retry_delay_ms = settings.event_retry_delay_ms
        self.failure_publisher = AmqpPublisher(settings.amqp_uri, use_confirms=True, serializer="json",
                                               exchange=DEFAULT_EXCHANGE, delivery_mode=2)
        super().setup()

    def handle_message(self, body: Any, message: Any) -> None:
        try:
            envelope = EventEnvelope.model_validate(body)
            payload = envelope.open(self.event)
        except (ValidationError, ValueError, TypeError) as exc:
            log.error("malformed %s on %s: %s", self.event.event_type, self.queue.name, exc)
            self._route_failure(message, body, (type(exc), exc, exc.__traceback__))
            return
        context_data = decode_from_headers(message.headers)
        handle_result = partial(self.handle_result, message, body)

        def spawn_worker() -> None:
            try:
                self.container.spawn_worker(self, (payload, envelope), {}, context_data=context_data,
                                            handle_result=handle_result)
            except ContainerBeingKilled:
                self.consumer.requeue_message(message)

        self.container.spawn_managed_thread(spawn_worker, identifier=f"wait_for_worker[{self.queue.name}]")

    def handle_result(self, message: Any, body: Any, worker_ctx: Any, result: Any = None,
                      exc_info: Any = None) -> tuple[Any, Any]:
        if exc_info is None:
            self.consumer.ack_message(message)
        else:
            self._route_failure(message, body, exc_info)
        return result, exc_info

    def _route_failure(self, message: Any, body: Any, exc_info: Any) -> None:
        assert self.subscription is not None
        attempt = int((message.headers or {}).get(ATTEMPT_HEADER, 1))
        retryable = not isinstance(exc_info[1], NOT_RETRYABLE)
        headers = dict(message.headers or {})
        headers[ERROR_HEADER] = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()[:2000]
        try:
            if retryable and attempt < self.max_attempts:
                headers[ATTEMPT_HEADER] = attempt + 1
                self.failure_publisher.publish(
                    body, routing_key=self.subscription.retry_queue_name, headers=headers,
                    expiration=self.retry_delay_ms * attempt / 1000, message_id=message.properties.get("message_id"))
            else:
                log.error("dead-lettering message %s from %s after %d attempt(s): %s",
                          message.properties.get("message_id"), self.queue.name, attempt, headers[ERROR_HEADER])
                self.failure_publisher.publish(
                    body, routing_key=self.subscription.dead_letter_queue_name, headers=headers,
                    message_id=message.properties.get("message_id"))
        except Exception:
            log.exception("could not route a failed message; requeueing it")
            self.consumer.requeue_message(message)
            return
        self.consumer.ack_message(message)


on_event = ReliableEventHandler.decorator
