"""The reception register, its decisions and the party registry over RPC against the real intake worker."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from kombu import Connection
from sqlalchemy import create_engine, func, select

from ecourt_intake.adapters.orm import cases, outbox, parties, receptions
from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.integration
PDF = base64.b64encode(blank_pdf(pages=2)).decode()


@pytest.fixture(scope="module")
def rpc(service_processes: Any, ecourt_env: Any) -> Any:
    service_processes("intake", "ecourt_intake")
    pool = RpcClientPool(ecourt_env.settings.amqp_uri)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def db(ecourt_env: Any, rpc: Any) -> Any:
    engine = create_engine(ecourt_env.settings.database_url("intake"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def reception(ecourt_env: Any) -> str:
    return str(ecourt_env.token(Role.RECEPTION, user_id="u-tiepnhan"))


@pytest.fixture(scope="module")
def clerk(ecourt_env: Any) -> str:
    return str(ecourt_env.token(Role.CLERK, user_id="u-thuky"))


def count(engine: Any, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def drain(amqp_uri: str, queue: str, wait: float = 3.0) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    deadline = time.monotonic() + wait
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        while time.monotonic() < deadline:
            message = channel.basic_get(queue, no_ack=True)
            if message is None:
                time.sleep(0.1)
                continue
            bodies.append(json.loads(message.body))
        channel.close()
    return bodies


def register(rpc: Any, token: str, key: str, **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "idempotency_key": key, "kind": "petition", "case_type": "DS", "subject": "Tranh chấp hợp đồng mua bán",
        "parties": [{"role": "plaintiff", "full_name": "Phạm Thị Lan", "cccd": "001185012345",
                     "date_of_birth": "1985-02-03", "phone": "0912 345 678"},
                    {"role": "defendant", "kind": "organization", "full_name": "Công ty Cổ phần B",
                     "tax_code": "0314409058-002"}],
        "attachments": [{"filename": "don.pdf", "content_base64": PDF}]}
    item.update(overrides)
    return dict(rpc.call("intake", "register_reception", token=token, item=item))


def test_the_same_cccd_and_tax_code_are_the_same_parties_in_later_filings(rpc: Any, reception: str) -> None:
    first = register(rpc, reception, "reg-same-party-1")
    second = register(rpc, reception, "reg-same-party-2", parties=[
        {"role": "plaintiff", "full_name": "Pham Thi Lan (typed differently)", "cccd": "0011 8501 2345"},
        {"role": "defendant", "kind": "organization", "full_name": "B", "tax_code": "0314409058002"}])
    assert second["party_ids"] == first["party_ids"]
    assert first["reception_number"] != second["reception_number"]
    plaintiff = rpc.call("intake", "party", token=reception, party_id=first["party_ids"][0])
    assert (plaintiff["full_name"], plaintiff["phone_e164"]) == ("Phạm Thị Lan", "+84912345678")


def test_a_registered_party_is_referenced_by_id_and_found_without_diacritics(rpc: Any, reception: str) -> None:
    first = register(rpc, reception, "reg-by-id-0001")
    again = register(rpc, reception, "reg-by-id-0002", parties=[
        {"role": "plaintiff", "party_id": first["party_ids"][0]},
        {"role": "defendant", "party_id": first["party_ids"][1]}])
    assert again["party_ids"] == first["party_ids"]
    found = rpc.call("intake", "search_parties", token=reception, text="pham thi lan")
    assert [p["party_id"] for p in found] == [first["party_ids"][0]]


def test_same_name_and_birth_date_without_id_is_suggested_as_a_duplicate_not_matched(rpc: Any, reception: str) -> None:
    person = {"role": "defendant", "full_name": "Võ Minh Tuấn", "date_of_birth": "1979-09-09"}
    first = register(rpc, reception, "reg-dup-00001", parties=[
        {"role": "plaintiff", "full_name": "Phạm Thị Lan", "cccd": "001185012345"}, person])
    second = register(rpc, reception, "reg-dup-00002", parties=[
        {"role": "plaintiff", "full_name": "Phạm Thị Lan", "cccd": "001185012345"},
        {**person, "full_name": "VÕ MINH TUẤN"}])
    assert second["party_ids"][1] != first["party_ids"][1]
    assert [(s["input_index"], s["party_id"]) for s in second["duplicate_suggestions"]] == [(1, first["party_ids"][1])]


def test_merge_is_logged_followed_by_later_references_and_reversible(rpc: Any, reception: str, clerk: str) -> None:
    person = {"role": "defendant", "full_name": "Đỗ Hữu Nghĩa", "date_of_birth": "1966-06-06"}
    base = [{"role": "plaintiff", "full_name": "Phạm Thị Lan", "cccd": "001185012345"}]
    a = register(rpc, reception, "reg-merge-0001", parties=[*base, person])["party_ids"][1]
    b = register(rpc, reception, "reg-merge-0002", parties=[*base, person])["party_ids"][1]
    with pytest.raises(PermissionDenied):
        rpc.call("intake", "merge_parties", token=reception, merge={"survivor_id": a, "merged_id": b, "reason": "x"})
    merge = rpc.call("intake", "merge_parties", token=clerk,
                     merge={"survivor_id": a, "merged_id": b, "reason": "Cùng một người theo giấy khai sinh"})
    later = register(rpc, reception, "reg-merge-0003", parties=[*base, {"role": "defendant", "party_id": b}])
    assert later["party_ids"][1] == a  # a reference to the merged entry means the survivor
    assert rpc.call("intake", "party", token=clerk, party_id=b)["merged_into"] == a
    rpc.call("intake", "revert_merge", token=clerk, merge_id=merge["merge_id"], reason="Hai người khác nhau")
    assert rpc.call("intake", "party", token=clerk, party_id=b)["merged_into"] is None
    with pytest.raises(Conflict):
        rpc.call("intake", "revert_merge", token=clerk, merge_id=merge["merge_id"], reason="again")


def test_corrections_make_versions_and_never_overwrite_history(rpc: Any, reception: str) -> None:
    party_id = register(rpc, reception, "reg-correct-01")["party_ids"][0]
    before = rpc.call("intake", "party", token=reception, party_id=party_id)
    corrected = rpc.call("intake", "correct_party", token=reception, correction={
        "party_id": party_id, "expected_version": before["version"], "reason": "Số điện thoại mới",
        "changes": {"phone": "0987654321"}})
    assert corrected["version"] == before["version"] + 1 and corrected["phone_e164"] == "+84987654321"
    history = rpc.call("intake", "party_history", token=reception, party_id=party_id)
    assert history[0]["snapshot"]["phone_e164"] == "+84912345678"
    assert history[-1]["changed_fields"] == ["phone_e164"] and history[-1]["changed_by"] == "u-tiepnhan"
    with pytest.raises(Conflict):  # a stale correction does not silently win
        rpc.call("intake", "correct_party", token=reception, correction={
            "party_id": party_id, "expected_version": before["version"], "reason": "stale",
            "changes": {"address": "x"}})
    with pytest.raises(RequestRejected) as refused:
        rpc.call("intake", "correct_party", token=reception, correction={
            "party_id": party_id, "expected_version": corrected["version"], "reason": "sai",
            "changes": {"date_of_birth": "2001-04-03"}})
    assert refused.value.errors[0].field == "changes.cccd"


def test_another_courts_staff_cannot_see_or_correct_our_parties(rpc: Any, reception: str, ecourt_env: Any) -> None:
    party_id = register(rpc, reception, "reg-other-court")["party_ids"][0]
    other = ecourt_env.token(Role.RECEPTION, court_id="01KV02")
    with pytest.raises(NotFound):
        rpc.call("intake", "party", token=other, party_id=party_id)
    assert rpc.call("intake", "search_parties", token=other, text="pham thi lan") == []


def test_refused_reception_leaves_nothing_behind(rpc: Any, reception: str, db: Any) -> None:
    before = (count(db, receptions), count(db, parties), count(db, outbox))
    with pytest.raises(RequestRejected) as refused:
        register(rpc, reception, "reg-refused-01", channel="post", parties=[
            {"role": "plaintiff", "full_name": "Người Mới", "cccd": "079298001234", "date_of_birth": "2001-04-03"},
            {"role": "defendant", "party_id": "P-DOES-NOT-EXIST"}])
    assert {e.field for e in refused.value.errors} == {"postmark_date", "parties.0.cccd"}
    assert "birth-year digits 98 do not match date of birth 2001-04-03" in str(refused.value)
    with pytest.raises(RequestRejected) as unknown:
        register(rpc, reception, "reg-refused-02", parties=[
            {"role": "plaintiff", "full_name": "Người Mới Khác", "cccd": "079090009999"},
            {"role": "defendant", "party_id": "P-DOES-NOT-EXIST"}])
    assert unknown.value.errors[0].field == "parties.1.party_id"
    assert (count(db, receptions), count(db, parties), count(db, outbox)) == before


def test_accepting_a_petition_opens_a_case_and_routes_both_events(rpc: Any, reception: str, ecourt_env: Any) -> None:
    amqp = ecourt_env.settings.amqp_uri
    drain(amqp, "evt.intake.reception_decided.assignment", 0.2)
    item = register(rpc, reception, "reg-accept-001", kind="administrative_petition", case_type="HC")
    decided = rpc.call("intake", "decide_reception", token=reception,
                       decision={"reception_id": item["reception_id"], "decision": "accept"})
    assert decided["acceptance_number"].endswith("/TLST-HC") and decided["receipt_secret"]
    received = [e for e in drain(amqp, "evt.intake.case_received.assignment")
                if e["payload"]["case_id"] == decided["case_id"]]
    decisions = drain(amqp, "evt.intake.reception_decided.assignment")
    assert len(received) == 1 and received[0]["payload"]["documents"][0]["page_count"] == 2
    assert [(d["payload"]["decision"], d["payload"]["decided_by"]) for d in decisions] == [("accept", "u-tiepnhan")]
    assert decided["receipt_secret"] not in json.dumps(decisions + received)
    with pytest.raises(Conflict):
        rpc.call("intake", "decide_reception", token=reception,
                 decision={"reception_id": item["reception_id"], "decision": "return", "reason": "x"})


def test_amendment_request_needs_a_future_deadline_and_leaves_the_item_open(rpc: Any, reception: str) -> None:
    item = register(rpc, reception, "reg-amend-0001")
    with pytest.raises(RequestRejected) as refused:
        rpc.call("intake", "decide_reception", token=reception,
                 decision={"reception_id": item["reception_id"], "decision": "request_amendment"})
    assert {e.field for e in refused.value.errors} == {"reason", "amendment_due_on"}
    rpc.call("intake", "decide_reception", token=reception, decision={
        "reception_id": item["reception_id"], "decision": "request_amendment", "reason": "Thiếu địa chỉ bị đơn",
        "amendment_due_on": "2099-01-31"})
    transferred = rpc.call("intake", "decide_reception", token=reception, decision={
        "reception_id": item["reception_id"], "decision": "transfer", "reason": "Thuộc thẩm quyền Tòa khu vực 2",
        "transfer_to_court": "79KV02"})
    assert transferred["case_id"] is None
    register_rows = rpc.call("intake", "reception_register", token=reception, status="transferred")
    assert [r["reception_id"] for r in register_rows] == [item["reception_id"]]


def test_every_kind_that_arrives_gets_a_register_entry(rpc: Any, reception: str, db: Any) -> None:
    accused = {"role": "accused", "full_name": "Trần Văn Dũng", "cccd": "079095004567"}
    procuracy = {"role": "procuracy", "kind": "procuracy", "procuracy_code": "VKS79KV01"}
    appellant = {"role": "appellant", "full_name": "Phạm Thị Lan", "cccd": "001185012345"}
    petitioner = {**appellant, "role": "petitioner"}
    lawyer = {"role": "representative", "kind": "lawyer", "full_name": "Luật sư Hồ Văn E",
              "bar_number": "12345/TP/LS-CCHN"}
    accepted = rpc.call("intake", "decide_reception", token=reception, decision={
        "reception_id": register(rpc, reception, "reg-kind-base")["reception_id"], "decision": "accept"})
    kinds = {
        "dispatch": {"case_type": None, "parties": [], "sender": "Công an Quận 1"},
        "indictment": {"case_type": "HS", "parties": [procuracy, accused, lawyer]},
        "appeal": {"related_case": "12/2025/DS-ST", "parties": [appellant], "channel": "post",
                   "postmark_date": "2026-01-05"},
        "protest": {"related_case": "12/2025/DS-ST", "parties": [procuracy]},
        "cassation_petition": {"related_case": "157/2024/DS-PT", "parties": [petitioner]},
        "retrial_request": {"related_case": "157/2024/DS-PT", "parties": [petitioner]},
        "supplement": {"case_type": None, "parties": [], "related_case": accepted["case_code"]},
    }
    for kind, overrides in kinds.items():
        entry = register(rpc, reception, f"reg-kind-{kind}", kind=kind, **overrides)
        assert entry["status"] == "received" and entry["reception_number"].startswith("TN")
    supplement = next(r for r in rpc.call("intake", "reception_register", token=reception)
                      if r["kind"] == "supplement")
    attached = rpc.call("intake", "decide_reception", token=reception,
                        decision={"reception_id": supplement["reception_id"], "decision": "accept"})
    assert attached["case_id"] == accepted["case_id"]
    appeal = next(r for r in rpc.call("intake", "reception_register", token=reception) if r["kind"] == "appeal")
    assert appeal["counts_from"] == "2026-01-05" and appeal["counting_basis"] == "postmark"
    with pytest.raises(RequestRejected) as no_case:  # lodged on its case: a judgment number alone is not enough
        rpc.call("intake", "decide_reception", token=reception,
                 decision={"reception_id": appeal["reception_id"], "decision": "accept"})
    assert [(e.field, e.code) for e in no_case.value.errors] == [("related_case_id", "related_case_id.required")]
    assert count(db, cases) >= 1


def test_judges_may_not_register_or_decide(rpc: Any, ecourt_env: Any) -> None:
    judge = ecourt_env.token(Role.JUDGE, judge_id="J-1")
    with pytest.raises(PermissionDenied):
        register(rpc, judge, "reg-judge-0001")
