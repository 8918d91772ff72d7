"""What the portal's processes touch: RabbitMQ and the portal's own database, nothing else."""

from __future__ import annotations

from ecourt_shared.health import Check, check_amqp, check_postgres
from ecourt_shared.settings import Settings


def readiness_checks(settings: Settings) -> dict[str, Check]:
    return {"amqp": check_amqp(settings), "postgres": check_postgres(settings, "portal")}
