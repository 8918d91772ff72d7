"""Health endpoints for nameko workers, served by nameko's own HTTP entrypoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.web.handlers import http

from ecourt_shared.health import Check, readiness_report
from ecourt_shared.settings import Settings, get_settings


class Readiness(DependencyProvider):
    def __init__(self, build_checks: Callable[[Settings], dict[str, Check]]) -> None:
        self.build_checks = build_checks

    def setup(self) -> None:
        self.checks = self.build_checks(get_settings())

    def get_dependency(self, worker_ctx: Any) -> Callable[[], tuple[int, dict[str, object]]]:
        return lambda: readiness_report(self.checks)


class HealthEndpoints:
    """Mix into a service class that declares ``readiness = Readiness(...)``."""

    readiness: Any

    @http("GET", "/health/live")
    def health_live(self, request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {"Content-Type": "application/json"}, '{"status": "live"}'

    @rpc
    def ping(self) -> str:
        """Answer ``"pong"``: an RPC round trip through the broker, for operators and benchmarks."""
        return "pong"

    @http("GET", "/health/ready")
    def health_ready(self, request: Any) -> tuple[int, dict[str, str], str]:
        status, body = self.readiness()
        return status, {"Content-Type": "application/json"}, json.dumps(body)
