"""Calls scripts/install-system-deps.sh (Debian packages: chromium, rabbitmq-server, postgresql)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .common import CliError, repo_root, say

CHROMIUM = Path("/usr/bin/chromium")


def script_path() -> Path:
    return repo_root() / "scripts" / "install-system-deps.sh"


def is_root() -> bool:
    return os.geteuid() == 0


def is_debian_like() -> bool:
    if shutil.which("apt-get") is None:
        return False
    if Path("/etc/debian_version").exists():
        return True
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return False
    return "debian" in text or "ubuntu" in text


def can_install() -> bool:
    return is_root() and is_debian_like()


def run_install(flag: str) -> None:
    """Run the installer with --browser or --services; raise CliError when it fails."""
    script = script_path()
    say(f"running {script.relative_to(repo_root())} {flag}")
    result = subprocess.run(["bash", str(script), flag], stdin=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        raise CliError(f"{script} {flag} failed with exit code {result.returncode}")


def ensure_chromium() -> None:
    """Chromium for the browser tests: install it when missing and we may, else say how."""
    if CHROMIUM.exists():
        return
    if can_install():
        run_install("--browser")
        if CHROMIUM.exists():
            return
        raise CliError(f"{CHROMIUM} is still missing after scripts/install-system-deps.sh --browser")
    raise CliError(
        f"{CHROMIUM} is missing (the browser tests need it). Install it as root with:\n"
        f"    sudo {script_path()} --browser\n"
        "or on Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-core"
    )
