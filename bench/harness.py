"""What the benchmarks share: an isolated running system and the timing summaries they print.

The scripts run as `.venv/bin/python bench/<name>.py`, so bench/ is sys.path[0] and `from harness import ...` works.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ecourt_shared.auth import Role
    from ecourt_shared.rpc import RpcClientPool
    from ecourt_shared.testing.environment import TestEnvironment


@dataclass
class RunningSystem:
    base: Path  # the run's temporary data directory (logs under base / "logs")
    env: TestEnvironment  # env.env: the children's environment; env.settings: this process's settings
    rpc: RpcClientPool
    urls: dict[str, str]  # process name ("intake-web") -> "http://127.0.0.1:<port>"

    def token(self, *roles: Role, **claims: Any) -> str:
        """A bearer token for the environment's key: ``system.token(Role.PRESIDENT, court_id=..., user_id=...)``."""
        return self.env.token(*roles, **claims)


@contextmanager
def running_system(processes: Sequence[tuple[str, str]], *, prefix: str = "ecourt-bench-", standins: bool = True,
                   extra_env: Mapping[str, str] | None = None,
                   rpc_options: Mapping[str, Any] | None = None) -> Iterator[RunningSystem]:
    """Start ``python -m <module> <command>`` for each (module, command) in an isolated environment; tear it all down.

    Stand-ins for MongoDB and S3 on free ports (unless ``standins=False``), a fresh RabbitMQ vhost and database
    prefix, tracing off, ``extra_env`` for the children, each distinct module migrated, the bus topology declared,
    the processes started in order and waited for, and an RPC pool (``rpc_options``: RpcClientPool's keywords).
    On exit: the pool closed, the processes stopped in reverse order, the environment and the stand-ins removed.
    """
    # Imported here: the scripts that only time code in-process (signing, ledger) need none of this (nameko, eventlet).
    from ecourt_cli.standins import start_standins
    from ecourt_shared.bus.topology import declare_topology
    from ecourt_shared.rpc import RpcClientPool
    from ecourt_shared.testing.environment import create_environment, destroy_environment
    from ecourt_shared.testing.processes import free_port, run_command, start_process

    with ExitStack() as stack:
        base = Path(tempfile.mkdtemp(prefix=prefix))
        standin_env: dict[str, str] = {}
        if standins:
            started = start_standins(base, free_port(), free_port())
            stack.callback(started.stop)
            standin_env = started.env
        env = create_environment(base)
        stack.callback(destroy_environment, env)
        env.env.update(standin_env)
        os.environ.update(standin_env)
        env.env["ECOURT_OTEL_EXPORTER"] = "none"
        env.env.update(extra_env or {})

        for package in dict.fromkeys(module for module, _ in processes):
            run_command(package, "migrate", env.env)
        declare_topology(env.settings.amqp_uri)
        urls = {}
        for module, command in processes:
            process = start_process(module.removeprefix("ecourt_"), module, command, base / "logs", env.env)
            stack.callback(process.stop)
            urls[process.name] = process.url
        rpc = RpcClientPool(env.settings.amqp_uri, **(rpc_options or {}))
        stack.callback(rpc.close)  # closing twice is harmless
        yield RunningSystem(base, env, rpc, urls)


def ping_round_trips(rpc: RpcClientPool, service: str, count: int, warmup: int = 50) -> list[float]:
    """The baseline: seconds of each of ``count`` sequential ``<service>.ping`` RPC calls, after ``warmup`` untimed."""
    for _ in range(warmup):
        rpc.call(service, "ping")
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        rpc.call(service, "ping")
        seconds.append(time.perf_counter() - started)
    return seconds


def percentile(values: Sequence[float], q: float, *, rank: Literal["nearest", "floor"] = "nearest") -> float:
    """One of the values (no interpolation): index round(q * (n - 1)) ("nearest") or floor(q * n) ("floor")."""
    ordered = sorted(values)
    index = round(q * (len(ordered) - 1)) if rank == "nearest" else int(q * len(ordered))
    return ordered[min(len(ordered) - 1, index)]


def ratio(measured: Sequence[float], baseline: Sequence[float], q: float = 0.5) -> float:
    """How many times the baseline's q-percentile (p50 by default) the measured one is."""
    return percentile(measured, q) / percentile(baseline, q)


def summary(name: str, seconds: Sequence[float], *, width: int = 34, decimals: int = 2,
            rate_width: int | None = 8) -> str:
    """One line: name, n, p50, p99 and mean in ms, then calls per second (left out when rate_width is None)."""
    ms = [s * 1000 for s in seconds]
    line = (f"{name:<{width}} n={len(ms):<5} p50={percentile(ms, 0.5):8.{decimals}f} ms  "
            f"p99={percentile(ms, 0.99):8.{decimals}f} ms  mean={statistics.fmean(ms):8.{decimals}f} ms")
    if rate_width is not None:
        line += f"  rate={len(seconds) / sum(seconds):{rate_width}.1f}/s"
    return line
