"""pytest fixtures shared by every tier (loaded from the root conftest.py).

Each test module gets its own environment (database prefix, RabbitMQ virtual host, keys, data
folder) and its own service processes, so events one module leaves in a queue can never reach
another module's workers or counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ecourt_shared.testing.environment import TestEnvironment, create_environment, destroy_environment
from ecourt_shared.testing.processes import ServiceProcess, run_command, start_process


@pytest.fixture(scope="module")
def ecourt_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestEnvironment]:
    environment = create_environment(tmp_path_factory.mktemp("ecourt"))
    yield environment
    destroy_environment(environment)


@pytest.fixture(scope="module")
def migrated(ecourt_env: TestEnvironment) -> Callable[[str], None]:
    """``migrated("ecourt_intake")`` runs that package's migrations once per module."""
    done: set[str] = set()

    def migrate(package: str) -> None:
        if package not in done:
            run_command(package, "migrate", ecourt_env.env)
            done.add(package)
    return migrate


@pytest.fixture(scope="module")
def bus_topology(ecourt_env: TestEnvironment) -> None:
    from ecourt_shared.bus.topology import declare_topology

    declare_topology(ecourt_env.settings.amqp_uri)


@pytest.fixture(scope="module")
def service_processes(ecourt_env: TestEnvironment, bus_topology: None,
                      migrated: Callable[[str], None]) -> Iterator[Callable[..., ServiceProcess]]:
    """Start real service processes; each one is stopped at the end of the module."""
    started: list[ServiceProcess] = []

    def start(service: str, package: str, command: str = "worker", **extra_env: str) -> ServiceProcess:
        migrated(package)
        proc = start_process(service, package, command, ecourt_env.data_dir / "logs",
                             {**ecourt_env.env, **extra_env})
        started.append(proc)
        return proc

    yield start
    for proc in reversed(started):
        proc.stop()


@pytest.fixture
def data_dir(ecourt_env: TestEnvironment) -> Path:
    return ecourt_env.data_dir
