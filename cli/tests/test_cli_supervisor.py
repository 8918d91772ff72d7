"""The supervisor and `ecourt up` with toy process tables: real child processes, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecourt_cli.common import CliError
from ecourt_cli.supervisor import ChildSpec, Supervisor

pytestmark = pytest.mark.integration


def toy(procs: Any, name: str, port: int, *extra: str) -> ChildSpec:
    argv = (sys.executable, "-c", procs.toy_server, str(port), *extra)
    return ChildSpec(name, argv, f"http://127.0.0.1:{port}/health/ready")


def test_start_ready_and_stop_everything(tmp_path: Path, free_port: Callable[[], int], procs: Any) -> None:
    grandchild_file = tmp_path / "grandchild.pid"
    specs = [
        toy(procs, "plain", free_port()),
        toy(procs, "with-grandchild", free_port(), str(grandchild_file)),
        toy(procs, "ignores-term", free_port(), "-", "ignore-term"),
    ]
    sup = Supervisor(specs, tmp_path / "logs", os.environ, ready_timeout=20, stop_timeout=1)
    sup.start_all()
    try:
        sup.wait_ready()
        pids = [c.proc.pid for c in sup.children] + [int(grandchild_file.read_text())]
        assert all(procs.running(p) for p in pids)
        assert sup.check_children() == []
        for spec in specs:
            assert "toy server on" in (tmp_path / "logs" / f"{spec.name}.log").read_text()
    finally:
        started = time.monotonic()
        sup.stop_all()
    assert time.monotonic() - started < 8  # only the one ignoring SIGTERM waits for its SIGKILL
    procs.assert_all_gone(pids)
    assert [c.proc.returncode for c in sup.children] == [-signal.SIGTERM, -signal.SIGTERM, -signal.SIGKILL]


def test_a_child_that_exits_early_is_reported_with_its_log_tail(
    tmp_path: Path, free_port: Callable[[], int], procs: Any
) -> None:
    crash = "import sys\nfor i in range(30): print('line', i)\nprint('cannot bind: boom-7')\nsys.exit(3)"
    specs = [
        toy(procs, "good", free_port()),
        ChildSpec("crasher", (sys.executable, "-c", crash), f"http://127.0.0.1:{free_port()}/health/ready"),
    ]
    sup = Supervisor(specs, tmp_path / "logs", os.environ, ready_timeout=20, stop_timeout=2)
    sup.start_all()
    try:
        with pytest.raises(CliError) as caught:
            sup.wait_ready()
    finally:
        sup.stop_all()
    message = str(caught.value)
    assert "crasher exited with code 3 while starting" in message
    assert "boom-7" in message and "line 29" in message
    assert "line 9\n" not in message  # only the last 20 lines
    procs.assert_all_gone(c.proc.pid for c in sup.children)


def test_a_child_that_never_gets_ready_times_out_with_its_log(
    tmp_path: Path, free_port: Callable[[], int], procs: Any
) -> None:
    silent = "import time\nprint('still migrating', flush=True)\ntime.sleep(600)"
    specs = [
        toy(procs, "good", free_port()),
        ChildSpec("slow", (sys.executable, "-c", silent), f"http://127.0.0.1:{free_port()}/health/ready"),
    ]
    sup = Supervisor(specs, tmp_path / "logs", os.environ, ready_timeout=2, stop_timeout=2)
    sup.start_all()
    try:
        with pytest.raises(CliError) as caught:
            sup.wait_ready()
    finally:
        sup.stop_all()
    message = str(caught.value)
    assert "not ready after 2 s: slow" in message
    assert "still migrating" in message
    procs.assert_all_gone(c.proc.pid for c in sup.children)


def test_a_death_after_start_is_reported_once(tmp_path: Path, free_port: Callable[[], int], procs: Any) -> None:
    sup = Supervisor([toy(procs, "a", free_port()), toy(procs, "b", free_port())], tmp_path, os.environ)
    sup.start_all()
    try:
        sup.wait_ready()
        os.kill(sup.children[1].proc.pid, signal.SIGKILL)
        sup.children[1].proc.wait(5)
        reports = sup.check_children()
        assert len(reports) == 1 and reports[0].startswith("b exited with code -9")
        assert "toy server on" in reports[0]
        assert sup.check_children() == []
    finally:
        sup.stop_all()


# A service package for `ecourt up` with a toy table: `python -m <pkg> migrate|web|worker`, `<bus> declare`.
TOY_PACKAGE = """
import json, os, sys
from pathlib import Path
command = sys.argv[1]
record = Path(os.environ["ECOURT_DATA_DIR"]) / "toy"
record.mkdir(exist_ok=True)
if command in ("migrate", "declare"):
    with open(record / "steps.txt", "a") as fh:
        fh.write(f"{__package__} {command}\\n")
    sys.exit(0)
