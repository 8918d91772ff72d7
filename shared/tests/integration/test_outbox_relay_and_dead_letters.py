"""The bus kit on the real broker and database: outbox relay with confirms, dead-letter tools."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from kombu import Connection, Producer
from nameko.amqp.publish import UndeliverableMessage
from sqlalchemy import MetaData, func, select

from ecourt_shared.bus.operator import list_dead_letters, replay_dead_letters
from ecourt_shared.bus.relay import OutboxRelay
from ecourt_shared.bus.topology import SUBSCRIPTIONS, declare_topology, subscription
from ecourt_shared.contracts.events import CaseAssignedV1
from ecourt_shared.db import UnitOfWorkFactory, add_bus_tables, ensure_database, make_engine

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def uows(ecourt_env: Any) -> Any:
    url = ecourt_env.settings.database_url("bustest")
    ensure_database(url)
    engine = make_engine(url)
    metadata = MetaData()
    add_bus_tables(metadata)
    metadata.create_all(engine)
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


def assigned(case_id: str) -> CaseAssignedV1:
    return CaseAssignedV1(court_id="79KV01", case_id=case_id, judge_id="J-1", judge_name="Lê Văn Cường",
                          method="random", draw_id="DR-1", assigned_by="u-president",
                          assigned_at=datetime(2026, 11, 27, tzinfo=UTC))


def unpublished(uows: Any) -> int:
    with uows.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(uows.outbox)
                                .where(uows.outbox.c.published_at.is_(None))).scalar_one())


def take_all(amqp_uri: str, queue: str) -> list[Any]:
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        messages = []
        while (m := channel.basic_get(queue, no_ack=True)) is not None:
            messages.append(m)
        channel.close()
    return messages


def test_event_sent_to_an_exchange_with_no_queue_is_kept_not_lost(uows: Any, ecourt_env: Any) -> None:
    # This module's virtual host has no topology yet: the broker would drop the message.
    with uows() as uow:
        uow.emit(assigned("CASE-UNROUTED"))
        uow.commit()
    relay = OutboxRelay(uows.engine, uows.outbox, ecourt_env.settings.amqp_uri)
    with Connection(ecourt_env.settings.amqp_uri) as conn:
        from ecourt_shared.bus.topology import event_exchange

        event_exchange("assignment")(conn.channel()).declare()
    with pytest.raises(UndeliverableMessage):
        relay.drain()
    assert unpublished(uows) == 1


def test_relay_publishes_committed_events_once_topology_exists(uows: Any, ecourt_env: Any) -> None:
    declare_topology(ecourt_env.settings.amqp_uri)
    with uows() as uow:
        uow.emit(assigned("CASE-2"))
        uow.commit()
    with uows() as uow:  # rolled back: must never be published
        uow.emit(assigned("CASE-ROLLED-BACK"))
    relay = OutboxRelay(uows.engine, uows.outbox, ecourt_env.settings.amqp_uri)
    assert relay.drain() == 2  # the earlier unrouted one and CASE-2
    assert unpublished(uows) == 0
    queue = subscription(CaseAssignedV1, "stats").queue_name
    bodies = [json.loads(m.body) for m in take_all(ecourt_env.settings.amqp_uri, queue)]
    assert [b["payload"]["case_id"] for b in bodies] == ["CASE-UNROUTED", "CASE-2"]
    assert all(b["event_type"] == "case_assigned" and b["version"] == 1 for b in bodies)


def test_consumer_claim_recognises_a_redelivered_event(uows: Any) -> None:
    with uows() as uow:
        assert uow.claim_event("stats", "evt-1") is True
        uow.commit()
    with uows() as uow:
        assert uow.claim_event("stats", "evt-1") is False
        assert uow.claim_event("portal", "evt-1") is True


def test_operator_lists_and_replays_dead_letters(ecourt_env: Any) -> None:
    declare_topology(ecourt_env.settings.amqp_uri)
    sub = subscription(CaseAssignedV1, "portal")
    take_all(ecourt_env.settings.amqp_uri, sub.queue_name)  # events left by the relay tests above
    with Connection(ecourt_env.settings.amqp_uri) as conn:
        producer = Producer(conn.channel())
        for i in range(3):
            producer.publish({"broken": i}, routing_key=sub.dead_letter_queue_name, message_id=f"m-{i}",
                             headers={"x-ecourt-error": "ValidationError: case_id missing", "x-ecourt-attempt": 1})
    listed = [row for row in list_dead_letters(ecourt_env.settings.amqp_uri)
              if row["queue"] == sub.dead_letter_queue_name]
    assert [row["message_id"] for row in listed] == ["m-0", "m-1", "m-2"]
    assert listed[0]["error"].startswith("ValidationError")
    # listing does not consume
    assert len(list_dead_letters(ecourt_env.settings.amqp_uri)) == 3
    assert replay_dead_letters(ecourt_env.settings.amqp_uri, sub.dead_letter_queue_name, ["m-1"]) == 1
    replayed = take_all(ecourt_env.settings.amqp_uri, sub.queue_name)
    assert [m.properties.get("message_id") for m in replayed] == ["m-1"]
    assert "x-ecourt-error" not in (replayed[0].headers or {})
    assert replay_dead_letters(ecourt_env.settings.amqp_uri, sub.dead_letter_queue_name, None) == 2
    assert list_dead_letters(ecourt_env.settings.amqp_uri) == []


def test_every_subscription_has_work_retry_and_dead_letter_queues() -> None:
    names = [q.name for sub in SUBSCRIPTIONS for q in sub.queues()]
    assert len(names) == len(set(names)) == 3 * len(SUBSCRIPTIONS)
    assert date.today()  # topology is pure data: importable without a broker
