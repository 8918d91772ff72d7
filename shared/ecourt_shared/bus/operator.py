"""Operator tools for dead letters: list what is parked and replay it to its work queue.

Listing peeks without consuming (messages are fetched unacknowledged and released when the channel
closes). Replaying republishes with confirms to the work queue, then acknowledges the dead letter.
"""

from __future__ import annotations

from typing import Any

from kombu import Connection, Producer

from ecourt_shared.bus.consumer import ATTEMPT_HEADER, ERROR_HEADER
from ecourt_shared.bus.topology import DEFAULT_EXCHANGE, SUBSCRIPTIONS, Subscription


def _by_dead_letter_queue(queue: str) -> Subscription:
    for sub in SUBSCRIPTIONS:
        if queue in (sub.dead_letter_queue_name, sub.queue_name):
            return sub
    raise LookupError(f"{queue} is not a dead-letter queue of ecourt; see `ecourt dlq list`")


def _fetch_all(channel: Any, queue: str) -> list[Any]:
    messages = []
    while (message := channel.basic_get(queue, no_ack=False)) is not None:
        messages.append(message)
    return messages


def list_dead_letters(amqp_uri: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with Connection(amqp_uri) as conn:
        for sub in SUBSCRIPTIONS:
            channel = conn.channel()
            for message in _fetch_all(channel, sub.dead_letter_queue_name):
                headers = message.headers or {}
                rows.append({"queue": sub.dead_letter_queue_name, "message_id": message.properties.get("message_id"),
                             "attempts": headers.get(ATTEMPT_HEADER, 1), "error": headers.get(ERROR_HEADER, "")})
            channel.close()  # releases the unacknowledged messages back to the queue
    return rows


def replay_dead_letters(amqp_uri: str, queue: str, message_ids: list[str] | None = None) -> int:
    """Move dead letters back to their work queue (all, or those with the given message ids)."""
    sub = _by_dead_letter_queue(queue)
    replayed = 0
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        channel = conn.channel()
        producer = Producer(channel, exchange=DEFAULT_EXCHANGE)
        for message in _fetch_all(channel, sub.dead_letter_queue_name):
            if message_ids is not None and message.properties.get("message_id") not in message_ids:
                continue
            headers = {k: v for k, v in (message.headers or {}).items() if k not in (ATTEMPT_HEADER, ERROR_HEADER)}
            producer.publish(message.body, routing_key=sub.queue_name, headers=headers, delivery_mode=2,
                             content_type=message.properties.get("content_type", "application/json"),
                             content_encoding=message.properties.get("content_encoding", "utf-8"),
                             message_id=message.properties.get("message_id"))
            channel.basic_ack(message.delivery_tag)
            replayed += 1
        channel.close()
    return replayed
