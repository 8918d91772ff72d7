"""Unit tests of ecourt_cli: no process is started."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ecourt_cli import dlq, keys, preflight, sysdeps
from ecourt_cli.__main__ import build_parser
from ecourt_cli.common import CliError, data_dir, log_tail
from ecourt_cli.dlq import format_table
from ecourt_cli.processes import PROCESSES, ProcessSpec, service_packages
from ecourt_cli.supervisor import specs_from_table
from ecourt_cli.testcmd import map_pytest_exit_code

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("code", [0, 1, 2, 3, 4])
def test_pytest_exit_codes_pass_through(code: int) -> None:
    assert map_pytest_exit_code(code) == (code, None)


def test_no_tests_collected_is_a_failure_with_a_message() -> None:
    code, message = map_pytest_exit_code(5)
    assert code == 1
    assert message is not None and "no tests" in message


def test_process_table_is_consistent() -> None:
    names = [p.name for p in PROCESSES]
    ports = [p.health_port for p in PROCESSES]
    assert len(set(names)) == len(names)
    assert len(set(ports)) == len(ports)
    assert service_packages() == [
        "ecourt_intake",
        "ecourt_assignment",
        "ecourt_casefile",
        "ecourt_signing",
        "ecourt_stats",
        "ecourt_portal",
        "ecourt_qlta",
        "ecourt_console",
    ]
    portal_web = ProcessSpec("ecourt_portal", "web", 8080)
    assert portal_web in PROCESSES
    assert portal_web.name == "portal-web"
    assert portal_web.health_url == "http://127.0.0.1:8080/health/ready"


def test_specs_from_table_runs_python_dash_m() -> None:
    spec = specs_from_table((ProcessSpec("ecourt_stats", "worker", 8205),), python="/py")[0]
    assert spec.argv == ("/py", "-m", "ecourt_stats", "worker")
    assert spec.name == "stats-worker"


def test_dlq_table_uses_every_key_in_order() -> None:
    text = format_table([{"queue": "q1", "id": "a"}, {"queue": "q22", "id": "b", "error": "boom\nline"}])
    lines = text.splitlines()
    assert lines[0].split() == ["QUEUE", "ID", "ERROR"]
    assert lines[2].split() == ["q1", "a"]
    assert lines[3].split() == ["q22", "b", "boom", "line"]


def test_parser_dlq_replay() -> None:
    args = build_parser().parse_args(["dlq", "replay", "intake.dlq", "--id", "m1", "m2"])
    assert (args.queue, args.ids, args.all) == ("intake.dlq", ["m1", "m2"], False)
    args = build_parser().parse_args(["dlq", "replay", "intake.dlq", "--all"])
    assert args.all is True
    with pytest.raises(SystemExit):
        build_parser().parse_args(["dlq", "replay", "intake.dlq"])


def test_data_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ECOURT_DATA_DIR", str(tmp_path / "env"))
    assert data_dir(str(tmp_path / "opt")) == tmp_path / "opt"
    assert data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("ECOURT_DATA_DIR")
    assert data_dir(None).name == ".data"


def test_auth_keys_are_made_once(tmp_path: Path) -> None:
    first = keys.ensure_auth_keys(tmp_path)
    private_path = Path(first["ECOURT_AUTH_PRIVATE_KEY_FILE"])
    public_path = Path(first["ECOURT_AUTH_PUBLIC_KEY_FILE"])
    assert stat.S_IMODE(os.stat(private_path).st_mode) == 0o600
    pem = private_path.read_bytes()
    assert keys.ensure_auth_keys(tmp_path) == first
    assert private_path.read_bytes() == pem
    private = serialization.load_pem_private_key(pem, password=None)
    public = serialization.load_pem_public_key(public_path.read_bytes())
    assert isinstance(private, Ed25519PrivateKey) and isinstance(public, Ed25519PublicKey)
    public.verify(private.sign(b"ecourt"), b"ecourt")


def test_log_tail(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("".join(f"line {i}\n" for i in range(100)))
    assert log_tail(log, 3).splitlines() == ["line 97", "line 98", "line 99"]
    assert log_tail(tmp_path / "missing.log") == ""


def test_redact_hides_the_password() -> None:
    assert preflight.redact("amqp://guest:secret@host:5672/") == "amqp://guest:***@host:5672/"
    assert preflight.redact("postgresql://postgres@h/db") == "postgresql://postgres@h/db"


def test_preflight_with_a_wrong_amqp_port_names_the_url(
    monkeypatch: pytest.MonkeyPatch, free_port: Callable[[], int]
) -> None:
    port = free_port()
    pg_port = free_port()
    amqp = f"amqp://guest:guest@127.0.0.1:{port}/"
    postgres = f"postgresql://postgres@127.0.0.1:{pg_port}/postgres"

    def no_install(flag: str) -> None:
        raise AssertionError("the installer only serves the default ports; it must not run")

    monkeypatch.setattr(sysdeps, "can_install", lambda: True)
    monkeypatch.setattr(sysdeps, "run_install", no_install)
    with pytest.raises(CliError) as caught:
        preflight.ensure_infrastructure(amqp, postgres)
    message = str(caught.value)
    assert f"RabbitMQ is not reachable at amqp://guest:***@127.0.0.1:{port}/" in message
    assert f"127.0.0.1:{pg_port}" in message
    assert "ECOURT_AMQP_URI" in message and "ECOURT_POSTGRES_URL" in message


def test_preflight_offers_the_installer_for_default_local_ports() -> None:
    problems = [preflight.Problem("RabbitMQ", "ECOURT_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/", "refused", True)]
    assert "install-system-deps.sh --services" in preflight.describe(problems)


def test_dlq_commands_delegate_to_the_operator(monkeypatch: pytest.MonkeyPatch) -> None:
    operator = pytest.importorskip("ecourt_shared.bus.operator")
    calls: list[tuple[str, str, list[str] | None]] = []

    def fake_list(uri: str) -> list[dict[str, object]]:
        return [{"queue": "intake.dlq", "message_id": "m-1", "attempts": 3, "error": "boom"}]

    def fake_replay(uri: str, queue: str, ids: list[str] | None) -> int:
        if queue == "nope":
            raise LookupError("nope is not a dead-letter queue of ecourt")
        calls.append((uri, queue, ids))
        return 2

    monkeypatch.setenv("ECOURT_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/x")
    monkeypatch.setattr(operator, "list_dead_letters", fake_list)
    monkeypatch.setattr(operator, "replay_dead_letters", fake_replay)
    printed: list[str] = []
    assert dlq.run_list(printed.append) == 0
    assert "m-1" in printed[0] and "MESSAGE_ID" in printed[0] and printed[1] == "1 dead letter(s)"
    assert dlq.run_replay("intake.dlq", ["m-1", "m-2"], printed.append) == 0
    assert calls == [("amqp://guest:guest@127.0.0.1:5672/x", "intake.dlq", ["m-1", "m-2"])]
    assert printed[-1].startswith("replayed 2 message(s) from intake.dlq")
    with pytest.raises(CliError, match="nope is not a dead-letter queue"):
        dlq.run_replay("nope", None, printed.append)


def test_dlq_with_an_unreachable_broker_names_it(monkeypatch: pytest.MonkeyPatch, free_port: Callable[[], int]) -> None:
    pytest.importorskip("ecourt_shared.bus.operator")
    port = free_port()
    monkeypatch.setenv("ECOURT_AMQP_URI", f"amqp://guest:guest@127.0.0.1:{port}/")
    with pytest.raises(CliError, match=re.escape(f"RabbitMQ at amqp://guest:***@127.0.0.1:{port}/ failed")):
        dlq.run_list(lambda line: None)


def test_the_installer_runs_only_for_a_local_default_server_that_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    installs: list[str] = []
    monkeypatch.setattr(sysdeps, "can_install", lambda: True)
    monkeypatch.setattr(sysdeps, "run_install", installs.append)
    monkeypatch.setattr(preflight, "check_postgres", lambda url: preflight.Check(None))

    monkeypatch.setattr(preflight, "check_amqp", lambda uri: preflight.Check("NotAllowed: vhost x not found"))
    with pytest.raises(CliError, match=re.escape("RabbitMQ is not usable at amqp://guest:***@127.0.0.1:5672/x")):
        preflight.ensure_infrastructure("amqp://guest:guest@127.0.0.1:5672/x")
    assert installs == []

    states = iter([preflight.Check("ConnectionRefusedError: refused", down=True), preflight.Check(None)])
    monkeypatch.setattr(preflight, "check_amqp", lambda uri: next(states))
    preflight.ensure_infrastructure("amqp://guest:guest@127.0.0.1:5672/")
    assert installs == ["--services"]
