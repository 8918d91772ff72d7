"""``python -m ecourt_<service> <command>``: the one way every service process starts.

Commands: ``worker`` (the nameko service, under eventlet), ``web`` (a FastAPI app under uvicorn),
``migrate`` (alembic upgrade of the service's own database). This module imports nothing heavy at
the top, because ``worker`` must monkey-patch with eventlet before anything else is imported.
"""

from __future__ import annotations

import importlib
import sys


def _load(path: str):
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


def service_main(service: str, package: str, worker: str | None = None, web: str | None = None,
                 migrations: bool = True) -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "worker" and worker:
        import eventlet

        eventlet.monkey_patch()
        run_worker(service, _load(worker))
    elif command == "web" and web:
        run_web(service, web)
    elif command == "migrate":
        if migrations:
            from ecourt_shared.db.migrate import upgrade
            from ecourt_shared.settings import get_settings

            upgrade(package, get_settings().database_url(service))
        print(f"{service}: migrated")
    else:
        commands = [c for c, ok in (("worker", worker), ("web", web), ("migrate", True)) if ok]
        print(f"usage: python -m {package} {{{','.join(commands)}}}", file=sys.stderr)
        raise SystemExit(2)


def configure_logging() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def run_worker(service: str, service_cls: type) -> None:
    import errno
    import signal

    import eventlet
    from nameko import config
    from nameko.runners import ServiceRunner

    from ecourt_shared.settings import get_settings
    from ecourt_shared.telemetry import setup_telemetry

    configure_logging()
    settings = get_settings()
    setup_telemetry(service, settings)
    config.update({
        "AMQP_URI": settings.amqp_uri,
        "WEB_SERVER_ADDRESS": f"{settings.bind_host}:{settings.health_port(service)}",
        "serializer": "json",
        "max_workers": 10,
    })
    runner = ServiceRunner()
    runner.add_service(service_cls)
    signal.signal(signal.SIGTERM, lambda *_: eventlet.spawn_n(runner.stop))
    runner.start()
    waiter = eventlet.spawn(runner.wait)
    while True:
        try:
            waiter.wait()
            break
        except OSError as exc:
            if exc.errno != errno.EINTR:
                raise
        except KeyboardInterrupt:
            runner.stop()


def run_web(service: str, app_factory: str) -> None:
    import uvicorn

    from ecourt_shared.settings import get_settings

    configure_logging()
    settings = get_settings()
    uvicorn.run(app_factory, factory=True, host=settings.bind_host, port=settings.web_port(service),
                log_level="info", access_log=False)
