"""Cross-service fixtures: the whole system started as separate processes, as `ecourt up` starts it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ecourt_cli.processes import PROCESSES
from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.processes import ServiceProcess

DEMO_PASSWORD = "ecourt-test-password"
JUDGES = [("J-79KV01-001", "Lê Văn Cường"), ("J-79KV01-002", "Phạm Thị Dung"), ("J-79KV01-003", "Hoàng Minh Em")]


@dataclass
class RunningSystem:
    processes: dict[str, ServiceProcess]
    rpc: RpcClientPool
    env: Any
    password: str = DEMO_PASSWORD
    judges: tuple[tuple[str, str], ...] = tuple(JUDGES)

    def url(self, name: str) -> str:
        return self.processes[name].url

    def token(self, *roles: Role, **kwargs: Any) -> str:
        return str(self.env.token(*roles, **kwargs))


def create_user(env: dict[str, str], username: str, roles: str, display_name: str, judge_id: str | None = None) -> None:
    args = [sys.executable, "-m", "ecourt_console", "create-user", "--username", username, "--password",
            DEMO_PASSWORD, "--display-name", display_name, "--roles", roles, "--court", "79KV01"]
    if judge_id:
        args += ["--judge-id", judge_id]
    subprocess.run(args, env={**__import__("os").environ, **env}, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def system(ecourt_env: Any, service_processes: Callable[..., ServiceProcess]) -> Any:
    """Every process of the process table, with a roster of three judges and staff accounts."""
    processes = {}
    # These tests poll the portal until a case appears; "not found yet" must not trip the failed-lookup limit
    # (the limit itself is tested in the portal's own tests).
    portal_env = {"ECOURT_PORTAL_LOOKUP_MAX_FAILURES": "100000"}
    for spec in PROCESSES:
        service = spec.module.removeprefix("ecourt_")
        processes[spec.name] = service_processes(service, spec.module, spec.command, **portal_env)
    rpc = RpcClientPool(ecourt_env.settings.amqp_uri)
    admin = ecourt_env.token(Role.IT_ADMIN, user_id="u-admin")
    for judge_id, name in JUDGES:
        rpc.call("assignment", "register_judge", token=admin,
                 judge={"judge_id": judge_id, "full_name": name, "specializations": ["civil"]})
    create_user(ecourt_env.env, "chanhan", "president", "Nguyễn Thị Hoa")
    create_user(ecourt_env.env, "tiepnhan", "reception", "Đỗ Văn Giang")
    for i, (judge_id, name) in enumerate(JUDGES):
        create_user(ecourt_env.env, f"thamphan{i}", "judge", name, judge_id)
    yield RunningSystem(processes, rpc, ecourt_env)
    rpc.close()
