"""Service processes for integration tests: the real ``python -m ecourt_<svc> <command>``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServiceProcess:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)


def run_command(package: str, command: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", package, command], env={**os.environ, **env}, check=True,
                   capture_output=True, timeout=120)


def start_process(service: str, package: str, command: str, log_dir: Path, extra_env: dict[str, str] | None = None,
                  ready_timeout: float = 60) -> ServiceProcess:
    """Start ``python -m package command`` on a free port and wait until /health/ready answers 200."""
    port = free_port()
    kind = "HEALTH" if command == "worker" else "WEB"
    env = {**os.environ, **(extra_env or {}), f"ECOURT_{service.upper()}_{kind}_PORT": str(port)}
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{service}-{command}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", package, command], env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    proc = ServiceProcess(f"{service}-{command}", process, port, log_path)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{proc.name} exited with {process.returncode}:\n{proc.log_tail()}")
        try:
            if httpx.get(f"{proc.url}/health/ready", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{proc.name} not ready after {ready_timeout}s:\n{proc.log_tail()}")
