"""The dossier page as real processes: console web + the casefile and intake workers, driven over HTTP.

A petition is filed through intake's RPC (as the reception page does); casefile opens the dossier from intake's
``case_received`` and learns its judge from a ``case_assigned`` event published as assignment publishes it. Then,
through the console's pages only: the parties masked for the president and the judge, the president's reveal
refused by casefile (shown beside the form), the judge's reveal without a reason refused beside the field and with
one shown unmasked (and logged), a note refused when empty, added, and carried over to the next judge, an upload
refused beside its field, an upload and a new version with their hashes, and the registry unreachable as a notice.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import NotFound
from ecourt_shared.contracts.events import CaseAssignedV1
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf, petition
from ecourt_shared.testing.scenarios import publish_event as publish

pytestmark = pytest.mark.integration
PASSWORD = "mật-khẩu-hồ-sơ-vụ-án-3"
COURT = "79KV01"
JUDGE_1, JUDGE_2 = "J-HS-001", "J-HS-002"
# The plaintiff of ecourt_shared.testing.documents.petition, and how casefile masks it.
PLAINTIFF, CCCD, PHONE = "Nguyễn Văn An", "079090001234", "+84912345678"
CCCD_MASKED, PHONE_MASKED = "0790******34", "+8491****678"
RAW = (CCCD, PHONE, "0912345678", "079185004321")
REASON = "Tống đạt giấy triệu tập cho đương sự"
CONSOLE_LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def running(ecourt_env: Any, migrated: Any, service_processes: Any) -> Iterator[dict[str, Any]]:
    intake = service_processes("intake", "ecourt_intake")
    service_processes("casefile", "ecourt_casefile")
    migrated("ecourt_console")
    for username, roles, extra in (("chanhan", "president", []), ("thamphan1", "judge", ["--judge-id", JUDGE_1]),
                                   ("thamphan2", "judge", ["--judge-id", JUDGE_2])):
        done = subprocess.run([sys.executable, "-m", "ecourt_console", "create-user", "--username", username,
                               "--password", PASSWORD, "--display-name", f"Cán bộ {username}", "--roles", roles,
                               "--court", COURT, *extra],
                              env={**os.environ, **ecourt_env.env}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    # the console refuses files over its limit before any call (casefile keeps its own, larger limit)
    console = service_processes("console", "ecourt_console", "web", ECOURT_RPC_TIMEOUT_SECONDS="8",
                                ECOURT_MAX_ATTACHMENT_BYTES=str(CONSOLE_LIMIT))
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    engine = create_engine(ecourt_env.settings.database_url("casefile"))
    try:
        yield {"console": console.url, "rpc": pool, "env": ecourt_env, "intake": intake, "engine": engine}
    finally:
        pool.close()
        engine.dispose()




def eventually(probe: Callable[[], Any], what: str, timeout: float = 45) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if result := probe():
                return result
        except NotFound:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what}: not reached in {timeout}s")


def assign(running: dict[str, Any], case_id: str, judge_id: str) -> None:
    """The case goes to ``judge_id`` (assignment's ``case_assigned``), and casefile has applied it."""
    publish(running["env"].settings.amqp_uri, CaseAssignedV1(
        court_id=COURT, case_id=case_id, judge_id=judge_id, judge_name=f"Thẩm phán {judge_id}", method="random",
        draw_id=f"DR-{case_id[-6:]}-{judge_id}", assigned_by="u-president", assigned_at=datetime.now(UTC)))
    judge = running["env"].token(Role.JUDGE, user_id=f"u-{judge_id}", judge_id=judge_id)
    eventually(lambda: running["rpc"].call("casefile", "get_dossier", token=judge, case_id=case_id)["view"] == "full",
               f"the full dossier for {judge_id}")


def accepted_case(running: dict[str, Any], key: str, judge_id: str = JUDGE_1) -> dict[str, Any]:
    """A petition filed and accepted by intake, its dossier opened by casefile and assigned to ``judge_id``."""
    reception = running["env"].token(Role.RECEPTION, user_id="u-reception")
    body = {**petition(key), "channel": "counter",
            "attachment": {"filename": "don-khoi-kien.pdf",
                           "content_base64": base64.b64encode(blank_pdf(pages=2)).decode()}}
    filed = running["rpc"].call("intake", "file_petition", token=reception, petition=body)
    assign(running, filed["case_id"], judge_id)
    return dict(filed)


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


def errors_of(html: str, error_id: str) -> str:
    found = re.search(rf'<ul class="field-errors" id="{error_id}">(.*?)</ul>', html, re.S)
    assert found, f"no {error_id} next to its input"
    return found.group(1)


def party_row(html: str, name: str) -> str:
    rows = [r for r in re.findall(r'<tr class="party"[^>]*>(.*?)</tr>', html, re.S) if name in r]
    assert len(rows) == 1, f"no single row for {name}"
    return rows[0]


def document_block(html: str, document_id: str) -> str:
    """The part of the page about one document: from its heading to the next document or the upload form."""
    start = html.index(f'data-document="{document_id}"')
    ends = [i for i in (html.find('<div class="document"', start), html.find('<h3 class="section"', start)) if i > 0]
    return html[start:min(ends)]


def access_log(running: dict[str, Any], case_id: str) -> list[Any]:
    with running["engine"].connect() as conn:
        return list(conn.execute(text("SELECT user_id, revealed, reveal_reason FROM access_log WHERE case_id = :c "
                                      "ORDER BY id"), {"c": case_id}).all())


def test_parties_are_masked_and_the_presidents_reveal_is_refused_beside_the_form(running: dict[str, Any]) -> None:
    case = accepted_case(running, "dossier-page-parties-01")
    case_id = case["case_id"]
    with closing(signed_in(running["console"], "chanhan")) as client:
        page = client.get(f"/cases/{case_id}")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        row = party_row(page.text, PLAINTIFF)
        assert "Nguyên đơn" in row and CCCD_MASKED in row and PHONE_MASKED in row and 'class="cccd masked"' in row
        assert "Trần Thị Bình" in party_row(page.text, "Trần Thị Bình")
        assert not any(raw in page.text for raw in RAW)
        assert f'href="/inbox/{case_id}"' in page.text  # the president's way to the assignment page

        refused = client.post(f"/cases/{case_id}/reveal", data={"csrf_token": csrf_of(page.text), "reason": REASON})
        assert refused.status_code == 403 and refused.headers["cache-control"] == "no-store"
        top = re.search(r'id="reveal-refused">(.*?)</div>', refused.text, re.S)
        assert top and "Chỉ Thẩm phán, thành viên Hội đồng xét xử và Thư ký" in top.group(1)
        assert "Only the judges on the case" in top.group(1)  # casefile's refusal, in both languages
        assert REASON in refused.text  # what was typed is kept
        assert CCCD_MASKED in refused.text and not any(raw in refused.text for raw in RAW)

        english = client.get(f"/cases/{case_id}?lang=en").text
        assert "Show full CCCD and phone numbers" in english and "Đương sự (parties)" in english
    assert not any(r.revealed for r in access_log(running, case_id))


def test_the_judge_reveals_with_a_reason_in_that_response_only(running: dict[str, Any]) -> None:
    case_id = accepted_case(running, "dossier-page-reveal-01")["case_id"]
    with closing(signed_in(running["console"], "thamphan1")) as client:
        page = client.get(f"/cases/{case_id}")
        assert page.status_code == 200 and CCCD_MASKED in page.text
        assert "/inbox/" not in page.text  # no assignment link for a judge
        token = csrf_of(page.text)

        forged = client.post(f"/cases/{case_id}/reveal", data={"csrf_token": "forged", "reason": REASON})
        assert forged.status_code == 403 and not any(raw in forged.text for raw in RAW)

        no_reason = client.post(f"/cases/{case_id}/reveal", data={"csrf_token": token, "reason": " "})
        assert no_reason.status_code == 422
        assert "Phải ghi lý do" in errors_of(no_reason.text, "reveal-reason-errors")
        assert not any(raw in no_reason.text for raw in RAW)

        shown = client.post(f"/cases/{case_id}/reveal", data={"csrf_token": token, "reason": REASON})
        assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
        assert str(shown.url).endswith(f"/cases/{case_id}/reveal")  # no identifier and no reason in the URL
        row = party_row(shown.text, PLAINTIFF)
        assert CCCD in row and PHONE in row and "masked" not in row
        assert f"Lượt xem đã được ghi nhật ký với lý do: {REASON}" in shown.text
        assert 'class="stack reveal-form"' not in shown.text

        again = client.get(f"/cases/{case_id}").text  # reopening the dossier: masked again
        assert CCCD_MASKED in again and not any(raw in again for raw in RAW)
    logged = [(r.user_id, r.revealed, r.reveal_reason) for r in access_log(running, case_id) if r.revealed]
    assert len(logged) == 1 and logged[0][1:] == (True, REASON)


def test_a_note_is_refused_empty_then_added_and_carried_over_to_the_next_judge(running: dict[str, Any]) -> None:
    case_id = accepted_case(running, "dossier-page-notes-01")["case_id"]
    note = "Đương sự hẹn nộp chứng cứ bổ sung trước ngày 15/4."
    with closing(signed_in(running["console"], "thamphan1")) as client:
        page = client.get(f"/cases/{case_id}")
        assert "Chưa có ghi chú." in page.text
        empty = client.post(f"/cases/{case_id}/notes", data={"csrf_token": csrf_of(page.text), "text": "   "})
        assert empty.status_code == 422
        assert "Ghi chú không được để trống." in errors_of(empty.text, "note-text-errors")

        added = client.post(f"/cases/{case_id}/notes", data={"csrf_token": csrf_of(page.text), "text": note},
                            follow_redirects=False)
        assert added.status_code == 303 and added.headers["location"] == f"/cases/{case_id}#notes"
        shown = client.get(f"/cases/{case_id}").text
        assert "Đã thêm ghi chú vào hồ sơ." in shown
        item = re.search(r'<li class="note"[^>]*>(.*?)</li>', shown, re.S)
        assert item and note in item.group(1) and "Cán bộ thamphan1" in item.group(1)
        assert "chuyển từ Thẩm phán trước" not in item.group(1)

    with closing(signed_in(running["console"], "thamphan2")) as client:
        before = client.get(f"/cases/{case_id}").text  # not this judge's case yet: essentials, no notes
        assert "Thông tin thiết yếu" in before and note not in before and PLAINTIFF not in before
        assert 'class="stack note-form"' not in before and 'class="stack reveal-form"' not in before
        token = csrf_of(before)
        peek = client.post(f"/cases/{case_id}/reveal", data={"csrf_token": token, "reason": REASON})
        assert peek.status_code == 403 and "Chỉ Thẩm phán, thành viên Hội đồng xét xử" in peek.text
        assert PLAINTIFF not in peek.text and not any(raw in peek.text for raw in RAW)
        barred = client.post(f"/cases/{case_id}/notes", data={"csrf_token": token, "text": "Ghi chú không được phép"})
        assert barred.status_code == 403 and "được ghi chú vào hồ sơ" in barred.text
        assign(running, case_id, JUDGE_2)
        after = client.get(f"/cases/{case_id}").text
        item = re.search(r'<li class="note carried-over"[^>]*>(.*?)</li>', after, re.S)
        assert item and note in item.group(1) and "chuyển từ Thẩm phán trước" in item.group(1)


def test_an_upload_is_refused_beside_its_field_then_stored_and_versioned(running: dict[str, Any]) -> None:
    case_id = accepted_case(running, "dossier-page-upload-01")["case_id"]
    first, second = blank_pdf(pages=3), blank_pdf(pages=4)
    with closing(signed_in(running["console"], "thamphan1")) as client:
        page = client.get(f"/cases/{case_id}")
        token = csrf_of(page.text)
        assert page.text.count('class="stack version-form"') == 0  # the filed petition gets no new version here
        assert "Nộp kèm đơn khởi kiện" in page.text  # … and shows as the version filed with the case

        not_a_pdf = client.post(f"/cases/{case_id}/documents",
                                data={"csrf_token": token, "title": "Biên bản hòa giải"},
                                files={"file": ("bien-ban.pdf", b"plain text, not a document", "application/pdf")})
        assert not_a_pdf.status_code == 422
        assert errors_of(not_a_pdf.text, "upload-file-errors")
        assert 'value="Biên bản hòa giải"' in not_a_pdf.text  # the title typed is kept
        no_title = client.post(f"/cases/{case_id}/documents", data={"csrf_token": token, "title": ""},
                               files={"file": ("bien-ban.pdf", first, "application/pdf")})
        assert no_title.status_code == 422 and errors_of(no_title.text, "upload-title-errors")
        too_large = client.post(f"/cases/{case_id}/documents", data={"csrf_token": token, "title": "Biên bản"},
                                files={"file": ("lon.pdf", blank_pdf(padding_bytes=CONSOLE_LIMIT), "application/pdf")})
        assert too_large.status_code == 413
        assert "vượt giới hạn 1 MB" in errors_of(too_large.text, "upload-file-errors")
        no_file = client.post(f"/cases/{case_id}/documents", data={"csrf_token": token, "title": "Biên bản"})
        assert no_file.status_code == 422 and "Chọn tệp" in errors_of(no_file.text, "upload-file-errors")
        judge = running["env"].token(Role.JUDGE, user_id="u-j", judge_id=JUDGE_1)
        view = running["rpc"].call("casefile", "get_dossier", token=judge, case_id=case_id)
        assert len(view["documents"]) == 1  # nothing was stored by the refusals

        stored = client.post(f"/cases/{case_id}/documents", data={"csrf_token": token, "title": "Biên bản hòa giải"},
                             files={"file": ("bien-ban-hoa-giai.pdf", first, "application/pdf")},
                             follow_redirects=False)
        assert stored.status_code == 303, stored.text[:500]
        shown = client.get(f"/cases/{case_id}").text
        assert 'Đã lưu tài liệu "Biên bản hòa giải", phiên bản 1.' in shown.replace("&#34;", '"')
        assert hashlib.sha256(first).hexdigest() in shown  # in the flash, and its prefix in the versions table
        uploaded = [d for d in running["rpc"].call("casefile", "get_dossier", token=judge, case_id=case_id)["documents"]
                    if d["title"] == "Biên bản hòa giải"]
        assert len(uploaded) == 1
        document_id = uploaded[0]["document_id"]
        html = document_block(shown, document_id)
        assert hashlib.sha256(first).hexdigest()[:12] in html and "Tải lên hồ sơ" in html and "3 trang" in html
        assert 'class="stack version-form"' in html and f'value="{document_id}"' in html

        same = client.post(f"/cases/{case_id}/documents",
                           data={"csrf_token": token, "title": "Biên bản hòa giải",
                                 "replaces_document_id": document_id},
                           files={"file": ("bien-ban-hoa-giai.pdf", first, "application/pdf")})
        assert same.status_code == 422
        refusal = re.search(r'<ul class="field-errors" id="doc-\d+-file-errors">(.*?)</ul>', same.text, re.S)
        assert refusal and "giống hệt phiên bản hiện tại" in refusal.group(1)
        assert re.search(r'<details class="new-version" open>', same.text)

        version = client.post(f"/cases/{case_id}/documents",
                              data={"csrf_token": token, "title": "Biên bản hòa giải",
                                    "replaces_document_id": document_id},
                              files={"file": ("bien-ban-hoa-giai-sua.pdf", second, "application/pdf")},
                              follow_redirects=False)
        assert version.status_code == 303
        after = client.get(f"/cases/{case_id}").text
        html = document_block(after, document_id)
        assert re.findall(r'data-version="(\d+)"', html) == ["1", "2"]
        assert hashlib.sha256(second).hexdigest()[:12] in html and "4 trang" in html


def test_zz_the_dossier_says_when_the_party_registry_is_unreachable(running: dict[str, Any]) -> None:
    case_id = accepted_case(running, "dossier-page-registry-01")["case_id"]
    running["intake"].stop()
    with closing(signed_in(running["console"], "thamphan1")) as client:
        page = client.get(f"/cases/{case_id}")
        assert page.status_code == 200
        assert "Không tải được thông tin đương sự từ sổ đương sự" in page.text
        assert 'class="notice warning notice-parties-registry_unavailable"' in page.text
        assert "Nguyên đơn" in page.text and PLAINTIFF not in page.text
