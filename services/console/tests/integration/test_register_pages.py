"""The register and party pages as real processes: console web + intake worker, driven over HTTP.

What the browser test does not cover: who may open the pages, CSRF on the forms, an item that is not
in this court's register, a second decision, and intake not answering (a page, never a 500).
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from contextlib import closing
from typing import Any

import httpx
import pytest

from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.integration
PASSWORD = "mật-khẩu-sổ-tiếp-nhận-2"


@pytest.fixture(scope="module")
def running(ecourt_env: Any, migrated: Any, service_processes: Any) -> dict[str, Any]:
    intake = service_processes("intake", "ecourt_intake")
    migrated("ecourt_console")
    for username, roles, extra in (("tiepnhan", "reception", []), ("thuky", "clerk", []),
                                   ("thamphan", "judge", ["--judge-id", "J-0002"])):
        done = subprocess.run([sys.executable, "-m", "ecourt_console", "create-user", "--username", username,
                               "--password", PASSWORD, "--display-name", f"Cán bộ {username}", "--roles", roles,
                               "--court", "79KV01", *extra],
                              env={**os.environ, **ecourt_env.env}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    # a short RPC timeout so that the test of intake not answering does not wait the default 30 s
    console = service_processes("console", "ecourt_console", "web", ECOURT_RPC_TIMEOUT_SECONDS="8")
    return {"console": console.url, "intake": intake}


@pytest.fixture(scope="module")
def registered(ecourt_env: Any, running: dict[str, Any]) -> dict[str, Any]:
    """One item registered straight through intake's RPC, as another reception desk would."""
    pool = RpcClientPool(ecourt_env.settings.amqp_uri)
    token = ecourt_env.token(Role.RECEPTION, user_id="u-desk-2")
    item = {"idempotency_key": "console-pages-0001", "kind": "dispatch", "sender": "UBND Quận 1",
            "subject": "Công văn đề nghị cung cấp thông tin", "channel": "counter",
            "attachments": [{"filename": "cong-van.pdf", "content_base64": base64.b64encode(blank_pdf()).decode()}]}
    try:
        return dict(pool.call("intake", "register_reception", token=token, item=item))
    finally:
        pool.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def signed_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    return client


def test_reception_staff_see_the_register_and_the_menu_entries(running: dict[str, Any],
                                                               registered: dict[str, Any]) -> None:
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        home = client.get("/").text
        assert 'href="/reception/register"' in home and 'href="/parties"' in home
        page = client.get("/reception/register", params={"status": "received"})
        assert page.status_code == 200 and registered["reception_number"] in page.text
        assert "Công văn" in page.text and "Nộp trực tiếp tại Tòa án" in page.text
        other = client.get("/reception/register", params={"status": "accepted"})
        assert registered["reception_number"] not in other.text


def test_a_judge_may_not_open_the_register_or_the_party_registry(running: dict[str, Any],
                                                                 registered: dict[str, Any]) -> None:
    with closing(signed_in(running["console"], "thamphan")) as client:
        assert 'href="/reception/register"' not in client.get("/").text
        item = f"/reception/register/{registered['reception_id']}"
        for path in ("/reception/register", "/reception/register/new", item, "/parties", "/parties?q=an"):
            response = client.get(path)
            assert response.status_code == 403 and "Bạn không có quyền mở trang này" in response.text, path


def test_decisions_need_csrf_and_a_decided_item_refuses_a_second_one(running: dict[str, Any],
                                                                     registered: dict[str, Any]) -> None:
    rid = registered["reception_id"]
    with closing(signed_in(running["console"], "thuky")) as client:
        page = client.get(f"/reception/register/{rid}")
        assert page.status_code == 200 and "UBND Quận 1" in page.text
        assert client.post(f"/reception/register/{rid}/decision", data={"decision": "accept"}).status_code == 403
        token = csrf_of(page.text)
        bad = client.post(f"/reception/register/{rid}/decision",
                          data={"csrf_token": token, "decision": "transfer", "reason": "Không thuộc thẩm quyền",
                                "transfer_to_court": "79KV01"})
        assert bad.status_code == 422 and "Không chuyển cho chính Tòa án này." in bad.text
        assert 'id="transfer_to_court-errors"' in bad.text
        done = client.post(f"/reception/register/{rid}/decision", data={"csrf_token": token, "decision": "accept"})
        assert done.status_code == 200 and "Đã ghi quyết định" in done.text
        assert "Mục này đã được quyết định xong." in done.text
        again = client.post(f"/reception/register/{rid}/decision", data={"csrf_token": token, "decision": "accept"})
        assert again.status_code == 409 and "Mục này đã được quyết định" in again.text


def test_unknown_items_and_parties_are_404_pages(running: dict[str, Any]) -> None:
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        for path in ("/reception/register/R-0000000000000000", "/reception/register/not-an-id",
                     "/parties/P-0000000000000000", "/parties/xyz"):
            response = client.get(path)
            assert response.status_code == 404 and "<h1>404</h1>" in response.text, path


def test_the_register_form_refuses_a_missing_postmark_next_to_its_input(running: dict[str, Any]) -> None:
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        form = client.get("/reception/register/new").text
        data = {"csrf_token": csrf_of(form), "idempotency_key": "console-" + "b" * 32, "kind": "petition",
                "case_type": "DS", "subject": "Tranh chấp hợp đồng", "channel": "post",
                "party_0_role": "plaintiff", "party_0_name": "Lương Thị Hạnh", "party_0_cccd": "079190001235",
                "party_1_role": "defendant", "party_1_name": "Trịnh Văn Khoa"}
        response = client.post("/reception/register/new", data=data,
                               files=[("attachments", ("don.pdf", blank_pdf(), "application/pdf"))])
        assert response.status_code == 422
        assert 'id="postmark_date-errors"' in response.text and 'value="Lương Thị Hạnh"' in response.text


def test_intake_not_answering_is_a_page_not_a_500(running: dict[str, Any]) -> None:
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        running["intake"].stop()  # the last test of the module: nothing needs intake afterwards
        page = client.get("/reception/register")
        assert page.status_code == 503 and "Dịch vụ tiếp nhận tạm thời không phản hồi" in page.text
        item = client.get("/reception/register/R-0000000000000000")
        assert item.status_code == 503 and "The intake service is not answering" in item.text
