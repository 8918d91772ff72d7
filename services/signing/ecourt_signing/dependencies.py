"""What signing's workers touch, injected so tests can see and replace it."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from ecourt_shared.health import Check, check_amqp, check_postgres
from ecourt_shared.settings import Settings, get_settings
from ecourt_signing.adapters.keystore import KeyStore, open_key_store


class Keys(DependencyProvider):
    """The key store, prepared at container setup: a development CA is created on first start, so a
    directory that cannot hold it stops the worker at once instead of failing the first signature."""

    def setup(self) -> None:
        self.store = open_key_store(get_settings())
        self.store.prepare()

    def get_dependency(self, worker_ctx: Any) -> KeyStore:
        return self.store


def check_key_store(settings: Settings) -> Check:
    store = open_key_store(settings)

    def check() -> None:
        store.check()
    return check


def readiness_checks(settings: Settings) -> dict[str, Check]:
    return {"amqp": check_amqp(settings), "postgres": check_postgres(settings, "signing"),
            "keys": check_key_store(settings)}
