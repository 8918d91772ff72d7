"""Fixtures for the ecourt_cli tests."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from ecourt_cli import procutil

# A tiny HTTP server for toy process tables: argv[1] is the port; /health/ready answers 200.
# With argv[2] a file name it first starts a grandchild (a sleeping python) and writes the grandchild's pid there.
# With argv[3] == "ignore-term" it ignores SIGTERM (to exercise the SIGKILL escalation).
TOY_SERVER = """
import http.server, os, signal, subprocess, sys
port = int(sys.argv[1])
if len(sys.argv) > 2 and sys.argv[2] != "-":
    grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    open(sys.argv[2], "w").write(str(grandchild.pid))
if len(sys.argv) > 3 and sys.argv[3] == "ignore-term":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/health/ready" else 404)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
print("toy server on", port, "pid", os.getpid(), flush=True)
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan killed in a container may wait a while for init to reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def assert_all_gone(pids: Iterable[int], timeout: float = 5.0) -> None:
    pids = list(pids)
    wait_until(lambda: not any(running(p) for p in pids), timeout, f"processes {pids} to be gone")


class ProcessChecks:
    """Process helpers for tests (conftest is not importable under --import-mode=importlib: use the fixture)."""

    toy_server = TOY_SERVER
    running = staticmethod(running)
    wait_until = staticmethod(wait_until)
    assert_all_gone = staticmethod(assert_all_gone)


@pytest.fixture
def procs() -> type[ProcessChecks]:
    return ProcessChecks


@pytest.fixture
def free_port() -> Callable[[], int]:
    return procutil.free_port


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """os.environ without the variables that make the CLI skip its stand-ins (set during `ecourt test`)."""
    for key in ("ECOURT_MONGO_URL", "ECOURT_S3_ENDPOINT", "ECOURT_DATA_DIR"):
        monkeypatch.delenv(key, raising=False)
    return dict(os.environ)
