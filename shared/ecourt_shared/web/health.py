"""``/health/live`` and ``/health/ready`` for FastAPI processes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ecourt_shared.health import Check, readiness_report


def health_router(checks: dict[str, Check]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health/live")
    def live() -> dict[str, str]:
        return {"status": "live"}

    @router.get("/health/ready")
    def ready() -> JSONResponse:
        status, body = readiness_report(checks)
        return JSONResponse(body, status_code=status)

    return router
