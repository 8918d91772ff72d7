"""Starting children in their own process group and stopping the whole group."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1


def _term_when_parent_dies() -> None:
    """In the child before exec (Linux): SIGTERM when the CLI dies, even by SIGKILL, so nothing is orphaned."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _preexec() -> Callable[[], None] | None:
    return _term_when_parent_dies if sys.platform.startswith("linux") else None


def spawn(
    argv: Sequence[str], log_path: Path, env: Mapping[str, str], cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start argv in a new session (so a new process group led by the child), stdout+stderr appended to log_path."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        # Logs are kept across restarts: mark where this run begins, so a tail never mixes runs unknowingly.
        log.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} start: {shlex.join(argv)}\n".encode())
        log.flush()
        return subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=str(cwd) if cwd else None,
            start_new_session=True,
            preexec_fn=_preexec(),  # the CLI starts no threads
        )


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def send_term(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the child's whole process group (the child leads it: pgid == pid)."""
    if proc.poll() is None:
        _killpg(proc.pid, signal.SIGTERM)


def finish(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait up to timeout for a child sent SIGTERM, then SIGKILL its group; leave no member of the group behind."""
    try:
        proc.wait(timeout=max(0.0, timeout))
    except subprocess.TimeoutExpired:
        _killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # Grandchildren that outlived their parent (a reloader's worker, a shell's command) are in the same group.
    _killpg(proc.pid, signal.SIGKILL)


def stop_group(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    send_term(proc)
    finish(proc, timeout)


def pid_alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
