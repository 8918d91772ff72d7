"""In headless Chromium against the whole system: a judge opens a case file, reveals the parties' identifiers with a
reason, adds a working note and uploads a PDF, with no JavaScript on the page (the console's CSP forbids it)."""

from __future__ import annotations

import hashlib
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
PLAINTIFF, CCCD, CCCD_MASKED = "Nguyễn Văn An", "079090001234", "0790******34"
REASON = "Tống đạt giấy triệu tập cho đương sự"
NOTE = "Đã gọi điện cho bị đơn, hẹn có mặt ngày 20/4 để hòa giải."


@pytest.fixture(scope="module")
def assigned(system: Any) -> dict[str, Any]:
    """A petition accepted by intake and assigned at random by the president; the judge's console login."""
    reception = system.token(Role.RECEPTION, user_id="u-reception")
    filed = httpx.post(f"{system.url('intake-web')}/api/v1/petitions", headers={"Authorization": f"Bearer {reception}"},
                       data={"petition": json.dumps(petition("browser-dossier-0001"))},
                       files={"attachment": ("don.pdf", blank_pdf(pages=2), "application/pdf")}, timeout=30)
    assert filed.status_code == 201, filed.text
    case = filed.json()
    president = system.token(Role.PRESIDENT, user_id="u-chanhan")
    deadline = time.monotonic() + 45
    while not any(c["case_id"] == case["case_id"] for c in system.rpc.call("assignment", "inbox", token=president)):
        assert time.monotonic() < deadline, "the case never reached the president's inbox"
        time.sleep(0.3)
    judge_id = system.rpc.call("assignment", "assign_random", token=president, case_id=case["case_id"])["judge_id"]
    judge = system.token(Role.JUDGE, user_id="u-judge", judge_id=judge_id)
    while True:  # casefile learns the judge from assignment's event
        try:
            if system.rpc.call("casefile", "get_dossier", token=judge, case_id=case["case_id"])["view"] == "full":
                break
        except Exception:  # the case is not in casefile yet
            pass
        assert time.monotonic() < deadline + 30, "casefile never gave the judge the full view"
        time.sleep(0.3)
    index = [j for j, _ in system.judges].index(judge_id)
    return {**case, "judge_login": f"thamphan{index}"}


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
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


def test_a_judge_reveals_with_a_reason_adds_a_note_and_uploads_a_pdf(system: Any, assigned: dict[str, Any],
                                                                      page: Any, tmp_path: Path) -> None:
    console = system.url("console-web")
    page.goto(f"{console}/login")
    page.fill("#username", assigned["judge_login"])
    page.fill("#password", system.password)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{console}/cases")
    page.click(f"a[href='/cases/{assigned['case_id']}']")
    page.wait_for_load_state()
    parties = page.inner_text("section.parties")
    assert PLAINTIFF in parties and CCCD_MASKED in parties and CCCD not in parties
    assert page.locator("script").count() == 0

    page.fill("#reveal-reason", "")
    page.click("form.reveal-form button[type=submit]")  # without a reason: refused beside the field
    page.wait_for_load_state()
    assert "Phải ghi lý do" in page.inner_text("#reveal-reason-errors")
    page.fill("#reveal-reason", REASON)
    page.click("form.reveal-form button[type=submit]")
    page.wait_for_load_state()
    revealed = page.inner_text("section.parties")
    assert CCCD in revealed and REASON in revealed and CCCD not in page.url and "reason" not in page.url
    page.screenshot(path=str(tmp_path / "dossier-revealed.png"), full_page=True)

    page.click("section.parties .revealed a")  # "Che lại": the dossier again, masked
    page.wait_for_load_state()
    assert CCCD not in page.inner_text("main") and CCCD_MASKED in page.inner_text("section.parties")

    page.fill("#note-text", NOTE)
    page.click("form.note-form button[type=submit]")
    page.wait_for_load_state()
    assert "Đã thêm ghi chú vào hồ sơ." in page.inner_text("main")
    assert NOTE in page.inner_text("section.notes")

    pdf = blank_pdf(pages=3)
    upload = tmp_path / "bien-ban-lay-loi-khai.pdf"
    upload.write_bytes(pdf)
    page.fill("#upload-title", "Biên bản lấy lời khai")
    page.set_input_files("#upload-file", str(upload))
    page.click("form.upload-form button[type=submit]")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Đã lưu tài liệu" in main and hashlib.sha256(pdf).hexdigest() in main
    document = page.locator("div.document", has_text="Biên bản lấy lời khai")
    assert document.count() == 1
    version = document.locator("tr.version").first.inner_text()
    assert hashlib.sha256(pdf).hexdigest()[:12] in version and "Tải lên hồ sơ" in version
    page.screenshot(path=str(tmp_path / "dossier-uploaded.png"), full_page=True)
    if os.environ.get("ECOURT_KEEP_SCREENSHOTS"):
        for shot in tmp_path.glob("*.png"):
            (Path(os.environ["ECOURT_KEEP_SCREENSHOTS"]) / shot.name).write_bytes(shot.read_bytes())
