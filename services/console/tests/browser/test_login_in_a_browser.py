"""The console in headless Chromium: log in, switch to English, log out (console only, no other service)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "mật-khẩu-trình-duyệt-1"


@pytest.fixture(scope="module")
def console(ecourt_env, migrated, service_processes):
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: `./ecourt test` installs it (apt-get install -y chromium fonts-noto-core)")
    migrated("ecourt_console")
    done = subprocess.run([sys.executable, "-m", "ecourt_console", "create-user", "--username", "tiepnhan",
                           "--password", PASSWORD, "--display-name", "Phạm Thị Dung", "--roles", "reception",
                           "--court", "79KV01"], env={**os.environ, **ecourt_env.env}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return service_processes("console", "ecourt_console", "web")


@pytest.fixture(scope="module")
def page(console):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        context = browser.new_context(locale="vi-VN")
        yield context.new_page()
        context.close()
        browser.close()


def test_log_in_see_the_menu_switch_language_and_log_out(console, page):
    page.goto(f"{console.url}/reception/new")
    assert page.url.startswith(f"{console.url}/login?next=")
    page.fill("#username", "tiepnhan")
    page.fill("#password", "sai mật khẩu")
    page.click("button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.inner_text("main")

    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console.url}/reception/new")
    assert page.inner_text("h1") == "Tiếp nhận đơn khởi kiện dân sự"
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["ecourt_session"]["httpOnly"] and cookies["ecourt_session"]["sameSite"] == "Strict"

    page.click("a.lang")
    assert page.inner_text("h1") == "Civil petition (đơn khởi kiện) at reception"
    page.goto(f"{console.url}/")
    assert "Welcome, Phạm Thị Dung" in page.inner_text("h1")

    page.click("text=Log out")
    page.wait_for_url(f"{console.url}/login")
    assert "You have logged out." in page.inner_text("main")
    page.goto(f"{console.url}/")
    assert page.url.startswith(f"{console.url}/login")
