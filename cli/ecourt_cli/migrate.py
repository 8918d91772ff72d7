"""Schema migrations of every service, then the durable bus topology (step d of `ecourt up`)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from .common import CliError, indent, log_tail, repo_root, say
from .processes import BUS_DECLARE, PROCESSES, ProcessSpec, service_packages

MIGRATE_TIMEOUT = 600.0


def _run_step(argv: list[str], label: str, env: Mapping[str, str], log_path: Path) -> None:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"\n=== {label}: {' '.join(argv)}\n".encode())
        log.flush()
        try:
            result = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(env),
                cwd=repo_root(),
                timeout=MIGRATE_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise CliError(f"{label} did not finish in {MIGRATE_TIMEOUT:.0f} s; see {log_path}") from exc
    if result.returncode != 0:
        raise CliError(
            f"{label} failed with exit code {result.returncode}; last lines of {log_path}:\n"
            f"{indent(log_tail(log_path, 30))}"
        )


def migrate_all(
    env: Mapping[str, str],
    log_path: Path,
    table: tuple[ProcessSpec, ...] = PROCESSES,
    declare: tuple[str, ...] = BUS_DECLARE,
) -> None:
    """`python -m <pkg> migrate` for every service package, then `python -m ecourt_shared.bus declare`."""
    for package in service_packages(table):
        say(f"migrate {package}")
        _run_step([sys.executable, "-m", package, "migrate"], f"{package} migrate", env, log_path)
    say("declare durable exchanges and queues")
    _run_step([sys.executable, "-m", *declare], " ".join(declare), env, log_path)


def run_migrate(data_dir: Path) -> int:
    """`ecourt migrate`: uses the stand-ins of a running `ecourt up` for this data dir, else starts them briefly."""
    from . import preflight, standins
    from .environment import child_env

    preflight.ensure_infrastructure()
    env = child_env(data_dir)
    with standins.start_standins(data_dir, standins.UP_MONGO_PORT, standins.UP_S3_PORT, env, reuse=True) as stand:
        env.update(stand.env)
        migrate_all(env, data_dir / "logs" / "migrate.log")
    say("migrations done")
    return 0
