"""The reception item page over HTTP with the real console, intake and casefile processes.

The page is intake's ``reception`` view: parties (identifiers masked for the president), documents, the decision
history with an earlier amendment request, and the decision form. For an appeal or a protest the form asks
what accepting needs (the case id, prefilled from the register; the procuracy's level) and casefile's refusal
(an appeal out of time, art. 273 BLTTDS) comes back next to the decision. An accepted appeal shows what casefile
recorded, right after the decision and in the history. The judged case is prepared as in intake's
``test_lodging_at_reception``: filed, assigned by ``case_assigned``, tried and judged over casefile's RPC.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import subprocess
import sys
from contextlib import closing
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.scenarios import judged_case

pytestmark = pytest.mark.integration
PASSWORD = "mật-khẩu-mục-tiếp-nhận-3"
AREA = "79KV01"
TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
PDF_BYTES = blank_pdf(pages=3)
PDF = base64.b64encode(PDF_BYTES).decode()


@pytest.fixture(scope="module")
def running(ecourt_env: Any, migrated: Any, service_processes: Any) -> dict[str, Any]:
    service_processes("intake", "ecourt_intake")
    service_processes("casefile", "ecourt_casefile")
    migrated("ecourt_console")
    for username, roles in (("tiepnhan", "reception"), ("chanhan", "president")):
        done = subprocess.run([sys.executable, "-m", "ecourt_console", "create-user", "--username", username,
                               "--password", PASSWORD, "--display-name", f"Cán bộ {username}", "--roles", roles,
                               "--court", AREA],
                              env={**os.environ, **ecourt_env.env}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    console = service_processes("console", "ecourt_console", "web")
    yield {"console": console.url, "rpc": pool}
    pool.close()


def desk(env: Any) -> str:
    return str(env.token(Role.RECEPTION, user_id="u-desk-2", court_id=AREA))




def register(rpc: Any, env: Any, key: str, kind: str, **fields: Any) -> dict[str, Any]:
    item = {"idempotency_key": key, "kind": kind, "case_type": "DS", "subject": f"{kind}: mục kiểm thử",
            "attachments": [{"filename": "don.pdf", "title": "Đơn", "content_base64": PDF}], **fields}
    return dict(rpc.call("intake", "register_reception", token=desk(env), item=item))


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def signed_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    return client


def errors_of(page: str, name: str) -> str:
    found = re.search(rf'<ul class="field-errors" id="{name}-errors">(.*?)</ul>', page, re.S)
    assert found, f"no errors next to {name}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_item_page_shows_parties_documents_and_the_amendment_requested(running, ecourt_env):
    rpc = running["rpc"]
    item = register(rpc, ecourt_env, "entry-page-petition", "petition", channel="counter",
                    parties=[{"role": "plaintiff", "full_name": "Lương Thị Hạnh", "cccd": "079190001235",
                              "phone": "0903123456"},
                             {"role": "defendant", "full_name": "Trịnh Văn Khoa", "cccd": "079087006543"}])
    due = TODAY + timedelta(days=15)
    rpc.call("intake", "decide_reception", token=desk(ecourt_env), decision={
        "reception_id": item["reception_id"], "decision": "request_amendment",
        "reason": "Đơn chưa ghi địa chỉ bị đơn", "amendment_due_on": due.isoformat()})
    path = f"/reception/register/{item['reception_id']}"
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        page = client.get(path)
        assert page.status_code == 200, page.text
        text = html.unescape(page.text)
        assert "Lương Thị Hạnh" in text and "Trịnh Văn Khoa" in text and "079190001235" in text
        assert f'href="/parties/{item["party_ids"][0]}"' in text
        assert hashlib.sha256(PDF_BYTES).hexdigest() in text and "Khoản 1 Điều 191" in text
        history = text[text.index('class="entry-decisions"'):]
        assert "Đơn chưa ghi địa chỉ bị đơn" in history and due.strftime("%d/%m/%Y") in history
        assert "u-desk-2" in history
        assert 'class="petition decision-form"' in text and 'id="related_case_id"' not in text  # not a lodged kind
    with closing(signed_in(running["console"], "chanhan")) as client:
        text = html.unescape(client.get(path).text)
        assert "Lương Thị Hạnh" in text and "0791******35" in text and "079190001235" not in text
        assert "+8490****456" in text and "Nghị định 13/2023" in text


def test_an_appeal_is_refused_out_of_time_next_to_the_decision_then_one_in_time_is_accepted(running, ecourt_env):
    rpc = running["rpc"]
    late_case = judged_case(rpc, ecourt_env, "entry-page-late", TODAY - timedelta(days=25))
    late = register(rpc, ecourt_env, "entry-page-late-appeal", "appeal", related_case=late_case,
                    parties=[{"role": "appellant", "full_name": "Phạm Thị Lan", "cccd": "001185012345"}])
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        path = f"/reception/register/{late['reception_id']}"
        page = client.get(path)
        assert page.status_code == 200 and 'id="related_case_id"' in page.text
        shown = re.search(r'id="related_case_id" name="related_case_id" maxlength="40" value="([^"]*)"', page.text)
        assert shown and shown.group(1).replace("-", "") == late_case  # prefilled from the register
        refused = client.post(f"{path}/decision", data={"csrf_token": csrf_of(page.text), "decision": "accept",
                                                        "related_case_id": shown.group(1)})
        assert refused.status_code == 422, refused.text
        said = errors_of(refused.text, "decision")
        assert "273" in said and ("Bộ luật Tố tụng dân sự" in said or "BLTTDS" in said), said
        assert 'value="accept" selected' in refused.text
        # the same refusal in English once the language is switched
        client.get(path, params={"lang": "en"})
        english = client.post(f"{path}/decision", data={"csrf_token": csrf_of(page.text), "decision": "accept"})
        primary = re.search(r'id="decision-errors">\s*<li><span class="primary">([^<]+)<', english.text)
        assert primary and "273" in primary.group(1) and "time" in primary.group(1).lower(), english.text
        client.get(path, params={"lang": "vi"})

    case = judged_case(rpc, ecourt_env, "entry-page-in-time", TODAY - timedelta(days=4))
    appeal = register(rpc, ecourt_env, "entry-page-appeal", "appeal", related_case=case,
                      parties=[{"role": "appellant", "full_name": "Võ Minh Tuấn", "cccd": "079079004321"}])
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        path = f"/reception/register/{appeal['reception_id']}"
        page = client.get(path)
        done = client.post(f"{path}/decision", data={"csrf_token": csrf_of(page.text), "decision": "accept",
                                                     "related_case_id": ""})
        assert done.status_code == 200, done.text
        decided = html.unescape(done.text[done.text.index("section class=\"notice success decided\""):])
        decided = decided[:decided.index("</section>")]
        assert "Kháng cáo đầu tiên: mở giai đoạn phúc thẩm" in decided and "79TA00" in decided
        assert TODAY.strftime("%d/%m/%Y") in decided and "Phúc thẩm" in decided
        again = html.unescape(client.get(path).text)
        history = again[again.index('class="entry-decisions"'):]
        assert "Kháng cáo đầu tiên" in history and "Hồ sơ vụ án đã ghi nhận" in history
        assert "Mục này đã được quyết định xong." in again


def test_a_protest_needs_the_procuracys_level_and_a_judgment_number_needs_the_case_id(running, ecourt_env):
    rpc = running["rpc"]
    protest = register(rpc, ecourt_env, "entry-page-protest", "protest", related_case="12/2026/DS-ST",
                       parties=[{"role": "procuracy", "kind": "procuracy", "procuracy_code": "VKS79KV01"}])
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        path = f"/reception/register/{protest['reception_id']}"
        page = client.get(path)
        text = html.unescape(page.text)
        assert 'id="protest_level"' in text and "Điều 280" in text and "Viện kiểm sát cấp trên trực tiếp" in text
        assert re.search(r'id="related_case_id" name="related_case_id" maxlength="40" value=""', page.text)
        refused = client.post(f"{path}/decision", data={"csrf_token": csrf_of(page.text), "decision": "accept"})
        assert refused.status_code == 422
        assert "mã vụ án" in errors_of(refused.text, "related_case_id")
        assert "Điều 280" in errors_of(refused.text, "protest_level")
        assert 'aria-invalid="true" aria-describedby="protest_level-errors"' in refused.text
        wrong = client.post(f"{path}/decision", data={"csrf_token": csrf_of(page.text), "decision": "accept",
                                                      "related_case_id": "79KV01-2026-999999-00",
                                                      "protest_level": "higher_level"})
        assert wrong.status_code == 422 and "chữ số kiểm tra" in errors_of(wrong.text, "related_case_id")
        assert 'value="higher_level" selected' in wrong.text  # what was chosen is kept


def test_an_entry_of_another_court_is_a_404_page(running, ecourt_env):
    rpc = running["rpc"]
    elsewhere = rpc.call("intake", "register_reception",
                         token=ecourt_env.token(Role.RECEPTION, user_id="u-other", court_id="79KV02"),
                         item={"idempotency_key": "entry-page-elsewhere", "kind": "dispatch", "sender": "UBND",
                               "subject": "Công văn của Tòa án khác",
                               "attachments": [{"filename": "cv.pdf", "content_base64": PDF}]})
    with closing(signed_in(running["console"], "tiepnhan")) as client:
        page = client.get(f"/reception/register/{elsewhere['reception_id']}")
        assert page.status_code == 404 and "Không tìm thấy mục tiếp nhận này" in page.text