port = PORTS[command]
(record / f"{__package__}-{command}.pid").write_text(str(os.getpid()))
(record / f"{__package__}-{command}.env.json").write_text(json.dumps(dict(os.environ)))
sys.argv = ["toy", str(port)]
exec(TOY_SERVER)
"""


def write_package(root: Path, name: str, ports: dict[str, int], server: str) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "__init__.py").write_text("")
    body = f"PORTS = {ports!r}\nTOY_SERVER = {server!r}\n" + textwrap.dedent(TOY_PACKAGE)
    (root / name / "__main__.py").write_text(body)


def test_up_with_a_toy_table_runs_and_stops_on_sigterm(
    tmp_path: Path, free_port: Callable[[], int], clean_env: dict[str, str], procs: Any
) -> None:
    pkgs, data = tmp_path / "pkgs", tmp_path / "data"
    ports = {"alpha": {"web": free_port(), "worker": free_port()}, "beta": {"web": free_port()}}
    for short, p in ports.items():
        write_package(pkgs, f"toy_{short}", p, procs.toy_server)
    write_package(pkgs, "toy_bus", {}, procs.toy_server)
    table = [(f"toy_{short}", cmd, port) for short, p in ports.items() for cmd, port in p.items()]
    driver = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from ecourt_cli.processes import ProcessSpec
        from ecourt_cli.up import UpConfig, run_up
        table = tuple(ProcessSpec(*row) for row in {table!r})
        config = UpConfig(table=table, mongo_port={free_port()}, s3_port={free_port()},
                          declare=("toy_bus", "declare"), ready_timeout=30, stop_timeout=5,
                          preflight=False)
        sys.exit(run_up(Path(sys.argv[1]), demo=False, config=config))
        """
    )
    env = {**clean_env, "PYTHONPATH": os.pathsep.join([str(pkgs), clean_env.get("PYTHONPATH", "")])}
    out = tmp_path / "up.out"
    with open(out, "wb") as fh:
        up = subprocess.Popen([sys.executable, "-c", driver, str(data)], stdout=fh, stderr=subprocess.STDOUT, env=env)
    try:
        procs.wait_until(lambda: "running; press Ctrl-C" in out.read_text() or up.poll() is not None, 60, "up")
        text = out.read_text()
        assert up.poll() is None, text
        assert "portal   http://127.0.0.1:8080" in text and "console  http://127.0.0.1:8090" in text
        record = data / "toy"
        steps = (record / "steps.txt").read_text().splitlines()
        assert steps == ["toy_alpha migrate", "toy_beta migrate", "toy_bus declare"]
        child_pids = [int(f.read_text()) for f in record.glob("*.pid")]
        standin_pids = [int((data / "run" / f).read_text()) for f in ("mongo.pid", "s3.pid")]
        assert len(child_pids) == 3
        child_env = json.loads((record / "toy_alpha-web.env.json").read_text())
        assert child_env["ECOURT_DATA_DIR"] == str(data)
        assert child_env["ECOURT_MONGO_URL"].startswith("mongodb://127.0.0.1:")
        assert child_env["ECOURT_S3_ENDPOINT"].startswith("127.0.0.1:")
        assert Path(child_env["ECOURT_AUTH_PRIVATE_KEY_FILE"]) == data / "keys" / "auth-private.pem"
        assert (data / "logs" / "toy_alpha-web.log").exists() and (data / "logs" / "toy_beta-web.log").exists()

        up.send_signal(signal.SIGTERM)
        assert up.wait(30) == 0, out.read_text()
    finally:
        if up.poll() is None:  # a failed assertion: stop it the way a person would, so nothing is left behind
            up.send_signal(signal.SIGTERM)
            try:
                up.wait(30)
            except subprocess.TimeoutExpired:
                up.kill()
                up.wait()
    assert "SIGTERM received; stopping" in out.read_text()
    procs.assert_all_gone(child_pids + standin_pids)


def test_children_stop_when_the_cli_is_killed(tmp_path: Path, free_port: Callable[[], int], procs: Any) -> None:
    specs = [toy(procs, "a", free_port()), toy(procs, "b", free_port())]
    driver = textwrap.dedent(
        """
        import json, os, sys, time
        from pathlib import Path
        from ecourt_cli.supervisor import ChildSpec, Supervisor
        specs = [ChildSpec(name, tuple(argv), url) for name, argv, url in json.loads(sys.argv[1])]
        sup = Supervisor(specs, Path(sys.argv[2]), os.environ, ready_timeout=20)
        sup.start_all()
        sup.wait_ready()
        print(json.dumps([c.proc.pid for c in sup.children]), flush=True)
        time.sleep(600)
        """
    )
    rows = json.dumps([[s.name, list(s.argv), s.health_url] for s in specs])
    cli = subprocess.Popen([sys.executable, "-c", driver, rows, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert cli.stdout is not None
        pids = json.loads(cli.stdout.readline())
        assert len(pids) == 2 and all(procs.running(p) for p in pids)
    finally:
        cli.kill()  # SIGKILL: no cleanup code of the CLI runs
        cli.wait()
    procs.assert_all_gone(pids)
