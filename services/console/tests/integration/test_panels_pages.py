"""The president's assignment pages as real processes: console web + the assignment worker, driven over HTTP.

Cases and reception items reach assignment the way intake's events would deliver them (the worker's own
handlers, on its real database); everything else goes through the console's pages. What is shown: a
designation refused next to its field (short reason, a judge on leave) and then recorded as "Chỉ định" with its
reason, the panel draw with its seed commitment and a replay that verifies, a replacement refused without a
reason and then done, reassignment, the reception inbox, the fairness view with Vietnamese numbers, and who
may open these pages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine

from ecourt_assignment.adapters.orm import metadata
from ecourt_assignment.service_layer import receiving, reception
from ecourt_shared.auth import Role
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseReceivedV1, PartyRefV1
from ecourt_shared.contracts.reception import ReceptionRegisteredV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.rpc import RpcClientPool

pytestmark = pytest.mark.integration
PASSWORD = "mật-khẩu-hội-đồng-xét-xử-1"
COURT = "79KV01"
JUDGES = [("J-PN-001", "Lê Văn Cường"), ("J-PN-002", "Phạm Thị Dung"), ("J-PN-003", "Hoàng Minh Em")]
ASSESSORS = [("HT-PN-001", "Trương Văn Hải"), ("HT-PN-002", "Lâm Thị Hằng"), ("HT-PN-003", "Mai Xuân Khôi")]
CLERKS = [("TK-PN-001", "Võ Thị Duyên"), ("TK-PN-002", "Đặng Thị Phương")]


@pytest.fixture(scope="module")
def running(ecourt_env: Any, migrated: Any, service_processes: Any) -> Iterator[dict[str, Any]]:
    service_processes("assignment", "ecourt_assignment")
    migrated("ecourt_console")
    for username, roles, extra in (("chanhan", "president", []), ("thamphan", "judge", ["--judge-id", "J-PN-001"])):
        done = subprocess.run([sys.executable, "-m", "ecourt_console", "create-user", "--username", username,
                               "--password", PASSWORD, "--display-name", f"Cán bộ {username}", "--roles", roles,
                               "--court", COURT, *extra],
                              env={**os.environ, **ecourt_env.env}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    console = service_processes("console", "ecourt_console", "web", ECOURT_RPC_TIMEOUT_SECONDS="8")
    pool = RpcClientPool(ecourt_env.settings.amqp_uri)
    admin = ecourt_env.token(Role.IT_ADMIN, user_id="u-admin")
    for members, kind in ((JUDGES, "judge"), (ASSESSORS, "assessor"), (CLERKS, "clerk")):
        for member_id, name in members:
            pool.call("assignment", "register_judge", token=admin,
                      judge={"judge_id": member_id, "full_name": name, "specializations": ["civil"], "kind": kind})
    today = date.today()
    pool.call("assignment", "set_unavailability", token=admin,
              period={"judge_id": "J-PN-003", "kind": "leave", "starts_on": (today - timedelta(days=1)).isoformat(),
                      "ends_on": (today + timedelta(days=5)).isoformat(), "reason": "Nghỉ phép năm"})
    engine = create_engine(ecourt_env.settings.database_url("assignment"))
    try:
        yield {"console": console.url, "uows": UnitOfWorkFactory(engine, metadata), "rpc": pool,
               "president": ecourt_env.token(Role.PRESIDENT, user_id="u-chanhan")}
    finally:
        pool.close()
        engine.dispose()


def arrive(running: dict[str, Any], serial: int, subject: str) -> str:
    """A case accepted by intake reaches assignment (as the case_received event would bring it)."""
    case_id = make_case_id(COURT, 2026, serial)
    payload = CaseReceivedV1(
        court_id=COURT, case_id=case_id, acceptance_number=f"{serial:02d}/2026/TLST-DS", case_type="DS",
        stage="ST", subject=subject, accepted_at=datetime.now(UTC), accepted_on=date.today(), documents=[],
        receipt_secret_hash="0" * 64,
        parties=[PartyRefV1(party_id=f"P-PN-{serial}-{i}", role="plaintiff", is_minor=False) for i in range(2)])
    receiving.record_received_case(payload, EventEnvelope.wrap(payload), running["uows"], lambda: datetime.now(UTC))
    return case_id


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


def test_a_designation_is_refused_next_to_its_field_then_recorded_as_a_designation(running: dict[str, Any]) -> None:
    case_id = arrive(running, 11, "Tranh chấp hợp đồng mua bán nhà")
    with closing(signed_in(running["console"], "chanhan")) as client:
        inbox = client.get("/inbox").text
        assert f'href="/inbox/{case_id}"' in inbox
        page = client.get(f"/inbox/{case_id}")
        assert page.status_code == 200 and "Vụ án đang chờ phân công Thẩm phán." in page.text
        assert "Hoàng Minh Em · J-PN-003 (vắng mặt hôm nay)" in page.text
        token = csrf_of(page.text)

        short = client.post(f"/inbox/{case_id}/designate",
                            data={"csrf_token": token, "judge_id": "J-PN-002", "reason": "ngắn"})
        assert short.status_code == 422
        assert "ít nhất 10 ký tự" in errors_of(short.text, "designate-reason-errors")
        assert 'value="J-PN-002" selected' in short.text  # what was chosen is kept

        away = client.post(f"/inbox/{case_id}/designate",
                           data={"csrf_token": token, "judge_id": "J-PN-003",
                                 "reason": "Vụ án cần Thẩm phán có kinh nghiệm về nhà ở"})
        assert away.status_code == 422
        assert "J-PN-003" in errors_of(away.text, "designate-judge_id-errors")
        assert "Vụ án cần Thẩm phán có kinh nghiệm về nhà ở" in away.text

        done = client.post(f"/inbox/{case_id}/designate", follow_redirects=False,
                           data={"csrf_token": token, "judge_id": "J-PN-002",
                                 "reason": "Vụ án cần Thẩm phán có kinh nghiệm về nhà ở"})
        assert done.status_code == 303 and done.headers["location"] == f"/inbox/{case_id}"
        shown = client.get(f"/inbox/{case_id}").text
        assert "Đã chỉ định Thẩm phán Phạm Thị Dung" in shown and "Chỉ định (designation)" in shown
        assert "Vụ án cần Thẩm phán có kinh nghiệm về nhà ở" in shown
        assert f'href="/inbox/{case_id}"' not in client.get("/inbox").text  # it left the inbox

        running["rpc"].call("assignment", "draw_panel", token=running["president"], case_id=case_id)
        head = re.search(r'<dd class="assigned-judge">(.*?)</dd>', client.get(f"/inbox/{case_id}").text, re.S)
        assert head and "Phạm Thị Dung" in head.group(1) and 'class="method designation">Chỉ định' in head.group(1)
        assert "Vụ án cần Thẩm phán có kinh nghiệm về nhà ở" in head.group(1)  # the designation's reason, beside it


def test_the_panel_is_drawn_shown_seat_by_seat_verified_and_a_member_replaced(running: dict[str, Any]) -> None:
    case_id = arrive(running, 12, "Tranh chấp hợp đồng vay tài sản")
    running["rpc"].call("assignment", "assign_random", token=running["president"], case_id=case_id)
    with closing(signed_in(running["console"], "chanhan")) as client:
        page = client.get(f"/inbox/{case_id}")
        assert "Chưa lập Hội đồng xét xử cho giai đoạn này." in page.text
        token = csrf_of(page.text)

        enlarged = client.post(f"/inbox/{case_id}/panel", data={"csrf_token": token, "complex_case": "on"})
        assert enlarged.status_code == 422 and 'id="panel-reason-errors"' in enlarged.text
        assert 'name="complex_case" value="on" class="check" checked' in enlarged.text

        drawn = client.post(f"/inbox/{case_id}/panel", data={"csrf_token": token}, follow_redirects=False)
        assert drawn.status_code == 303
        shown = client.get(f"/inbox/{case_id}").text
        assert "Đã lập Hội đồng xét xử vụ án 12/2026/TLST-DS." in shown
        head = re.search(r'<dd class="assigned-judge">(.*?)</dd>', shown, re.S)
        assert head and 'class="method random">Bốc thăm ngẫu nhiên' in head.group(1)
        assert "/inbox/draws/" in head.group(1)  # the judge's own draw can be replayed too
        seats = re.findall(r'data-seat="([^"]+)"', shown)
        assert seats == ["presiding", "assessor-1", "assessor-2", "clerk"]
        assert shown.count('class="method random"') >= 3 and "Khoản 1 Điều 63 BLTTDS 2015" in shown
        panel = running["rpc"].call("assignment", "panel", token=running["president"], case_id=case_id)
        assert panel["seed_commitment"] in shown

        verified = client.get(f"/inbox/draws/{panel['draw_id']}")
        assert verified.status_code == 200 and "Khớp: chạy lại từ hồ sơ lượt bốc thăm" in verified.text
        assert client.get("/inbox/draws/DR-DOES-NOT-EXIST").status_code == 404

        first = next(s for s in panel["seats"] if s["seat"] == "assessor-1")
        no_reason = client.post(f"/inbox/{case_id}/panel/replace",
                                data={"csrf_token": token, "member_id": first["member_id"], "reason": ""})
        assert no_reason.status_code == 422 and 'id="replace-reason-errors"' in no_reason.text

        wrong_kind = client.post(f"/inbox/{case_id}/panel/replace",
                                 data={"csrf_token": token, "member_id": first["member_id"],
                                       "reason": "Hội thẩm nhân dân bị ốm dài ngày", "designate": "TK-PN-002"})
        assert wrong_kind.status_code == 422
        assert "TK-PN-002" in errors_of(wrong_kind.text, "replace-designate-errors")

        free = next(a for a, _ in ASSESSORS if a not in {s["member_id"] for s in panel["seats"]})
        replaced = client.post(f"/inbox/{case_id}/panel/replace", follow_redirects=False,
                               data={"csrf_token": token, "member_id": first["member_id"],
                                     "reason": "Hội thẩm nhân dân bị ốm dài ngày", "designate": free})
        assert replaced.status_code == 303
        after = client.get(f"/inbox/{case_id}").text
        assert f"Đã thay {first['member_id']}" in after
        row = re.search(r'data-seat="assessor-1">(.*?)</tr>', after, re.S)
        assert row and free in row.group(1) and 'class="method designation">Chỉ định' in row.group(1)
        assert "Hội thẩm nhân dân bị ốm dài ngày" in row.group(1)


def test_reassignment_needs_a_reason_and_moves_the_case(running: dict[str, Any]) -> None:
    case_id = arrive(running, 13, "Tranh chấp thừa kế tài sản")
    first = running["rpc"].call("assignment", "assign_random", token=running["president"], case_id=case_id)
    with closing(signed_in(running["console"], "chanhan")) as client:
        token = csrf_of(client.get(f"/inbox/{case_id}").text)
        refused = client.post(f"/inbox/{case_id}/reassign", data={"csrf_token": token, "reason": "?"})
        assert refused.status_code == 422 and 'id="reassign-reason-errors"' in refused.text
        moved = client.post(f"/inbox/{case_id}/reassign", follow_redirects=False,
                            data={"csrf_token": token, "reason": "Thẩm phán được điều động sang Tòa án khác"})
        assert moved.status_code == 303
        shown = client.get(f"/inbox/{case_id}").text
        assert "Đã thay đổi Thẩm phán vụ án 13/2026/TLST-DS" in shown and "Bốc thăm ngẫu nhiên" in shown
        assert first["judge_name"] not in re.search(r"Đã thay đổi Thẩm phán[^<]*", shown).group(0)


def test_the_reception_inbox_shows_what_awaits_a_decision_with_its_counting_date(running: dict[str, Any]) -> None:
    payload = ReceptionRegisteredV1(
        court_id=COURT, reception_id="R-PN0001", reception_number="125/2026/TN", kind="petition", case_type="DS",
        stage="ST", channel="post", received_at=datetime(2026, 11, 27, 2, 0, tzinfo=UTC),
        counts_from=date(2026, 11, 25), counting_basis="postmark", related_case_id=None, document_count=2,
        party_count=2)
    reception.record_registered(payload, EventEnvelope.wrap(payload), running["uows"], lambda: datetime.now(UTC))
    with closing(signed_in(running["console"], "chanhan")) as client:
        inbox = client.get("/inbox").text
        row = re.search(r'<table class="list reception-awaiting">(.*?)</table>', inbox, re.S)
        assert row, inbox
        assert 'href="/reception/register/R-PN0001"' in row.group(1) and "125/2026/TN" in row.group(1)
        assert "25/11/2026" in row.group(1) and "dấu bưu chính" in row.group(1)


def test_the_fairness_view_in_vietnamese_and_in_english(running: dict[str, Any]) -> None:
    with closing(signed_in(running["console"], "chanhan")) as client:
        page = client.get("/fairness")
        assert page.status_code == 200 and "Chỉ số Gini" in page.text
        for judge_id, name in JUDGES:
            assert f'data-judge="{judge_id}"' in page.text and name in page.text
        assert "HT-PN-001" not in page.text  # lay assessors are not part of the judges' load
        loads = re.findall(r'<span class="load-value">([^<]+)</span>', page.text)
        assert loads and all(re.fullmatch(r"\d+,\d\d", value) for value in loads), loads
        assert re.search(r'class="escape-rate">\d+,\d\d %<', page.text)
        fairness = running["rpc"].call("assignment", "fairness", token=running["president"])
        assert f'class="designations">{fairness["designations"]}<' in page.text and fairness["designations"] >= 1
        english = client.get("/fairness", params={"lang": "en"}).text
        assert "Gini index" in english
        assert all(re.fullmatch(r"\d+\.\d\d", v) for v in re.findall(r'class="load-value">([^<]+)<', english))
        cases = client.get("/fairness/judges/J-PN-002")
        assert cases.status_code == 200 and "Tranh chấp hợp đồng mua bán nhà" in cases.text


def test_only_the_president_opens_these_pages_and_posts_need_csrf(running: dict[str, Any]) -> None:
    case_id = make_case_id(COURT, 2026, 11)
    with closing(signed_in(running["console"], "thamphan")) as client:
        for path in (f"/inbox/{case_id}", "/fairness", "/fairness/judges/J-PN-001", "/inbox/draws/DR-1"):
            response = client.get(path)
            assert response.status_code == 403 and "Bạn không có quyền mở trang này" in response.text, path
    with closing(signed_in(running["console"], "chanhan")) as client:
        for path in ("designate", "reassign", "panel", "panel/replace"):
            assert client.post(f"/inbox/{case_id}/{path}", data={"reason": "x" * 20}).status_code == 403
        assert client.get("/inbox/not-a-case").status_code == 404
        display = "79KV01-2026-000011-" + case_id[-2:]
        opened = client.get("/inbox/open", params={"case": display}, follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == f"/inbox/{case_id}"
        garbage = client.get("/inbox/open", params={"case": "79KV01-xyz"}, follow_redirects=False)
        assert garbage.status_code == 303 and garbage.headers["location"] == "/inbox"
        assert "Mã vụ án không hợp lệ." in client.get("/inbox").text
        unknown = client.get(f"/inbox/{make_case_id(COURT, 2026, 999)}")
        assert unknown.status_code == 404
