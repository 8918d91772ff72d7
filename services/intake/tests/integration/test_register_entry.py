"""One register entry's full view (``reception`` RPC and ``GET /api/v1/receptions/{id}``) with the real workers.

Intake's worker and web front and casefile's worker on RabbitMQ, PostgreSQL, the MongoDB wire server and the S3
endpoint. A posted petition is asked for an amendment and then accepted: both decisions are in its history. An
appeal is accepted on a judged case (prepared in casefile as in ``test_lodging_at_reception``): the history keeps
what casefile recorded. Identifiers are masked for the president, shown to reception staff and clerks; another
court's entry does not exist for the caller.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ecourt_intake.domain.clock import legal_day, utc_now
from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import NotFound, PermissionDenied
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.scenarios import judged_case

pytestmark = pytest.mark.integration
AREA, OTHER, CITY = "79KV01", "79KV02", "79TA00"
TODAY = legal_day(utc_now())
PDF_BYTES = blank_pdf(pages=2)
PDF = base64.b64encode(PDF_BYTES).decode()


@pytest.fixture(scope="module")
def rpc(service_processes: Any, ecourt_env: Any) -> Any:
    service_processes("intake", "ecourt_intake")
    service_processes("casefile", "ecourt_casefile")
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def web(service_processes: Any, rpc: Any) -> str:
    return str(service_processes("intake", "ecourt_intake", "web").url)


def token(env: Any, role: Role, court: str = AREA, **extra: Any) -> str:
    return str(env.token(role, user_id=f"u-{role.value}-{court}", court_id=court, **extra))




@pytest.fixture(scope="module")
def posted_petition(rpc: Any, ecourt_env: Any) -> dict[str, Any]:
    """A petition by post, asked for an amendment, then accepted (two decisions in its history)."""
    desk = token(ecourt_env, Role.RECEPTION)
    postmark = TODAY - timedelta(days=3)
    registered = rpc.call("intake", "register_reception", token=desk, item={
        "idempotency_key": "entry-posted-petition", "kind": "petition", "case_type": "DS",
        "subject": "Tranh chấp hợp đồng đặt cọc", "channel": "post", "postmark_date": postmark.isoformat(),
        "parties": [{"role": "plaintiff", "full_name": "Lương Thị Hạnh", "cccd": "079190001235",
                     "phone": "0903 123 456"},
                    {"role": "defendant", "full_name": "Trịnh Văn Khoa", "cccd": "079087006543"}],
        "attachments": [{"filename": "don.pdf", "title": "Đơn khởi kiện", "content_base64": PDF}]})
    rid = registered["reception_id"]
    due = TODAY + timedelta(days=20)
    rpc.call("intake", "decide_reception", token=desk, decision={
        "reception_id": rid, "decision": "request_amendment", "reason": "Đơn chưa ghi địa chỉ bị đơn",
        "amendment_due_on": due.isoformat()})
    accepted = rpc.call("intake", "decide_reception", token=token(ecourt_env, Role.CLERK),
                        decision={"reception_id": rid, "decision": "accept"})
    return {"registered": registered, "postmark": postmark, "due": due, "accepted": accepted}


def test_an_entry_shows_its_parties_documents_counting_date_and_every_decision(rpc, ecourt_env, posted_petition):
    rid = posted_petition["registered"]["reception_id"]
    entry = rpc.call("intake", "reception", token=token(ecourt_env, Role.RECEPTION), reception_id=rid)
    assert (entry["reception_number"], entry["kind"], entry["status"]) == (
        posted_petition["registered"]["reception_number"], "petition", "accepted")
    counting = entry["counting"]
    assert (counting["counts_from"], counting["basis"]) == (posted_petition["postmark"].isoformat(), "postmark")
    assert "Điều 190" in counting["citation"] and "bưu chính" in counting["basis_vi"] and counting["basis_en"]

    [plaintiff, defendant] = entry["parties"]
    assert (plaintiff["role"], plaintiff["full_name"], defendant["role"]) == ("plaintiff", "Lương Thị Hạnh",
                                                                              "defendant")
    assert (plaintiff["cccd"], plaintiff["phone"], plaintiff["masked"]) == ("079190001235", "+84903123456", False)
    assert plaintiff["party_id"] == posted_petition["registered"]["party_ids"][0]

    [document] = entry["documents"]
    assert (document["title"], document["page_count"], document["size_bytes"]) == ("Đơn khởi kiện", 2,
                                                                                    len(PDF_BYTES))
    assert document["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert "object_key" not in document and "bucket" not in document

    amendment, acceptance = entry["decisions"]
    assert (amendment["decision"], amendment["amendment_due_on"], amendment["reason"]) == (
        "request_amendment", posted_petition["due"].isoformat(), "Đơn chưa ghi địa chỉ bị đơn")
    assert amendment["decided_by"] == f"u-reception-{AREA}" and amendment["lodging"] is None
    assert acceptance["decided_by"] == f"u-clerk-{AREA}"
    assert acceptance["acceptance_number"] == posted_petition["accepted"]["acceptance_number"]
    assert acceptance["case_code"] == posted_petition["accepted"]["case_code"] == entry["case_code"]
    assert amendment["decided_at"] < acceptance["decided_at"]


def test_the_president_sees_identifiers_masked(rpc, ecourt_env, posted_petition):
    rid = posted_petition["registered"]["reception_id"]
    entry = rpc.call("intake", "reception", token=token(ecourt_env, Role.PRESIDENT), reception_id=rid)
    plaintiff = entry["parties"][0]
    assert (plaintiff["full_name"], plaintiff["cccd"], plaintiff["phone"], plaintiff["masked"]) == (
        "Lương Thị Hạnh", "0791******35", "+8490****456", True)
    clerk = rpc.call("intake", "reception", token=token(ecourt_env, Role.CLERK), reception_id=rid)
    assert clerk["parties"][0]["cccd"] == "079190001235"


def test_another_courts_entry_does_not_exist_and_a_judge_may_not_read_the_register(rpc, ecourt_env,
                                                                                   posted_petition):
    rid = posted_petition["registered"]["reception_id"]
    with pytest.raises(NotFound):
        rpc.call("intake", "reception", token=token(ecourt_env, Role.RECEPTION, OTHER), reception_id=rid)
    with pytest.raises(NotFound):
        rpc.call("intake", "reception", token=token(ecourt_env, Role.RECEPTION), reception_id="R-0000000000000000")
    with pytest.raises(PermissionDenied):
        rpc.call("intake", "reception", token=token(ecourt_env, Role.JUDGE, judge_id="J-0001"), reception_id=rid)


def test_an_accepted_appeal_keeps_what_casefile_recorded(rpc, ecourt_env):
    case = judged_case(rpc, ecourt_env, "entry-case-appealed", TODAY - timedelta(days=5))
    desk = token(ecourt_env, Role.RECEPTION)
    appeal = rpc.call("intake", "register_reception", token=desk, item={
        "idempotency_key": "entry-appeal", "kind": "appeal", "case_type": "DS", "subject": "Kháng cáo bản án",
        "related_case": case, "parties": [{"role": "appellant", "full_name": "Võ Minh Tuấn",
                                           "cccd": "079079004321"}],
        "attachments": [{"filename": "khang-cao.pdf", "content_base64": PDF}]})
    before = rpc.call("intake", "reception", token=desk, reception_id=appeal["reception_id"])
    assert (before["accept_mode"], before["related_case_id"], before["decisions"]) == ("lodge", case, [])
    assert before["related_case_code"].replace("-", "") == case
    decided = rpc.call("intake", "decide_reception", token=desk,
                       decision={"reception_id": appeal["reception_id"], "decision": "accept"})
    after = rpc.call("intake", "reception", token=desk, reception_id=appeal["reception_id"])
    [acceptance] = after["decisions"]
    assert acceptance["lodging"] == decided["lodging"]
    assert (acceptance["lodging"]["step"], acceptance["lodging"]["stage"], acceptance["lodging"]["court_id"]) == (
        "lodge_appeal", "PT", CITY)
    assert acceptance["lodging"]["filed_on"] == TODAY.isoformat() and acceptance["case_id"] == case


def test_the_entry_over_http(web, ecourt_env, posted_petition):
    rid = posted_petition["registered"]["reception_id"]

    def get(role: Role, court: str = AREA, path: str = rid, **extra: Any) -> httpx.Response:
        return httpx.get(f"{web}/api/v1/receptions/{path}", timeout=30,
                         headers={"Authorization": f"Bearer {token(ecourt_env, role, court, **extra)}"})

    shown = get(Role.PRESIDENT)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["reception_id"] == rid and [d["decision"] for d in body["decisions"]] == ["request_amendment",
                                                                                          "accept"]
    assert body["parties"][0]["masked"] is True and body["documents"][0]["page_count"] == 2
    assert get(Role.RECEPTION, OTHER).status_code == 404
    assert get(Role.RECEPTION, path="R-0000000000000000").status_code == 404
    assert get(Role.JUDGE, judge_id="J-0001").status_code == 403
    assert get(Role.RECEPTION, path="R-bad%20id").status_code == 422
    anonymous = httpx.get(f"{web}/api/v1/receptions/{rid}", timeout=30)  # the kit answers 403 without a token
    assert anonymous.status_code == 403 and "Cần đăng nhập" in str(anonymous.json())
