"""`ecourt import` against the real intake worker, RabbitMQ, PostgreSQL and S3: killed, resumed, rerun."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection
from sqlalchemy import create_engine, func, select

from ecourt_intake.adapters.orm import cases, documents, outbox, parties
from ecourt_intake.archive.synthetic import synthetic_case, write_archive
from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf, petition

pytestmark = pytest.mark.integration

VALID = 300
CLI = "import sys; from ecourt_intake.archive.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture(scope="module")
def intake(service_processes: Any) -> None:
    service_processes("intake", "ecourt_intake")


@pytest.fixture(scope="module")
def intake_db(ecourt_env: Any, intake: None) -> Any:
    engine = create_engine(ecourt_env.settings.database_url("intake"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def rpc(ecourt_env: Any, intake: None) -> Any:
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


def count(engine: Any, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def run_cli(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", CLI, *args], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def received_events(amqp_uri: str, expected: int) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    deadline = time.monotonic() + 30
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        while time.monotonic() < deadline:
            message = channel.basic_get("evt.intake.case_received.stats", no_ack=True)
            if message is None:
                if len(bodies) >= expected:
                    break
                time.sleep(0.2)
                continue
            bodies.append(json.loads(message.body))
        channel.close()
    return bodies


def pdf_base64() -> str:
    return base64.b64encode(blank_pdf()).decode()


def archive_case(number: str, year: int, accepted_on: str, **changes: Any) -> dict[str, Any]:
    record = synthetic_case(0, Counter())
    record.update(acceptance_number=number, year=year, accepted_on=accepted_on, **changes)
    record["documents"] = [{"filename": "don.pdf", "title": "Đơn", "content_base64": pdf_base64()}]
    return record


def test_import_killed_halfway_then_resumed_ends_with_exactly_the_valid_cases_and_one_event_each(
        ecourt_env: Any, intake_db: Any, tmp_path: Path) -> None:
    bad_cccd = {**synthetic_case(VALID + 1, Counter()),
                "acceptance_number": "01/2015/TLST-DS", "year": 2015, "accepted_on": "2015-02-02",
                "case_type": "DS", "stage": "ST"}
    bad_cccd["parties"][0] = {**bad_cccd["parties"][0], "cccd": "079298001234", "date_of_birth": "2001-04-03",
                           "sex": "male"}
    bad_cccd["documents"] = [{"path": "docs/2016/TLST-DS-00001/1.pdf"}]
    records = write_archive(tmp_path / "archive", VALID, extra_lines=[bad_cccd])
    state = tmp_path / "state"
    checkpoint = state / "checkpoint.jsonl"
    args = (str(tmp_path / "archive"), "--jobs", "4", "--state-dir", str(state))

    first = run_cli(ecourt_env.env, *args)
    deadline = time.monotonic() + 120
    while lines(checkpoint) < VALID // 3 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert first.returncode == -signal.SIGKILL, first.stderr.read() if first.stderr else ""
    answered_before_kill = lines(checkpoint)
    assert VALID // 3 <= answered_before_kill < VALID, "the kill must land halfway"
    in_db_at_kill = count(intake_db, cases)
    assert answered_before_kill <= in_db_at_kill < VALID

    second = run_cli(ecourt_env.env, *args)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 2, err.decode()[-2000:]  # 2: everything in except the refused entry
    assert b"case/s" in err or b"it/s" in err or b"s/case" in err, "the progress bar shows a rate"

    assert count(intake_db, cases) == VALID
    assert count(intake_db, cases, cases.c.channel == "archive") == VALID
    assert count(intake_db, documents) == 3 * VALID
    assert count(intake_db, parties) == 2 * VALID
    assert count(intake_db, outbox, outbox.c.event_type == "case_received") == VALID
    events = received_events(ecourt_env.settings.amqp_uri, VALID)
    numbers = {e["payload"]["acceptance_number"] for e in events}
    assert len(events) == VALID and numbers == {r["acceptance_number"] for r in records[:VALID]}
    sample = next(e["payload"] for e in events if e["payload"]["acceptance_number"] == records[0]["acceptance_number"])
    assert sample["accepted_on"] == records[0]["accepted_on"] and sample["case_id"][6:10] == str(records[0]["year"])

    report = json.loads((state / "report.json").read_text(encoding="utf-8"))
    assert report["total"] == VALID + 1 and report["rejected_count"] == 1 and report["failed_count"] == 0
    assert report["imported"] + report["already_imported"] == VALID
    rejected = report["rejected"][0]
    assert rejected["line"] == VALID + 1 and rejected["label"] == "01/2015/TLST-DS"
    assert [(e["field"], e["code"]) for e in rejected["errors"]] == [("parties.0.cccd", "cccd.birth_year_mismatch")]
    assert rejected["errors"][0]["message_vi"] and rejected["errors"][0]["message_en"]
    text = (state / "report.txt").read_text(encoding="utf-8")
    assert "parties.0.cccd" in text and "Bị từ chối / rejected: 1" in text

    shutil.rmtree(state)  # without its checkpoint, a rerun is answered by the service's idempotency alone
    third = run_cli(ecourt_env.env, *args, "--no-progress")
    _, err = third.communicate(timeout=300)
    assert third.returncode == 2, err.decode()[-2000:]
    rerun = json.loads((state / "report.json").read_text(encoding="utf-8"))
    assert (rerun["imported"], rerun["already_imported"], rerun["rejected_count"]) == (0, VALID, 1)
    assert count(intake_db, cases) == VALID
    assert count(intake_db, outbox, outbox.c.event_type == "case_received") == VALID


def test_number_already_used_by_a_live_filing_is_refused_naming_field_and_rule(
        ecourt_env: Any, rpc: Any, intake_db: Any) -> None:
    filed = rpc.call("intake", "file_petition", token=ecourt_env.token(Role.RECEPTION),
                     petition={**petition("archive-live-0001", plaintiff_cccd="079090009999",
                                          defendant_cccd="079185009999"),
                               "attachment": {"filename": "don.pdf", "content_base64": pdf_base64()}})
    number, year = filed["acceptance_number"], int(filed["accepted_on"][:4])
    admin = ecourt_env.token(Role.IT_ADMIN, user_id="u-it")
    with pytest.raises(RequestRejected) as refused:
        rpc.call("intake", "import_historical_case", token=admin,
                 case=archive_case(number, year, f"{year}-01-01"))
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("acceptance_number", "archive.acceptance_number.already_used")]
    assert count(intake_db, cases, cases.c.acceptance_number == number) == 1


def test_identical_reimport_returns_the_first_result_and_a_changed_one_is_refused(
        ecourt_env: Any, rpc: Any) -> None:
    president = ecourt_env.token(Role.PRESIDENT, user_id="u-president")
    case = archive_case("77/2012/TLST-DS", 2012, "2012-06-01")
    first = rpc.call("intake", "import_historical_case", token=president, case=case)
    again = rpc.call("intake", "import_historical_case", token=president,
                     case={**case, "acceptance_number": "77 / 2012 / tlst-ds"})
    assert (again["case_id"], again["replayed"], first["replayed"]) == (first["case_id"], True, False)
    assert first["case_id"].startswith("79KV012012") and first["accepted_on"] == "2012-06-01"
    with pytest.raises(RequestRejected) as refused:
        rpc.call("intake", "import_historical_case", token=president, case={**case, "subject": "Nội dung khác"})
    assert refused.value.errors[0].code == "archive.acceptance_number.already_used"


def test_only_it_admin_or_president_may_import(ecourt_env: Any, rpc: Any) -> None:
    with pytest.raises(PermissionDenied):
        rpc.call("intake", "import_historical_case", token=ecourt_env.token(Role.RECEPTION),
                 case=archive_case("78/2012/TLST-DS", 2012, "2012-06-01"))
