"""`ecourt up`: the whole system on this machine, with demo data, until Ctrl-C."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import keys, preflight, procutil, standins
from .common import CliError, repo_root, say, warn
from .environment import child_env
from .migrate import migrate_all
from .processes import BUS_DECLARE, CONSOLE_URL, PORTAL_URL, PROCESSES, ProcessSpec
from .signals import StopRequested, stop_signals
from .supervisor import Supervisor, specs_from_table


@dataclass(frozen=True)
class UpConfig:
    """What `ecourt up` runs; the defaults are the real system (tests inject a toy one)."""

    table: tuple[ProcessSpec, ...] = PROCESSES
    mongo_port: int = standins.UP_MONGO_PORT
    s3_port: int = standins.UP_S3_PORT
    declare: tuple[str, ...] = BUS_DECLARE
    ready_timeout: float = 90.0
    stop_timeout: float = 10.0
    preflight: bool = True  # check RabbitMQ and PostgreSQL first (a toy table needs neither)


def check_ports_free(table: tuple[ProcessSpec, ...]) -> None:
    """A health port that already answers would make a foreign process look like ours (and ours fail to bind)."""
    busy = [spec for spec in table if procutil.port_open(spec.health_port)]
    if busy:
        names = ", ".join(f"{spec.name} (127.0.0.1:{spec.health_port})" for spec in busy)
        raise CliError(
            f"ports already in use: {names}. Is another `ecourt up` running, or a service started by hand? "
            "Stop it and retry."
        )


def seed_demo(env: dict[str, str]) -> None:
    from . import demo

    say("loading demo data")
    try:
        lines = demo.seed_demo(env)
    except NotImplementedError:
        warn("demo data: ecourt_cli.demo.seed_demo is not implemented yet; starting without demo data")
        return
    except Exception:
        warn("demo data failed (the system keeps running):\n" + traceback.format_exc())
        return
    for line in lines:
        print(line, flush=True)


def run_up(data_dir: Path, demo: bool = True, config: UpConfig | None = None) -> int:
    config = config or UpConfig()
    data_dir.mkdir(parents=True, exist_ok=True)
    logs = data_dir / "logs"
    with stop_signals() as signals:
        stand: standins.StandIns | None = None
        sup: Supervisor | None = None
        try:
            say(f"data dir {data_dir}")
            check_ports_free(config.table)
            if config.preflight:
                preflight.ensure_infrastructure()
            env = child_env(data_dir)
            stand = standins.start_standins(data_dir, config.mongo_port, config.s3_port, env)
            env.update(stand.env)
            env.update(keys.ensure_auth_keys(data_dir))
            migrate_all(env, logs / "migrate.log", config.table, config.declare)
            sup = Supervisor(
                specs_from_table(config.table),
                logs,
                env,
                cwd=repo_root(),
                ready_timeout=config.ready_timeout,
                stop_timeout=config.stop_timeout,
            )
            say(f"starting {len(sup.specs)} processes (logs in {logs})")
            sup.start_all()
            sup.wait_ready()
            if demo:
                seed_demo(env)
            print(flush=True)
            say(f"portal   {PORTAL_URL}")
            say(f"console  {CONSOLE_URL}")
            say(f"logs     {logs}/<process>.log")
            say("running; press Ctrl-C to stop")
            reported_standins: set[str] = set()
            while True:
                for report in sup.check_children():
                    warn(report)
                for item in stand.dead():
                    if item.name not in reported_standins:
                        reported_standins.add(item.name)
                        warn(f"the {item.name} stand-in exited; see {item.console_log}")
                time.sleep(1.0)
        except StopRequested as stop:
            signals.shield()
            print(flush=True)
            say(f"{stop} received; stopping")
            return 0
        finally:
            signals.shield()
            if sup is not None:
                sup.stop_all()
            if stand is not None:
                stand.stop()
            if sup is not None or stand is not None:
                say("stopped")
