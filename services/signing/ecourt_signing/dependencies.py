"""What signing's workers touch, injected so tests can see and replace it."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from ecourt_shared.health import Check, check_amqp, check_postgres, check_s3
from ecourt_shared.settings import Settings, get_settings
from ecourt_shared.storage import ObjectStore
from ecourt_signing.adapters.keystore import KeyStore, open_key_store
from ecourt_signing.domain import stamp


class Keys(DependencyProvider):
    """The key store, prepared at container setup: a development CA is created on first start, so a
    directory that cannot hold it stops the worker at once instead of failing the first signature."""

    def setup(self) -> None:
        self.store = open_key_store(get_settings())
        self.store.prepare()
        stamp.warm_up()  # the visible stamp's fonts, so the first signature of the day is as fast as the rest

    def get_dependency(self, worker_ctx: Any) -> KeyStore:
        return self.store


class Storage(DependencyProvider):
    """The object store holding every version's bytes (drafts, signed PDFs, seal scans) in the court's bucket."""

    def setup(self) -> None:
        self.store = ObjectStore.from_settings(get_settings())

    def get_dependency(self, worker_ctx: Any) -> ObjectStore:
        return self.store


def check_key_store(settings: Settings) -> Check:
    store = open_key_store(settings)

    def check() -> None:
        store.check()
    return check


def readiness_checks(settings: Settings) -> dict[str, Check]:
    return {"amqp": check_amqp(settings), "postgres": check_postgres(settings, "signing"),
            "keys": check_key_store(settings), "s3": check_s3(settings)}
