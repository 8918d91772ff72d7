"""What the gateway's workers touch: its database (shared kit), the QLTA client and the sender loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nameko.extensions import DependencyProvider

from ecourt_qlta.adapters.qlta_client import QltaClient, make_client
from ecourt_qlta.service_layer.sender import OutboundSender, SenderLoop
from ecourt_qlta.settings import get_qlta_settings
from ecourt_shared.db import make_engine
from ecourt_shared.health import check_amqp, check_postgres
from ecourt_shared.settings import Settings, get_settings


@dataclass
class QltaLinkHandle:
    """What a worker sees: the client (for reconciliation) and a way to wake the sender."""

    client: QltaClient
    loop: SenderLoop

    def wake(self) -> None:
        self.loop.wake()


class QltaLink(DependencyProvider):
    """The configured QLTA client and the outbound sender, running in a managed thread of the container
    (as ``ServiceDatabase`` runs the outbox relay)."""

    def setup(self) -> None:
        qlta = get_qlta_settings()
        self.engine = make_engine(get_settings().database_url("qlta"), pool_size=3)
        client = make_client(qlta.client, self.engine)
        sender = OutboundSender(self.engine, client, batch_size=qlta.send_batch_size,
                                max_attempts=qlta.send_max_attempts,
                                retry_base_seconds=qlta.send_retry_base_seconds,
                                retry_max_seconds=qlta.send_retry_max_seconds)
        self.handle = QltaLinkHandle(client=client, loop=SenderLoop(sender, qlta.send_poll_seconds))

    def start(self) -> None:
        self.container.spawn_managed_thread(self.handle.loop.run, identifier="qlta.outbound_sender")
        self.handle.wake()  # send whatever a previous run left pending

    def stop(self) -> None:
        self.handle.loop.stop()

    def kill(self) -> None:
        self.handle.loop.stop()

    def get_dependency(self, worker_ctx: Any) -> QltaLinkHandle:
        return self.handle


def readiness_checks(settings: Settings) -> dict[str, Any]:
    return {"amqp": check_amqp(settings), "postgres": check_postgres(settings, "qlta")}
