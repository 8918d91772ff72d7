"""Liveness and readiness that really check a process's connections.

``/health/live`` answers while the process runs; ``/health/ready`` opens each connection the
process needs (AMQP, its PostgreSQL database, MongoDB, the S3 endpoint) and answers 503 naming the
ones that fail.
"""

from __future__ import annotations

from collections.abc import Callable

from ecourt_shared.settings import Settings

Check = Callable[[], None]


def check_amqp(settings: Settings) -> Check:
    def check() -> None:
        from kombu import Connection

        with Connection(settings.amqp_uri, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
    return check


def check_postgres(settings: Settings, service: str) -> Check:
    from sqlalchemy import create_engine, pool, text

    engine = create_engine(settings.database_url(service), poolclass=pool.NullPool,
                           connect_args={"connect_timeout": 2})

    def check() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    return check


def check_mongo(settings: Settings) -> Check:
    def check() -> None:
        from ecourt_shared.mongo import mongo_client

        mongo_client(settings).admin.command("ping")
    return check


def check_s3(settings: Settings) -> Check:
    def check() -> None:
        from ecourt_shared.storage import ObjectStore

        ObjectStore.from_settings(settings).client.list_buckets()
    return check


def readiness_report(checks: dict[str, Check]) -> tuple[int, dict[str, object]]:
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # a readiness probe reports failures, it does not raise them
            results[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    ready = all(v == "ok" for v in results.values())
    return (200 if ready else 503), {"status": "ready" if ready else "not ready", "checks": results}
