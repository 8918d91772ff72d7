"""A citizen looks up their case in a real browser (headless chromium, no script on the page)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from kombu import Connection, Producer
from sqlalchemy import create_engine, select

from ecourt_portal.adapters.orm import processed_events
from ecourt_portal.domain.clock import legal_day
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1, DeadlineV1
from ecourt_shared.identifiers import format_case_id, make_case_id
from ecourt_shared.identifiers.receipt import receipt_secret_hash

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SECRET = "HJKM-NPQR-STUV"


def _publish(amqp_uri: str, payloads: list[EventPayload]) -> list[str]:
    ids = []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.channel())
        for payload in payloads:
            env = EventEnvelope.wrap(payload)
            producer.publish(env.model_dump(mode="json"), exchange=event_exchange(env.source),
                             routing_key=env.event_type, message_id=env.event_id, serializer="json", delivery_mode=2)
            ids.append(env.event_id)
    return ids


def _wait_processed(database_url: str, ids: list[str]) -> None:
    engine = create_engine(database_url)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                done = set(conn.execute(select(processed_events.c.event_id)
                                        .where(processed_events.c.event_id.in_(ids))).scalars())
            if done == set(ids):
                return
            time.sleep(0.1)
        raise AssertionError("the portal did not process the events")
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def portal_case(service_processes: Any, ecourt_env: Any) -> tuple[str, str, date]:
    service_processes("portal", "ecourt_portal")
    url = str(service_processes("portal", "ecourt_portal", "web").url)
    case_id = make_case_id("79KV01", 2026, 900_001)
    due = legal_day(datetime.now(UTC)) + timedelta(days=12)
    ids = _publish(ecourt_env.settings.amqp_uri, [
        CaseReceivedV1(court_id="79KV01", case_id=case_id, acceptance_number="77/2026/TLST-KDTM", case_type="KDTM",
                       stage="ST", subject="…", accepted_at=datetime(2026, 3, 2, 2, tzinfo=UTC),
                       accepted_on=date(2026, 3, 2), parties=[], documents=[],
                       receipt_secret_hash=receipt_secret_hash(SECRET)),
        CaseAssignedV1(court_id="79KV01", case_id=case_id, judge_id="J-3", judge_name="Võ Minh Khang",
                       method="random", draw_id="DR-9", assigned_by="u-president",
                       assigned_at=datetime(2026, 3, 3, tzinfo=UTC)),
        CaseProgressedV1(court_id="79KV01", case_id=case_id, case_type="KDTM", stage="ST", status="preparing",
                         deadline=DeadlineV1(rule_id="blttds2015.a203.prep.business", due_on=due,
                                             legal_basis_vi="khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                                             legal_basis_en="Civil Procedure Code 2015, art. 203(1)")),
    ])
    _wait_processed(ecourt_env.settings.database_url("portal"), ids)
    return url, format_case_id(case_id), due


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail("chromium is missing: `./ecourt test` installs it (apt-get install -y chromium fonts-noto-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_citizen_finds_the_case_by_labelled_fields_and_reads_the_deadline(
        browser: Any, portal_case: tuple[str, str, date], tmp_path: Any) -> None:
    url, code, due = portal_case
    page = browser.new_page()
    page.goto(url)
    assert page.get_attribute("html", "lang") == "vi"
    page.get_by_label("Mã vụ án").fill(code.replace("-", "").lower())
    page.get_by_label("Mã bí mật trên giấy biên nhận").fill(SECRET.lower())
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thông tin vụ án")
    main = page.locator("main").inner_text()
    for expected in (code, "77/2026/TLST-KDTM", "Kinh doanh, thương mại", "Võ Minh Khang",
                     due.strftime("%d/%m/%Y"), "Còn 12 ngày", "khoản 1 Điều 203"):
        assert expected in main, expected
    page.screenshot(path=str(tmp_path / "portal-result-vi.png"), full_page=True)


def test_citizen_switches_to_english_and_sees_a_bilingual_field_error(
        browser: Any, portal_case: tuple[str, str, date]) -> None:
    url, code, _ = portal_case
    page = browser.new_page()
    page.goto(url)
    page.get_by_role("link", name="English").click()
    assert page.get_attribute("html", "lang") == "en"
    page.get_by_label("Case code (mã vụ án)").fill(code[:-1] + ("0" if code[-1] != "0" else "1"))
    page.get_by_label("Receipt secret (mã bí mật)").fill(SECRET)
    page.get_by_role("button", name="Look up").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert").inner_text()
    assert "Check digits" in alert and "Chữ số kiểm tra" in alert
    assert page.get_by_label("Case code (mã vụ án)").get_attribute("aria-invalid") == "true"
    page.goto(url)  # the choice is remembered
    assert page.get_attribute("html", "lang") == "en"
