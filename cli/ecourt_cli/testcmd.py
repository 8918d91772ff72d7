"""`ecourt test [pytest args...]`: the whole suite with chromium and fresh stand-ins."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import preflight, procutil, standins, sysdeps
from .common import CliError, repo_root, say, warn
from .signals import StopRequested, stop_signals

NO_TESTS_COLLECTED = 5


def map_pytest_exit_code(code: int) -> tuple[int, str | None]:
    """The exit code of `ecourt test` for pytest's, and a message to print: 'no tests collected' is a failure."""
    if code == NO_TESTS_COLLECTED:
        return 1, "pytest collected no tests (exit code 5): a test run that runs nothing counts as failed"
    return code, None


def _port(preferred: int, name: str) -> int:
    """The test run's fixed port, or a free one when something (another run, a developer's server) holds it."""
    if not procutil.port_open(preferred):
        return preferred
    port = procutil.free_port()
    say(f"port {preferred} for the {name} stand-in is in use; using {port}")
    return port


def _ensure_services() -> None:
    try:
        preflight.ensure_infrastructure()
    except CliError as exc:
        warn(f"warning: tests that need them will fail:\n{exc}")


def run_tests(pytest_args: Sequence[str]) -> int:
    sysdeps.ensure_chromium()
    _ensure_services()
    root = repo_root()
    with (
        stop_signals() as signals,
        tempfile.TemporaryDirectory(prefix="ecourt-test-") as tmp,
    ):
        stand: standins.StandIns | None = None
        proc: subprocess.Popen[bytes] | None = None
        try:
            env = dict(os.environ)
            stand = standins.start_standins(
                Path(tmp),
                _port(standins.TEST_MONGO_PORT, "mongo") if not env.get("ECOURT_MONGO_URL") else 0,
                _port(standins.TEST_S3_PORT, "s3") if not env.get("ECOURT_S3_ENDPOINT") else 0,
                env,
            )
            env.update(stand.env)
            env["ECOURT_TEST_RUN"] = "1"
            for key in ("ECOURT_MONGO_URL", "ECOURT_S3_ENDPOINT"):
                say(f"{key}={env[key]}")
            argv = [sys.executable, "-m", "pytest", *pytest_args]
            proc = subprocess.Popen(argv, cwd=root, env=env)
            code = proc.wait()
        except StopRequested as stop:
            signals.shield()
            if proc is not None and proc.poll() is None:
                if stop.signum == signal.SIGTERM:
                    proc.terminate()  # a terminal's Ctrl-C reaches pytest by itself
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            warn(f"{stop} received; test run stopped")
            return 128 + stop.signum
        finally:
            signals.shield()
            if stand is not None:
                stand.stop()
    mapped, message = map_pytest_exit_code(code)
    if message:
        warn(message)
    return mapped
