"""In headless Chromium against the whole system loaded with the demo data (`ecourt up`'s seed, run twice).

The demo's assigned case already has a complete panel (a judge, two lay assessors, a clerk). The president
then designates a judge for a waiting demo case (a too-short reason is refused beside the field), draws its
panel, checks the draw's replay, replaces a lay assessor with a reason, and opens the fairness view in both
languages.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from ecourt_cli import demo
from ecourt_shared.auth import Role
from ecourt_shared.identifiers import parse_case_id

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")


def demo_cases(lines: list[str]) -> list[tuple[str, str]]:
    """(canonical case id, acceptance number) of each demo filing, from the lines `ecourt up` prints."""
    found = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and "/TLST-" in parts[2]:
            found.append((parse_case_id(parts[0]).canonical, parts[2]))
    return found


@pytest.fixture(scope="module")
def seeded(system: Any, ecourt_env: Any) -> Iterator[dict[str, Any]]:
    env = {**ecourt_env.env, "ECOURT_INTAKE_WEB_PORT": str(urlparse(system.url("intake-web")).port)}
    saved = dict(os.environ)
    try:
        lines = demo.seed_demo(env)
        cases = demo_cases(lines)
        assert len(cases) == len(demo.CASES), lines
        president = system.token(Role.PRESIDENT, user_id="u-chanhan")
        roster = system.rpc.call("assignment", "roster", token=president, kind=None)
        panel = system.rpc.call("assignment", "panel", token=president, case_id=cases[0][0])
        assert demo_cases(demo.seed_demo(env)) == cases  # a rerun files nothing new …
        assert system.rpc.call("assignment", "roster", token=president, kind=None) == roster  # … adds no one …
        again = system.rpc.call("assignment", "panel", token=president, case_id=cases[0][0])
        assert again == panel  # … and redraws nothing
        yield {"cases": cases, "roster": roster, "panel": panel}
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def page(seeded: dict[str, Any]) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: `./ecourt test` installs it (apt-get install -y chromium fonts-noto-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        context = browser.new_context(locale="vi-VN")
        yield context.new_page()
        context.close()
        browser.close()


def seat_rows(page: Any) -> dict[str, str]:
    rows = page.locator("tr.seat")
    return {rows.nth(i).get_attribute("data-seat"): rows.nth(i).inner_text() for i in range(rows.count())}


def test_the_demo_roster_has_lay_assessors_and_clerks_and_its_assigned_case_a_full_panel(
        seeded: dict[str, Any]) -> None:
    kinds = [m["kind"] for m in seeded["roster"]]
    assert kinds.count("judge") == 3 and kinds.count("assessor") == len(demo.ASSESSORS) and kinds.count("clerk") == 2
    assert [s["seat"] for s in seeded["panel"]["seats"]] == ["presiding", "assessor-1", "assessor-2", "clerk"]
    assert seeded["panel"]["clerk_id"] and seeded["panel"]["seed_commitment"]


def test_president_designates_draws_the_panel_replaces_an_assessor_and_reads_fairness(
        system: Any, seeded: dict[str, Any], page: Any, tmp_path: Path) -> None:
    console = system.url("console-web")
    page.goto(f"{console}/login")
    page.fill("#username", "chanhan")
    page.fill("#password", demo.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console}/")

    assigned_id, _ = seeded["cases"][0]
    page.goto(f"{console}/inbox/{assigned_id}")
    assert list(seat_rows(page)) == ["presiding", "assessor-1", "assessor-2", "clerk"]

    case_id, number = seeded["cases"][1]
    deadline = time.monotonic() + 30
    page.goto(f"{console}/inbox")
    while page.locator("table.awaiting-cases tr", has_text=number).count() == 0 and time.monotonic() < deadline:
        time.sleep(0.3)  # the case_received event is on its way
        page.goto(f"{console}/inbox")
    page.locator("table.awaiting-cases tr", has_text=number).locator("a.open-case").click()
    page.wait_for_url(f"{console}/inbox/{case_id}")

    page.select_option("#designate-judge", "J-79KV01-002")
    page.fill("#designate-reason", "ngắn")
    page.click("form.designate-form button[type=submit]")
    page.wait_for_load_state()
    assert "ít nhất 10 ký tự" in page.inner_text("#designate-reason-errors")
    assert page.get_attribute("#designate-reason", "aria-invalid") == "true"
    page.fill("#designate-reason", "Thẩm phán đã giải quyết vụ án cùng đương sự, nắm rõ hồ sơ")
    page.click("form.designate-form button[type=submit]")
    page.wait_for_url(f"{console}/inbox/{case_id}")
    notice = page.inner_text("div.notice.success")
    assert "Đã chỉ định Thẩm phán Phạm Thị Bình" in notice and "Chỉ định (designation)" in notice, notice

    page.click("form.panel-form button[type=submit]")
    page.wait_for_url(f"{console}/inbox/{case_id}")
    seats = seat_rows(page)
    assert list(seats) == ["presiding", "assessor-1", "assessor-2", "clerk"], seats
    assert "Phạm Thị Bình" in seats["presiding"]
    assert "Chỉ định" in page.inner_text("dd.assigned-judge")  # the case's designation stays visible as such
    assert all("Bốc thăm ngẫu nhiên" in seats[s] for s in ("assessor-1", "assessor-2", "clerk")), seats
    page.screenshot(path=str(tmp_path / "panel-drawn.png"))
    page.click("a.verify")
    page.wait_for_load_state()
    assert "Khớp" in page.inner_text("div.verify-result")
    page.go_back()
    page.wait_for_load_state()

    leaving = page.locator('tr.seat[data-seat="assessor-1"] .muted').inner_text().strip()
    page.select_option("#replace-member", leaving)
    page.fill("#replace-reason", "Hội thẩm nhân dân bị ốm dài ngày")
    page.click("form.replace-form button[type=submit]")
    page.wait_for_url(f"{console}/inbox/{case_id}")
    assert f"Đã thay {leaving}" in page.inner_text("div.notice.success")
    after = seat_rows(page)
    assert leaving not in after["assessor-1"] and "Bốc thăm ngẫu nhiên" in after["assessor-1"], after
    page.screenshot(path=str(tmp_path / "panel-replaced.png"))

    page.goto(f"{console}/inbox")
    page.click("text=Công bằng phân công")
    page.wait_for_url(f"{console}/fairness")
    assert page.locator("tr.judge").count() == 3
    assert "," in page.inner_text("dd.gini") and page.inner_text("dd.designations").strip() == "1"
    page.click("a.lang")
    page.wait_for_load_state()
    assert "Gini index" in page.inner_text("main") and "." in page.inner_text("dd.gini")
    page.screenshot(path=str(tmp_path / "fairness-en.png"))
    if os.environ.get("ECOURT_KEEP_SCREENSHOTS"):
        for shot in tmp_path.glob("*.png"):
            (Path(os.environ["ECOURT_KEEP_SCREENSHOTS"]) / shot.name).write_bytes(shot.read_bytes())
