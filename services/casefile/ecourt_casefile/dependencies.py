"""What casefile's workers touch, injected so tests can see and replace it."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_shared.health import check_amqp, check_mongo, check_postgres, check_s3
from ecourt_shared.mongo import service_database
from ecourt_shared.settings import Settings, get_settings
from ecourt_shared.storage import ObjectStore

SERVICE = "casefile"


class Storage(DependencyProvider):
    def setup(self) -> None:
        self.store = ObjectStore.from_settings(get_settings())

    def get_dependency(self, worker_ctx: Any) -> ObjectStore:
        return self.store


class Dossiers(DependencyProvider):
    """The dossier collection of casefile's own MongoDB database."""

    def setup(self) -> None:
        self.dossiers = DossierStore(service_database(get_settings(), SERVICE))

    def get_dependency(self, worker_ctx: Any) -> DossierStore:
        return self.dossiers


def readiness_checks(settings: Settings) -> dict[str, Any]:
    return {"amqp": check_amqp(settings), "postgres": check_postgres(settings, SERVICE),
            "mongo": check_mongo(settings), "s3": check_s3(settings)}
