"""Filing petitions over HTTP through the real intake processes, RabbitMQ, PostgreSQL and S3."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from kombu import Connection
from sqlalchemy import create_engine, func, select

from ecourt_intake.adapters.orm import cases, outbox
from ecourt_shared.auth import Role
from ecourt_shared.testing.documents import blank_pdf, petition

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def intake(service_processes: Any) -> str:
    service_processes("intake", "ecourt_intake")
    return service_processes("intake", "ecourt_intake", "web").url


@pytest.fixture(scope="module")
def reception_token(ecourt_env: Any) -> str:
    return str(ecourt_env.token(Role.RECEPTION, user_id="u-reception-1"))


@pytest.fixture(scope="module")
def intake_db(ecourt_env: Any, intake: str) -> Any:
    engine = create_engine(ecourt_env.settings.database_url("intake"))
    yield engine
    engine.dispose()


def file(url: str, token: str, body: dict[str, Any], pdf: bytes | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{url}/api/v1/petitions", headers=headers,
                      data={"petition": json.dumps(body)},
                      files={"attachment": ("don-khoi-kien.pdf", blank_pdf() if pdf is None else pdf,
                                            "application/pdf")}, timeout=30)


def drain(amqp_uri: str, queue: str) -> list[dict[str, Any]]:
    bodies = []
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            bodies.append(json.loads(message.body))
        channel.close()
    return bodies


def count(engine: Any, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def wait_for_events(amqp_uri: str, queue: str, expected: int) -> list[dict[str, Any]]:
    import time

    got: list[dict[str, Any]] = []
    deadline = time.monotonic() + 15
    while len(got) < expected and time.monotonic() < deadline:
        got += drain(amqp_uri, queue)
        time.sleep(0.1)
    time.sleep(0.3)
    return got + drain(amqp_uri, queue)


def test_accepted_petition_gets_ids_and_emits_one_event_without_personal_data(
        intake: str, reception_token: str, ecourt_env: Any) -> None:
    drain(ecourt_env.settings.amqp_uri, "evt.intake.case_received.stats")
    response = file(intake, reception_token, petition("http-accept-0001"))
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["acceptance_number"].endswith("/TLST-DS")
    assert result["case_code"].replace("-", "") == result["case_id"]
    events = wait_for_events(ecourt_env.settings.amqp_uri, "evt.intake.case_received.stats", 1)
    assert [e["payload"]["case_id"] for e in events] == [result["case_id"]]
    wire = json.dumps(events[0], ensure_ascii=False)
    assert "Nguyễn Văn An" not in wire and "079090001234" not in wire and result["receipt_secret"] not in wire


def test_replayed_filing_returns_the_first_result_and_no_second_case(
        intake: str, reception_token: str, ecourt_env: Any, intake_db: Any) -> None:
    first = file(intake, reception_token, petition("http-replay-0001"))
    before = count(intake_db, cases)
    again = file(intake, reception_token, petition("http-replay-0001"))
    assert again.status_code == 200
    assert again.json() == {**first.json(), "replayed": True}
    assert count(intake_db, cases) == before


def test_same_key_with_different_content_is_a_conflict(intake: str, reception_token: str) -> None:
    file(intake, reception_token, petition("http-conflict-01"))
    other = file(intake, reception_token, petition("http-conflict-01", case_type="HNGĐ"))
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "idempotency_key"


def test_refused_filing_leaves_nothing_behind(intake: str, reception_token: str, intake_db: Any) -> None:
    cases_before, events_before = count(intake_db, cases), count(intake_db, outbox)
    body = petition("http-refused-01", plaintiff_cccd="000090001234")
    response = file(intake, reception_token, body, pdf=b"GIF89a not a pdf")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"parties.0.cccd", "attachment"}
    assert all(e["message_vi"] and e["message_en"] for e in response.json()["errors"])
    assert (count(intake_db, cases), count(intake_db, outbox)) == (cases_before, events_before)


def test_malformed_petition_json_names_the_field(intake: str, reception_token: str) -> None:
    response = httpx.post(f"{intake}/api/v1/petitions", headers={"Authorization": f"Bearer {reception_token}"},
                          data={"petition": "{not json"}, files={"attachment": ("a.pdf", blank_pdf())})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "petition"


def test_missing_attachment_is_a_field_error(intake: str, reception_token: str) -> None:
    response = httpx.post(f"{intake}/api/v1/petitions", headers={"Authorization": f"Bearer {reception_token}"},
                          data={"petition": json.dumps(petition("http-noattach-1"))})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "attachment"


def test_only_reception_staff_may_file(intake: str, ecourt_env: Any) -> None:
    assert file(intake, "", petition("http-anon-00001")).status_code == 403
    judge = ecourt_env.token(Role.JUDGE, judge_id="J-1")
    assert file(intake, judge, petition("http-judge-0001")).status_code == 403
    forged = ecourt_env.token(Role.RECEPTION)[:-4] + "AAAA"
    assert file(intake, forged, petition("http-forged-001")).status_code == 403


def test_concurrent_filings_get_gap_free_acceptance_numbers(intake: str, reception_token: str) -> None:
    def one(i: int) -> str:
        response = file(intake, reception_token, petition(f"http-concurrent-{i:04d}"))
        assert response.status_code == 201, response.text
        return str(response.json()["acceptance_number"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(one, range(24)))
    sequences = sorted(int(n.split("/")[0]) for n in numbers)
    assert len(set(sequences)) == 24
    assert sequences == list(range(sequences[0], sequences[0] + 24))


def test_concurrent_twins_with_one_key_make_one_case(intake: str, reception_token: str, intake_db: Any) -> None:
    before = count(intake_db, cases)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: file(intake, reception_token, petition("http-twins-00001")), range(4)))
    assert {r.json()["case_id"] for r in results} and len({r.json()["case_id"] for r in results}) == 1
    assert count(intake_db, cases) == before + 1
