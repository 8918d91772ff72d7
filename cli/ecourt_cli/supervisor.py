"""Runs a table of child processes: start each in its own process group, wait for health, report deaths, stop."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import procutil
from .common import CliError, indent, log_tail
from .processes import PROCESSES, ProcessSpec


@dataclass(frozen=True)
class ChildSpec:
    name: str  # also the log file name: <log_dir>/<name>.log
    argv: tuple[str, ...]
    health_url: str | None = None  # ready when GET answers 200; None: ready once started


def specs_from_table(table: Iterable[ProcessSpec] = PROCESSES, python: str = sys.executable) -> list[ChildSpec]:
    return [ChildSpec(p.name, (python, "-m", p.module, p.command), p.health_url) for p in table]


@dataclass
class Child:
    spec: ChildSpec
    proc: subprocess.Popen[bytes]
    log_path: Path
    ready: bool = False
    reported: bool = False


class Supervisor:
    def __init__(
        self,
        specs: Sequence[ChildSpec],
        log_dir: Path,
        env: Mapping[str, str],
        cwd: Path | None = None,
        *,
        ready_timeout: float = 90.0,
        stop_timeout: float = 10.0,
        tail_lines: int = 20,
    ) -> None:
        self.specs = list(specs)
        self.log_dir = log_dir
        self.env = dict(env)
        self.cwd = cwd
        self.ready_timeout = ready_timeout
        self.stop_timeout = stop_timeout
        self.tail_lines = tail_lines
        self.children: list[Child] = []

    def log_path(self, spec: ChildSpec) -> Path:
        return self.log_dir / f"{spec.name}.log"

    def _tail(self, child: Child) -> str:
        return f"last {self.tail_lines} lines of {child.log_path}:\n{indent(log_tail(child.log_path, self.tail_lines))}"

    def start_all(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for spec in self.specs:
            log_path = self.log_path(spec)
            proc = procutil.spawn(spec.argv, log_path, self.env, self.cwd)
            self.children.append(Child(spec, proc, log_path))

    def wait_ready(self) -> None:
        """Block until every child answers its health URL; raise CliError on a death or on the timeout."""
        import httpx

        deadline = time.monotonic() + self.ready_timeout
        with httpx.Client(timeout=1.0, trust_env=False) as client:  # no proxy for 127.0.0.1
            while True:
                pending = [c for c in self.children if not c.ready]
                for child in pending:
                    code = child.proc.poll()
                    if code is not None:
                        child.reported = True
                        raise CliError(f"{child.spec.name} exited with code {code} while starting; {self._tail(child)}")
                    if child.spec.health_url is None:
                        child.ready = True
                        continue
                    try:
                        child.ready = client.get(child.spec.health_url).status_code == 200
                    except httpx.HTTPError:
                        child.ready = False
                pending = [c for c in self.children if not c.ready]
                if not pending:
                    return
                if time.monotonic() > deadline:
                    names = ", ".join(c.spec.name for c in pending)
                    details = "\n".join(f"{c.spec.name} ({c.spec.health_url}): {self._tail(c)}" for c in pending)
                    raise CliError(f"not ready after {self.ready_timeout:.0f} s: {names}\n{details}")
                time.sleep(0.3)

    def check_children(self) -> list[str]:
        """Reports of children that died since the last call (each death is reported once)."""
        reports = []
        for child in self.children:
            code = child.proc.poll()
            if code is not None and not child.reported:
                child.reported = True
                reports.append(f"{child.spec.name} exited with code {code}; {self._tail(child)}")
        return reports

    def running(self) -> list[Child]:
        return [c for c in self.children if c.proc.poll() is None]

    def stop_all(self) -> None:
        """SIGTERM each child's group in reverse start order, up to stop_timeout each, then SIGKILL."""
        for child in reversed(self.children):
            procutil.stop_group(child.proc, self.stop_timeout)
