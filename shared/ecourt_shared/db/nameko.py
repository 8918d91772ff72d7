"""nameko dependency: a service's database with its unit-of-work factory and outbox relay.

``db = ServiceDatabase("intake", metadata)`` on a service class gives workers a
:class:`UnitOfWorkFactory`; the relay runs in a managed thread of the same container and is woken by
every commit.
"""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider
from sqlalchemy import MetaData

from ecourt_shared.bus.relay import OutboxRelay, RelayLoop
from ecourt_shared.db.engine import make_engine
from ecourt_shared.db.uow import UnitOfWorkFactory
from ecourt_shared.settings import get_settings


class ServiceDatabase(DependencyProvider):
    def __init__(self, service: str, metadata: MetaData) -> None:
        self.service = service
        self.metadata = metadata

    def setup(self) -> None:
        settings = get_settings()
        self.engine = make_engine(settings.database_url(self.service))
        self.factory = UnitOfWorkFactory(self.engine, self.metadata)
        assert self.factory.outbox is not None
        self.relay_loop = RelayLoop(OutboxRelay(self.engine, self.factory.outbox, settings.amqp_uri))
        self.factory.on_commit.append(self.relay_loop.wake)

    def start(self) -> None:
        self.container.spawn_managed_thread(self.relay_loop.run, identifier=f"{self.service}.outbox_relay")
        self.relay_loop.wake()  # publish whatever a previous run left behind

    def stop(self) -> None:
        self.relay_loop.stop()

    def kill(self) -> None:
        self.relay_loop.stop()

    def get_dependency(self, worker_ctx: Any) -> UnitOfWorkFactory:
        return self.factory
