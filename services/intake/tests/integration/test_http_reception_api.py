"""The reception register and party registry over real HTTP: intake web + worker, RabbitMQ, PostgreSQL, S3."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from ecourt_intake.adapters.orm import outbox, parties, receptions
from ecourt_shared.auth import Role
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.integration
PDF = blank_pdf(pages=2)


@pytest.fixture(scope="module")
def intake(service_processes: Any) -> str:
    service_processes("intake", "ecourt_intake")
    return service_processes("intake", "ecourt_intake", "web").url


@pytest.fixture(scope="module")
def tokens(ecourt_env: Any) -> dict[str, str]:
    return {"reception": str(ecourt_env.token(Role.RECEPTION, user_id="u-tiepnhan")),
            "president": str(ecourt_env.token(Role.PRESIDENT, user_id="u-chanhan")),
            "clerk": str(ecourt_env.token(Role.CLERK, user_id="u-thuky")),
            "judge": str(ecourt_env.token(Role.JUDGE, user_id="u-thamphan", judge_id="J-1"))}


@pytest.fixture(scope="module")
def db(ecourt_env: Any, intake: str) -> Any:
    engine = create_engine(ecourt_env.settings.database_url("intake"))
    yield engine
    engine.dispose()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def count(engine: Any, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def item(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "petition", "case_type": "DS", "subject": "Tranh chấp hợp đồng thuê nhà",
        "parties": [{"role": "plaintiff", "full_name": "Lương Thị Hạnh", "cccd": "079190001235",
                     "date_of_birth": "1990-03-04", "phone": "0903 123 456"},
                    {"role": "defendant", "full_name": "Trịnh Văn Khoa", "cccd": "079087006543"}]}
    body.update(overrides)
    return body


def post_multipart(url: str, token: str, body: dict[str, Any], key: str, files: list[bytes] | None = None
                   ) -> httpx.Response:
    uploads = [("attachments", (f"tai-lieu-{i}.pdf", data, "application/pdf"))
               for i, data in enumerate(files if files is not None else [PDF])]
    return httpx.post(f"{url}/api/v1/receptions", headers={**auth(token), "Idempotency-Key": key},
                      data={"item": json.dumps(body)}, files=uploads, timeout=30)


def post_json(url: str, token: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{url}/api/v1/receptions", headers=auth(token), json=body, timeout=30)


def decide(url: str, token: str, rid: str, **body: Any) -> httpx.Response:
    return httpx.post(f"{url}/api/v1/receptions/{rid}/decision", headers=auth(token), json=body, timeout=30)


def fields(response: httpx.Response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_posted_petition_counts_from_the_postmark_replays_and_is_accepted_by_the_president(
        intake: str, tokens: dict[str, str]) -> None:
    postmark = (date.today() - timedelta(days=6)).isoformat()
    body = item(channel="post", postmark_date=postmark, attachments=[{"title": "Đơn khởi kiện"}])
    first = post_multipart(intake, tokens["reception"], body, "http-rcpt-post-0001", files=[PDF, blank_pdf()])
    assert first.status_code == 201, first.text
    entry = first.json()
    assert (entry["counts_from"], entry["counting_basis"], entry["status"]) == (postmark, "postmark", "received")
    assert entry["reception_number"].startswith("TN") and len(entry["document_ids"]) == 2

    again = post_multipart(intake, tokens["reception"], body, "http-rcpt-post-0001", files=[PDF, blank_pdf()])
    assert again.status_code == 200 and again.json() == {**entry, "replayed": True}

    waiting = httpx.get(f"{intake}/api/v1/receptions", params={"status": "received"}, headers=auth(tokens["clerk"]))
    assert waiting.status_code == 200
    assert [r["reception_id"] for r in waiting.json()["items"]].count(entry["reception_id"]) == 1

    accepted = decide(intake, tokens["president"], entry["reception_id"], decision="accept")
    assert accepted.status_code == 200, accepted.text
    result = accepted.json()
    assert result["acceptance_number"].endswith("/TLST-DS") and result["receipt_secret"]
    assert result["decided_by"] == "u-chanhan"

    twice = decide(intake, tokens["president"], entry["reception_id"], decision="accept")
    assert twice.status_code == 409 and fields(twice) == {"reception_id"}
    done = httpx.get(f"{intake}/api/v1/receptions", params={"status": "accepted"}, headers=auth(tokens["reception"]))
    row = next(r for r in done.json()["items"] if r["reception_id"] == entry["reception_id"])
    assert (row["status"], row["case_id"]) == ("accepted", result["case_id"])


def test_json_with_base64_attachments_is_registered(intake: str, tokens: dict[str, str]) -> None:
    body = item(idempotency_key="http-rcpt-json-0001",
                attachments=[{"filename": "don.pdf", "content_base64": base64.b64encode(PDF).decode()}])
    response = post_json(intake, tokens["reception"], body)
    assert response.status_code == 201, response.text
    assert response.json()["counting_basis"] == "reception_date"


def test_refused_registration_names_each_field_and_writes_nothing(intake: str, tokens: dict[str, str],
                                                                 db: Any) -> None:
    before = (count(db, receptions), count(db, parties), count(db, outbox))
    bad = item(channel="post", parties=[{"role": "plaintiff", "full_name": "Lương Thị Hạnh", "cccd": "000190001235"},
                                        {"role": "defendant", "full_name": "Trịnh Văn Khoa"}])
    response = post_multipart(intake, tokens["reception"], bad, "http-rcpt-bad-00001", files=[b"GIF89a not a pdf"])
    assert response.status_code == 422
    assert fields(response) == {"parties.0.cccd", "postmark_date", "attachments.0"}
    assert all(e["message_vi"] and e["message_en"] for e in response.json()["errors"])
    assert (count(db, receptions), count(db, parties), count(db, outbox)) == before


def test_malformed_requests_are_field_errors_not_500s(intake: str, tokens: dict[str, str]) -> None:
    headers = auth(tokens["reception"])
    no_item = httpx.post(f"{intake}/api/v1/receptions", headers=headers, files={"attachments": ("a.pdf", PDF)})
    assert no_item.status_code == 422 and fields(no_item) == {"item"}
    no_file = httpx.post(f"{intake}/api/v1/receptions", headers={**headers, "Idempotency-Key": "http-nofile-0001"},
                         data={"item": json.dumps(item())}, files={"other": ("a.txt", b"x")})
    assert no_file.status_code == 422 and fields(no_file) == {"attachments"}
    not_json = httpx.post(f"{intake}/api/v1/receptions", headers={**headers, "Content-Type": "application/json"},
                          content=b"[1, 2")
    assert not_json.status_code == 422 and fields(not_json) == {"item"}
    array = httpx.post(f"{intake}/api/v1/receptions", headers=headers, json=[item()])
    assert array.status_code == 422 and fields(array) == {"item"}
    status = httpx.get(f"{intake}/api/v1/receptions", params={"status": "lost"}, headers=headers)
    assert status.status_code == 422 and fields(status) == {"status"}
    empty = httpx.get(f"{intake}/api/v1/parties", params={"q": "  "}, headers=headers)
    assert empty.status_code == 422 and fields(empty) == {"q"}
    other_id = decide(intake, tokens["president"], "R-AAAA", reception_id="R-BBBB", decision="accept")
    assert other_id.status_code == 422 and fields(other_id) == {"reception_id"}
    unknown = decide(intake, tokens["president"], "R-0000000000000000", decision="accept")
    assert unknown.status_code == 404


def test_decisions_check_their_own_fields(intake: str, tokens: dict[str, str]) -> None:
    created = post_multipart(intake, tokens["reception"], item(), "http-rcpt-decide-01").json()
    rid = created["reception_id"]
    no_due = decide(intake, tokens["president"], rid, decision="request_amendment", reason="Thiếu địa chỉ bị đơn")
    assert no_due.status_code == 422 and fields(no_due) == {"amendment_due_on"}
    bad_court = decide(intake, tokens["president"], rid, decision="transfer", reason="Không thuộc thẩm quyền",
                       transfer_to_court="HN")
    assert bad_court.status_code == 422 and fields(bad_court) == {"transfer_to_court"}
    unknown_decision = decide(intake, tokens["president"], rid, decision="approve")
    assert unknown_decision.status_code == 422 and fields(unknown_decision) == {"decision"}
    due = (date.today() + timedelta(days=15)).isoformat()
    amend = decide(intake, tokens["reception"], rid, decision="request_amendment", reason="Thiếu địa chỉ bị đơn",
                   amendment_due_on=due)
    assert amend.status_code == 200 and amend.json()["amendment_due_on"] == due
    returned = decide(intake, tokens["president"], rid, decision="return", reason="Không sửa đổi đúng hạn")
    assert returned.status_code == 200 and returned.json()["decision"] == "return"


def test_only_staff_of_the_register_may_use_it(intake: str, tokens: dict[str, str], ecourt_env: Any) -> None:
    assert httpx.get(f"{intake}/api/v1/receptions").status_code == 403
    assert httpx.get(f"{intake}/api/v1/receptions", headers=auth(tokens["judge"])).status_code == 403
    assert post_multipart(intake, tokens["judge"], item(), "http-rcpt-judge-01").status_code == 403
    assert httpx.get(f"{intake}/api/v1/parties", params={"q": "an"}, headers=auth(tokens["judge"])).status_code == 403
    other_court = str(ecourt_env.token(Role.RECEPTION, court_id="01KV02", user_id="u-other"))
    mine = post_multipart(intake, tokens["reception"], item(), "http-rcpt-court-01").json()
    theirs = httpx.get(f"{intake}/api/v1/receptions", headers=auth(other_court)).json()["items"]
    assert mine["reception_id"] not in {r["reception_id"] for r in theirs}
    assert decide(intake, other_court, mine["reception_id"], decision="accept").status_code == 404


def test_party_search_correction_history_merge_and_revert(intake: str, tokens: dict[str, str]) -> None:
    person = {"role": "defendant", "full_name": "Đặng Quốc Huy", "date_of_birth": "1971-07-07"}
    plaintiff = {"role": "plaintiff", "full_name": "Lương Thị Hạnh", "cccd": "079190001235"}
    a = post_multipart(intake, tokens["reception"], item(parties=[plaintiff, person]), "http-party-a-0001").json()
    b = post_multipart(intake, tokens["reception"], item(parties=[plaintiff, person]), "http-party-b-0001").json()
    huy_a, huy_b = a["party_ids"][1], b["party_ids"][1]
    assert [s["party_id"] for s in b["duplicate_suggestions"]] == [huy_a]
    headers = auth(tokens["reception"])

    found = httpx.get(f"{intake}/api/v1/parties", params={"q": "dang quoc huy"}, headers=headers)
    assert found.status_code == 200 and {p["party_id"] for p in found.json()["items"]} == {huy_a, huy_b}
    by_cccd = httpx.get(f"{intake}/api/v1/parties", params={"q": "079190001235"}, headers=headers).json()["items"]
    assert [p["full_name"] for p in by_cccd] == ["Lương Thị Hạnh"]

    fixed = httpx.post(f"{intake}/api/v1/parties/{huy_a}/corrections", headers=headers,
                       json={"expected_version": 1, "reason": "Bổ sung số điện thoại",
                             "changes": {"phone": "0987654321"}})
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["version"], fixed.json()["phone_e164"]) == (2, "+84987654321")
    stale = httpx.post(f"{intake}/api/v1/parties/{huy_a}/corrections", headers=headers,
                       json={"expected_version": 1, "reason": "Sửa lại", "changes": {"address": "Quận 1"}})
    assert stale.status_code == 409 and fields(stale) == {"expected_version"}
    bad_phone = httpx.post(f"{intake}/api/v1/parties/{huy_a}/corrections", headers=headers,
                           json={"expected_version": 2, "reason": "Sửa lại", "changes": {"phone": "12"}})
    assert bad_phone.status_code == 422 and fields(bad_phone) == {"changes.phone"}
    history = httpx.get(f"{intake}/api/v1/parties/{huy_a}/history", headers=headers).json()["items"]
    assert [(v["version"], v["changed_fields"]) for v in history][1] == (2, ["phone_e164"])

    merge_body = {"survivor_id": huy_a, "merged_id": huy_b, "reason": "Cùng một người"}
    refused = httpx.post(f"{intake}/api/v1/parties/merges", headers=headers, json=merge_body)
    assert refused.status_code == 403
    merged = httpx.post(f"{intake}/api/v1/parties/merges", headers=auth(tokens["clerk"]), json=merge_body)
    assert merged.status_code == 201, merged.text
    merge_id = merged.json()["merge_id"]
    assert httpx.get(f"{intake}/api/v1/parties/{huy_b}", headers=headers).json()["merged_into"] == huy_a
    no_reason = httpx.post(f"{intake}/api/v1/parties/merges/{merge_id}/revert", headers=auth(tokens["clerk"]), json={})
    assert no_reason.status_code == 422 and fields(no_reason) == {"reason"}
    reverted = httpx.post(f"{intake}/api/v1/parties/merges/{merge_id}/revert", headers=auth(tokens["president"]),
                          json={"reason": "Hai người khác nhau"})
    assert reverted.status_code == 200 and reverted.json()["reverted_by"] == "u-chanhan"
    again = httpx.post(f"{intake}/api/v1/parties/merges/{merge_id}/revert", headers=auth(tokens["president"]),
                       json={"reason": "Hai người khác nhau"})
    assert again.status_code == 409
    assert httpx.get(f"{intake}/api/v1/parties/{huy_b}", headers=headers).json()["merged_into"] is None
    assert httpx.get(f"{intake}/api/v1/parties/P-NOPE", headers=headers).status_code == 404
