"""Embedded stand-ins for MongoDB (nx-27017) and S3/MinIO (localbucket), started as child processes.

Used by `ecourt up` (fixed ports, state under the data dir, survives restarts), `ecourt migrate` and
`ecourt test` (fresh temporary dir, other ports). Each stand-in is skipped when its ECOURT_* variable is set.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from . import procutil
from .common import CliError, indent, log_tail, say, venv_bin

UP_MONGO_PORT = 27117
UP_S3_PORT = 9100
TEST_MONGO_PORT = 27217
TEST_S3_PORT = 9200


def mongo_answers(url: str, timeout_ms: int = 500) -> bool:
    import pymongo

    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(
        url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms
    )
    try:
        client.admin.command("ping")
        return True
    except Exception:
        return False
    finally:
        client.close()


def s3_answers(endpoint: str, timeout: float = 1.0) -> bool:
    import httpx

    try:
        return httpx.get(f"http://{endpoint}/", timeout=timeout, trust_env=False).status_code < 500
    except httpx.HTTPError:
        return False


@dataclass
class StandIn:
    name: str  # "mongo" or "s3": also the log and pid file names
    argv: list[str]
    port: int
    console_log: Path  # the child's stdout+stderr
    pid_file: Path
    marker: str  # a word of the command line that identifies a live stand-in of this kind
    probe: Callable[[], bool]
    writes_pid_file: bool  # nx-27017 writes its own; for localbucket we do
    proc: subprocess.Popen[bytes] | None = None
    reused_pid: int | None = None

    def running_pid(self) -> int | None:
        """The pid in the pid file when it is a live stand-in of this kind, else None (and a stale file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            pid = 0
        if pid > 0 and procutil.pid_alive(pid) and self.marker in procutil.cmdline(pid):
            return pid
        with contextlib.suppress(FileNotFoundError):
            self.pid_file.unlink()
        return None

    def start(self, env: Mapping[str, str], reuse: bool = False) -> None:
        pid = self.running_pid()
        if pid is not None:
            if reuse and self.probe():
                self.reused_pid = pid
                say(f"{self.name} stand-in already running (pid {pid}); using it")
                return
            raise CliError(
                f"a {self.name} stand-in already runs for this data dir (pid {pid}, pid file {self.pid_file}): "
                f"is another `ecourt up` running? Stop it (Ctrl-C there, or kill {pid}) and retry."
            )
        if procutil.port_open(self.port):
            raise CliError(
                f"port 127.0.0.1:{self.port} for the {self.name} stand-in is already in use by another program. "
                f"Stop it, or set {'ECOURT_MONGO_URL' if self.name == 'mongo' else 'ECOURT_S3_ENDPOINT'} "
                "to use a server of your own."
            )
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.proc = procutil.spawn(self.argv, self.console_log, env)
        except FileNotFoundError as exc:
            raise CliError(
                f"cannot start the {self.name} stand-in: {self.argv[0]} not found ({exc}). "
                "It comes from requirements/dev.txt: run ./ecourt once to install it."
            ) from exc
        if not self.writes_pid_file:
            self.pid_file.write_text(f"{self.proc.pid}\n")

    def wait_ready(self, deadline: float) -> None:
        if self.proc is None:
            return
        while True:
            if self.proc.poll() is not None:
                raise CliError(
                    f"the {self.name} stand-in exited with code {self.proc.returncode} while starting; "
                    f"last lines of {self.console_log}:\n{indent(log_tail(self.console_log))}"
                )
            if self.probe():
                return
            if time.monotonic() > deadline:
                raise CliError(
                    f"the {self.name} stand-in did not answer on port {self.port} in time; "
                    f"last lines of {self.console_log}:\n{indent(log_tail(self.console_log))}"
                )
            time.sleep(0.2)

    def died(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc is None:
            return
        procutil.stop_group(self.proc, timeout)
        # nx-27017 removes its pid file on SIGTERM; after a SIGKILL, or for localbucket, we do.
        with contextlib.suppress(OSError, ValueError):
            if int(self.pid_file.read_text().strip()) == self.proc.pid:
                self.pid_file.unlink()
        self.proc = None


def mongo_standin(data_dir: Path, port: int) -> StandIn:
    logs, run = data_dir / "logs", data_dir / "run"
    url = f"mongodb://127.0.0.1:{port}"
    argv = [
        venv_bin("nx-27017"),
        "--data-dir", str(data_dir / "mongo"),
        "--host", "127.0.0.1",
        "-p", str(port),
        "--log-file", str(logs / "mongo.log"),
        "--pid-file", str(run / "mongo.pid"),
    ]  # fmt: skip
    return StandIn(
        name="mongo",
        argv=argv,
        port=port,
        console_log=logs / "mongo.console.log",
        pid_file=run / "mongo.pid",
        marker="nx-27017",
        probe=lambda: mongo_answers(url),
        writes_pid_file=True,
    )


def s3_standin(data_dir: Path, port: int) -> StandIn:
    logs, run = data_dir / "logs", data_dir / "run"
    endpoint = f"127.0.0.1:{port}"
    argv = [venv_bin("localbucket"), str(data_dir / "s3"), "--host", "127.0.0.1", "--port", str(port)]
    return StandIn(
        name="s3",
        argv=argv,
        port=port,
        console_log=logs / "s3.log",
        pid_file=run / "s3.pid",
        marker="localbucket",
        probe=lambda: s3_answers(endpoint),
        writes_pid_file=False,
    )


@dataclass
class StandIns:
    """The stand-ins of one run and the variables that point the services at them."""

    items: list[StandIn] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        for item in reversed(self.items):
            item.stop()

    def dead(self) -> list[StandIn]:
        return [item for item in self.items if item.died()]

    def __enter__(self) -> StandIns:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_standins(
    data_dir: Path,
    mongo_port: int,
    s3_port: int,
    env: Mapping[str, str] | None = None,
    *,
    reuse: bool = False,
    ready_timeout: float = 30.0,
) -> StandIns:
    """Start nx-27017 and localbucket unless ECOURT_MONGO_URL / ECOURT_S3_ENDPOINT are set; wait until they answer.

    The returned StandIns.env holds ECOURT_MONGO_URL and ECOURT_S3_ENDPOINT for the children (the given values
    when set). On failure everything started is stopped and CliError is raised.
    """
    env = dict(os.environ if env is None else env)
    result = StandIns()
    if env.get("ECOURT_MONGO_URL"):
        result.env["ECOURT_MONGO_URL"] = env["ECOURT_MONGO_URL"]
    else:
        result.items.append(mongo_standin(data_dir, mongo_port))
        result.env["ECOURT_MONGO_URL"] = f"mongodb://127.0.0.1:{mongo_port}"
    if env.get("ECOURT_S3_ENDPOINT"):
        result.env["ECOURT_S3_ENDPOINT"] = env["ECOURT_S3_ENDPOINT"]
    else:
        result.items.append(s3_standin(data_dir, s3_port))
        result.env["ECOURT_S3_ENDPOINT"] = f"127.0.0.1:{s3_port}"
    try:
        for item in result.items:
            item.start(env, reuse=reuse)
        deadline = time.monotonic() + ready_timeout
        for item in result.items:
            item.wait_ready(deadline)
    except BaseException:
        result.stop()
        raise
    return result
