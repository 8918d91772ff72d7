"""Paths, errors and small helpers shared by the commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


class CliError(Exception):
    """A failure to report to the user as one message (no traceback), exit code 1."""


def repo_root() -> Path:
    """The repository root: ECOURT_REPO_ROOT, else the checkout this package lives in, else the cwd."""
    env = os.environ.get("ECOURT_REPO_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]  # <repo>/cli/ecourt_cli/common.py
    if (here / "scripts" / "install-system-deps.sh").is_file():
        return here
    return Path.cwd().resolve()


def data_dir(option: str | None = None) -> Path:
    """--data-dir, else ECOURT_DATA_DIR, else <repo>/.data; absolute."""
    chosen = option or os.environ.get("ECOURT_DATA_DIR") or str(repo_root() / ".data")
    return Path(chosen).expanduser().resolve()


def venv_bin(name: str) -> str:
    """An executable installed next to this interpreter (the venv's bin/), else the name for PATH lookup."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def log_tail(path: Path, lines: int = 20) -> str:
    """The last `lines` lines of a log file ('' when missing), read from its end only."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 64 * 1024))
            data = fh.read()
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def indent(text: str, prefix: str = "    | ") -> str:
    if not text.strip():
        return prefix + "(log is empty)"
    return "\n".join(prefix + line for line in text.splitlines())


def say(message: str) -> None:
    print(f"ecourt: {message}", flush=True)


def warn(message: str) -> None:
    print(f"ecourt: {message}", file=sys.stderr, flush=True)
