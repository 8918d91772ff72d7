"""In headless Chromium against the real intake worker and console: the reception register end to end.

Reception staff register a petition that came by post (the counting date is the postmark's, not today),
a wrong CCCD is refused next to its input in Vietnamese (in English after switching), then the
president opens the item from the register and accepts it (thụ lý). Then an appeal against a judgment
pronounced four days ago (the real casefile worker judged it) is accepted from its item page: the case id is
prefilled from the register, and the page shows what casefile recorded (the appellate stage opened).
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.scenarios import judged_case

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "mật-khẩu-sổ-tiếp-nhận-1"


@pytest.fixture(scope="module")
def console(ecourt_env: Any, migrated: Any, service_processes: Any) -> str:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: `./ecourt test` installs it (apt-get install -y chromium fonts-noto-core)")
    service_processes("intake", "ecourt_intake")
    service_processes("casefile", "ecourt_casefile")  # accepting an appeal lodges it on its case
    migrated("ecourt_console")
    for username, roles, name in (("tiepnhan", "reception", "Đỗ Văn Giang"),
                                  ("chanhan", "president", "Nguyễn Thị Hoa")):
        done = subprocess.run([sys.executable, "-m", "ecourt_console", "create-user", "--username", username,
                               "--password", PASSWORD, "--display-name", name, "--roles", roles, "--court", "79KV01"],
                              env={**os.environ, **ecourt_env.env}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    return str(service_processes("console", "ecourt_console", "web").url)


@pytest.fixture(scope="module")
def page(console: str) -> Iterator[Any]:
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


def log_in(page: Any, console: str, username: str) -> None:
    page.goto(f"{console}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console}/")


def fill_posted_petition(page: Any, postmark: date, plaintiff_cccd: str) -> None:
    page.select_option("#kind", "petition")
    page.select_option("#case_type", "DS")
    page.fill("#subject", "Tranh chấp hợp đồng đặt cọc mua nhà")
    assert not page.is_visible("#postmark_date")  # the postmark input belongs to the post channel only
    page.select_option("#channel", "post")
    page.fill("#postmark_date", postmark.isoformat())
    page.select_option("#party_0_role", "plaintiff")
    page.fill("#party_0_name", "Lương Thị Hạnh")
    page.fill("#party_0_cccd", plaintiff_cccd)
    page.fill("#party_0_phone", "0903 123 456")
    page.select_option("#party_1_role", "defendant")
    page.fill("#party_1_name", "Trịnh Văn Khoa")
    page.fill("#party_1_cccd", "079087006543")
    page.set_input_files("#attachments", files=[
        {"name": "don-khoi-kien.pdf", "mimeType": "application/pdf", "buffer": blank_pdf(pages=2)}])


def test_reception_registers_a_posted_petition_and_the_president_accepts_it(console: str, page: Any,
                                                                            tmp_path: Path) -> None:
    postmark = date.today() - timedelta(days=5)
    log_in(page, console, "tiepnhan")
    page.click("text=Sổ tiếp nhận")
    page.wait_for_url(f"{console}/reception/register")
    page.click("text=Vào sổ mục mới")
    page.wait_for_url(f"{console}/reception/register/new")

    fill_posted_petition(page, postmark, plaintiff_cccd="000190001235")  # 000: no such place of registration
    page.click("form.register-form button[type=submit]")
    page.wait_for_load_state()
    error = page.inner_text("#party_0_cccd-errors")
    assert "mã nơi đăng ký khai sinh 000 không tồn tại" in error, error
    assert page.get_attribute("#party_0_cccd", "aria-invalid") == "true"
    assert page.input_value("#party_0_name") == "Lương Thị Hạnh"  # what was typed is kept
    page.screenshot(path=str(tmp_path / "register-cccd-error.png"))
    page.click("a.lang")  # the language link opens a fresh form: the English refusal is seen on a new attempt
    fill_posted_petition(page, postmark, plaintiff_cccd="000190001235")
    page.click("form.register-form button[type=submit]")
    page.wait_for_load_state()
    assert "place code 000 is not a known place of birth registration" in page.inner_text("#party_0_cccd-errors")
    page.click("a.lang")

    fill_posted_petition(page, postmark, plaintiff_cccd="079190001235")
    page.click("form.register-form button[type=submit]")
    page.wait_for_url(f"{console}/reception/register/R-*")
    item_url = page.url
    counted = page.inner_text("dd.counts-from")
    assert postmark.strftime("%d/%m/%Y") in counted and "dấu bưu chính" in counted, counted
    assert "Đã vào sổ: TN" in page.inner_text("main")
    number = page.inner_text("dl.item strong").strip()
    page.screenshot(path=str(tmp_path / "register-item.png"))
    page.click("text=Đăng xuất")
    page.wait_for_url(f"{console}/login")

    log_in(page, console, "chanhan")
    page.goto(f"{console}/reception/register?status=received")
    row = page.locator("tr", has_text=number)
    assert row.count() == 1, page.inner_text("main")
    assert postmark.strftime("%d/%m/%Y") in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(item_url)
    assert not page.is_visible("#amendment_due_on")
    page.select_option("#decision", "request_amendment")
    assert page.is_visible("#amendment_due_on")
    page.fill("#reason", "Đơn chưa ghi địa chỉ bị đơn")
    page.click("form.decision-form button[type=submit]")
    page.wait_for_load_state()
    assert "Phải ghi hạn sửa đổi, bổ sung." in page.inner_text("#amendment_due_on-errors")

    page.select_option("#decision", "accept")
    page.fill("#reason", "")
    page.click("form.decision-form button[type=submit]")
    page.wait_for_load_state()
    decided = page.inner_text("section.decided")
    assert "Đã ghi quyết định" in decided and "/TLST-DS" in page.inner_text("strong.acceptance-number"), decided
    assert page.inner_text("dd.item-status").strip() == "Đã thụ lý / tiếp nhận"
    page.screenshot(path=str(tmp_path / "register-accepted.png"))
    page.goto(f"{console}/reception/register?status=accepted")
    assert page.locator("tr", has_text=number).count() == 1

    page.goto(f"{console}/parties?q=luong thi hanh")
    result = page.locator("table.parties tr", has_text="Lương Thị Hạnh")
    assert result.count() == 1, page.inner_text("main")
    result.locator("a").first.click()
    page.wait_for_load_state()
    # the president reads the registry masked (need-to-know: reception and clerks check identifiers, not the president)
    shown = page.inner_text("main")
    assert "+8490****456" in shown and "+84903123456" not in shown, shown
    assert "Vào sổ lần đầu" in page.inner_text("table.versions")
    if os.environ.get("ECOURT_KEEP_SCREENSHOTS"):
        for shot in tmp_path.glob("*.png"):
            (Path(os.environ["ECOURT_KEEP_SCREENSHOTS"]) / shot.name).write_bytes(shot.read_bytes())




def appeal_on_a_judged_case(env: Any, pronounced_on: date) -> tuple[str, str]:
    """(case id, reception id): a civil case filed, assigned to J-0007 (``case_assigned`` as assignment's relay
    publishes it), judged on ``pronounced_on`` in casefile, and an appeal against it entered in the register."""
    pdf = base64.b64encode(blank_pdf()).decode()
    desk = env.token(Role.RECEPTION, user_id="u-desk-browser", court_id="79KV01")
    pool = RpcClientPool(env.settings.amqp_uri, timeout=30)
    try:
        case_id = judged_case(pool, env, "browser-appealed-case", pronounced_on)
        appeal = pool.call("intake", "register_reception", token=desk, item={
            "idempotency_key": "browser-appeal", "kind": "appeal", "case_type": "DS",
            "subject": "Kháng cáo toàn bộ bản án sơ thẩm", "related_case": case_id,
            "parties": [{"role": "appellant", "full_name": "Võ Minh Tuấn", "cccd": "079079004321"}],
            "attachments": [{"filename": "khang-cao.pdf", "content_base64": pdf}]})
        return case_id, str(appeal["reception_id"])
    finally:
        pool.close()


def test_an_appeal_is_accepted_from_its_item_page(console: str, page: Any, ecourt_env: Any, tmp_path: Path) -> None:
    pronounced = date.today() - timedelta(days=4)
    case_id, reception_id = appeal_on_a_judged_case(ecourt_env, pronounced)
    page.context.clear_cookies()  # whoever the other test left signed in: reception staff decide here
    log_in(page, console, "tiepnhan")
    page.goto(f"{console}/reception/register/{reception_id}")
    assert page.input_value("#related_case_id").replace("-", "") == case_id  # prefilled from the register
    assert page.is_visible("#related_case_id")
    page.select_option("#decision", "return")
    assert not page.is_visible("#related_case_id")  # the case id belongs to accepting only
    page.select_option("#decision", "accept")
    assert "Võ Minh Tuấn" in page.inner_text("table.entry-parties")
    page.click("form.decision-form button[type=submit]")
    page.wait_for_load_state()
    decided = page.inner_text("section.decided")
    assert "Đã ghi quyết định" in decided, page.inner_text("main")
    assert "Kháng cáo đầu tiên: mở giai đoạn phúc thẩm" in page.inner_text("section.decided dd.lodging-step")
    assert "79TA00" in page.inner_text("section.decided dd.lodging-court")
    assert page.inner_text("dd.item-status").strip() == "Đã thụ lý / tiếp nhận"
    page.screenshot(path=str(tmp_path / "register-appeal-accepted.png"))
    page.goto(f"{console}/reception/register/{reception_id}")  # not a reload: that would post the decision again
    assert "Kháng cáo đầu tiên" in page.inner_text("table.entry-decisions")
