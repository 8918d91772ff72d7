"""What stats' workers touch, injected so tests can see and replace it."""

from __future__ import annotations

from typing import Any

from ecourt_shared.health import check_amqp, check_postgres
from ecourt_shared.settings import Settings


def readiness_checks(settings: Settings) -> dict[str, Any]:
    return {"amqp": check_amqp(settings), "postgres": check_postgres(settings, "stats")}
