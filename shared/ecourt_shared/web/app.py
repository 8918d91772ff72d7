"""The common start of every FastAPI app: telemetry, error mapping, health, an RPC pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ecourt_shared.health import Check
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.settings import Settings
from ecourt_shared.telemetry import instrument_fastapi, setup_telemetry
from ecourt_shared.web.errors import install_error_handlers
from ecourt_shared.web.health import health_router


def create_base_app(service: str, title: str, settings: Settings, checks: dict[str, Check]) -> FastAPI:
    setup_telemetry(f"{service}-web", settings)
    pool = RpcClientPool(settings.amqp_uri, timeout=settings.rpc_timeout_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title=title, lifespan=lifespan)
    app.state.rpc = pool
    install_error_handlers(app)
    app.include_router(health_router(checks))
    instrument_fastapi(app)
    return app
