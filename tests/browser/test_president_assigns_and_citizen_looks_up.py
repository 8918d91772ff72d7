"""In a real headless Chromium: the president assigns a case in the console, a citizen finds it on the portal."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ecourt_shared.auth import Role
from ecourt_shared.testing.documents import blank_pdf, petition

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Any]:
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


def test_president_assigns_in_console_then_citizen_sees_judge_on_portal(system: Any, browser_page: Any,
                                                                          tmp_path: Path) -> None:
    reception = system.token(Role.RECEPTION, user_id="u-reception")
    filed = httpx.post(f"{system.url('intake-web')}/api/v1/petitions", headers={"Authorization": f"Bearer {reception}"},
                       data={"petition": json.dumps(petition("browser-path-0001"))},
                       files={"attachment": ("don.pdf", blank_pdf(), "application/pdf")}, timeout=30).json()
    page = browser_page
    console = system.url("console-web")

    page.goto(f"{console}/login")
    page.fill("#username", "chanhan")
    page.fill("#password", system.password)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    deadline = time.monotonic() + 30
    row = page.locator("tr", has_text=filed["acceptance_number"])
    while row.count() == 0 and time.monotonic() < deadline:  # the case_received event is on its way
        page.goto(f"{console}/inbox")
        row = page.locator("tr", has_text=filed["acceptance_number"])
    assert row.count() == 1, page.inner_text("main")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    judge_name = next(name for _, name in system.judges if name in main)
    page.screenshot(path=str(tmp_path / "console-assigned.png"))

    portal = system.url("portal-web")
    deadline = time.monotonic() + 30
    while True:
        page.goto(portal)
        page.get_by_label("Mã vụ án", exact=False).fill(filed["case_code"])
        page.get_by_label("Mã bí mật", exact=False).fill(filed["receipt_secret"])
        page.click("button[type=submit]")
        page.wait_for_load_state()
        text = page.inner_text("main")
        if judge_name in text or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    page.screenshot(path=str(tmp_path / "portal-result.png"))
    assert judge_name in text, text
    assert filed["acceptance_number"] in text
    assert "203" in text  # the deadline's legal basis: Điều 203 BLTTDS 2015
    if os.environ.get("ECOURT_KEEP_SCREENSHOTS"):
        for shot in tmp_path.glob("*.png"):
            (Path(os.environ["ECOURT_KEEP_SCREENSHOTS"]) / shot.name).write_bytes(shot.read_bytes())
