"""The process table of the whole system: one row per long-running process.

Adding a service (or a second process of one) is a one-line change here: `ecourt up` starts every row as a
separate child, waits for its health endpoint, and `ecourt migrate` runs `python -m <module> migrate` once per
distinct module, in table order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecourt_shared.settings import get_settings


@dataclass(frozen=True)
class ProcessSpec:
    module: str  # the service package, started as `python -m <module> <command>`
    command: str  # "worker" (nameko) or "web" (HTTP)
    health_port: int  # GET http://127.0.0.1:<port>/health/ready answers 200 when ready

    @property
    def name(self) -> str:
        """Short process name, also the log file name: ecourt_intake worker -> intake-worker."""
        return f"{self.module.removeprefix('ecourt_')}-{self.command}"

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.health_port}/health/ready"


def _port(module: str, command: str) -> int:
    """The port the process will listen on: the shared settings' default or its ECOURT_<SVC>_*_PORT override."""
    service, settings = module.removeprefix("ecourt_"), get_settings()
    return settings.health_port(service) if command == "worker" else settings.web_port(service)


PROCESSES: tuple[ProcessSpec, ...] = (
    ProcessSpec("ecourt_intake", "worker", _port("ecourt_intake", "worker")),
    ProcessSpec("ecourt_intake", "web", _port("ecourt_intake", "web")),
    ProcessSpec("ecourt_assignment", "worker", _port("ecourt_assignment", "worker")),
    ProcessSpec("ecourt_casefile", "worker", _port("ecourt_casefile", "worker")),
    ProcessSpec("ecourt_signing", "worker", _port("ecourt_signing", "worker")),
    ProcessSpec("ecourt_signing", "web", _port("ecourt_signing", "web")),
    ProcessSpec("ecourt_stats", "worker", _port("ecourt_stats", "worker")),
    ProcessSpec("ecourt_portal", "worker", _port("ecourt_portal", "worker")),
    ProcessSpec("ecourt_portal", "web", _port("ecourt_portal", "web")),
    ProcessSpec("ecourt_qlta", "worker", _port("ecourt_qlta", "worker")),
    ProcessSpec("ecourt_qlta", "web", _port("ecourt_qlta", "web")),
    ProcessSpec("ecourt_console", "web", _port("ecourt_console", "web")),
)

# Run after every migrate and before any producer starts: declares the durable exchanges and queues.
BUS_DECLARE: tuple[str, ...] = ("ecourt_shared.bus", "declare")

# What `ecourt up` prints for people to open.
PORTAL_URL = f"http://127.0.0.1:{_port('ecourt_portal', 'web')}"
CONSOLE_URL = f"http://127.0.0.1:{_port('ecourt_console', 'web')}"


def service_packages(table: tuple[ProcessSpec, ...] = PROCESSES) -> list[str]:
    """Every distinct service package of the table, in table order."""
    seen: dict[str, None] = {}
    for spec in table:
        seen.setdefault(spec.module, None)
    return list(seen)
