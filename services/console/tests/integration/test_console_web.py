"""The console as a real process: ``python -m ecourt_console web`` after ``create-user``, driven over HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import httpx
import pytest

from ecourt_shared.web.auth import SESSION_COOKIE

pytestmark = pytest.mark.integration

PASSWORD = "mật-khẩu-chánh-án-2026"


def create_user(env: dict[str, str], *args: str, password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ecourt_console", "create-user", "--password", password, *args],
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def console(ecourt_env, migrated, service_processes):
    migrated("ecourt_console")
    for args in (["--username", "chanhan", "--display-name", "Nguyễn Văn Chánh", "--roles", "president,judge",
                  "--court", "79KV01", "--judge-id", "J-0001"],
                 ["--username", "thamphan", "--display-name", "Lê Thị Cúc", "--roles", "judge", "--court", "79KV01",
                  "--judge-id", "J-0002"]):
        done = create_user(ecourt_env.env, *args)
        assert done.returncode == 0, done.stderr
        assert "created account" in done.stdout
    return service_processes("console", "ecourt_console", "web")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def login(client: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text)})


def test_create_user_updates_an_existing_account_and_refuses_bad_input(ecourt_env, console):
    again = create_user(ecourt_env.env, "--username", "chanhan", "--display-name", "Nguyễn Văn Chánh", "--roles",
                        "president,judge", "--court", "79KV01", "--judge-id", "J-0001")
    assert again.returncode == 0 and "updated account chanhan" in again.stdout
    judge_without_id = create_user(ecourt_env.env, "--username", "thieu.ma", "--display-name", "Thiếu mã",
                                   "--roles", "judge", "--court", "79KV01")
    assert judge_without_id.returncode == 2 and "--judge-id" in judge_without_id.stderr


def test_the_console_is_ready_and_shows_the_login_page(console):
    assert httpx.get(f"{console.url}/health/ready").json()["checks"] == {"amqp": "ok", "postgres": "ok", "keys": "ok"}
    page = httpx.get(f"{console.url}/login")
    assert page.status_code == 200 and "Đăng nhập" in page.text


def test_login_sets_the_session_cookie_and_opens_the_dashboard(console):
    with httpx.Client(base_url=console.url) as client:
        response = login(client, "chanhan")
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        home = client.get("/")
        assert home.status_code == 200 and "Nguyễn Văn Chánh" in home.text and 'href="/inbox"' in home.text


def test_a_wrong_password_is_refused(console):
    with httpx.Client(base_url=console.url) as client:
        response = login(client, "chanhan", "not-the-password")
        assert response.status_code == 401 and SESSION_COOKIE not in client.cookies
        assert client.get("/").status_code == 303


def test_a_judge_gets_403_on_the_inbox_in_both_languages(console):
    with httpx.Client(base_url=console.url) as client:
        assert login(client, "thamphan").status_code == 303
        response = client.get("/inbox")
        assert response.status_code == 403
        assert "Bạn không có quyền mở trang này" in response.text and "You may not open this page" in response.text


def test_posts_without_a_csrf_token_are_refused(console):
    with httpx.Client(base_url=console.url) as client:
        client.get("/login")
        assert client.post("/login", data={"username": "chanhan", "password": PASSWORD}).status_code == 403
        assert login(client, "chanhan").status_code == 303
        assert client.post("/logout").status_code == 403
        assert client.post("/inbox/79KV01202600000143/assign", data={"csrf_token": "x"}).status_code == 403
        assert client.get("/").status_code == 200  # still logged in


def test_logout_clears_the_cookie_and_ends_the_session(console):
    with httpx.Client(base_url=console.url) as client:
        login(client, "chanhan")
        token = client.cookies[SESSION_COOKIE]
        response = client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert SESSION_COOKIE not in client.cookies
        assert client.get("/").status_code == 303
    with httpx.Client(base_url=console.url, cookies={SESSION_COOKIE: token}) as replay:
        assert replay.get("/").status_code == 303  # the old token no longer opens a page here


def test_the_inbox_shows_a_bilingual_message_when_assignment_is_not_running(console):
    with httpx.Client(base_url=console.url, timeout=60) as client:
        login(client, "chanhan")
        response = client.get("/inbox")
        assert response.status_code == 503
        assert "tạm thời không phản hồi" in response.text and "not answering" in response.text
