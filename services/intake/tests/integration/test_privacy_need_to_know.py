"""Need to know for personal data in the party registry, with the real intake worker and web front and casefile.

Registry pages: reception and clerks see a party in full (logged), the president masked; search is masked for all
but the matched identifier. Dossier parties: intake learns who sits on a case from ``case_assigned`` (twice, out
of order: the latest wins; a clerk set by a casefile step too); the judge of the case sees them masked and
reveals with a reason (logged in intake); a judge of another case is refused; the president sees them masked and
may not reveal. After an appeal, the appellate court's president sees them masked at once, its judge once the
appellate assignment arrives.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ecourt_intake.domain.clock import legal_day, utc_now
from ecourt_shared.auth import Role
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1, PanelMemberV1
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.scenarios import publish_event

pytestmark = pytest.mark.integration
AREA, CITY = "79KV01", "79TA00"
TODAY = legal_day(utc_now())
PDF = base64.b64encode(blank_pdf()).decode()
PLAINTIFF_CCCD, DEFENDANT_CCCD = "001185012345", "079079004321"


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


def token(env: Any, role: Role, court: str = AREA, user_id: str | None = None, **extra: Any) -> str:
    return str(env.token(role, user_id=user_id or f"u-{role.value}-{court}", court_id=court, **extra))


def judge(env: Any, judge_id: str, court: str = AREA) -> str:
    return token(env, Role.JUDGE, court, user_id=f"u-{judge_id}", judge_id=judge_id)


def eventually(probe: Callable[[], Any], what: str, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = probe()
        except (NotFound, PermissionDenied):  # the case, or its assignment, has not arrived yet
            result = None
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def publish(env: Any, payload: Any, envelope: EventEnvelope | None = None) -> EventEnvelope:
    return publish_event(env.settings.amqp_uri, payload, envelope)


def assignment(case_id: str, judge_id: str, minutes: int, court: str = AREA, panel: list[str] | None = None,
               clerk_id: str | None = None) -> CaseAssignedV1:
    seats = None if panel is None else [PanelMemberV1(member_id=m, full_name=m, kind="judge", seat=f"judge-{i}")
                                        for i, m in enumerate(panel, 1)]
    return CaseAssignedV1(court_id=court, case_id=case_id, judge_id=judge_id, judge_name=judge_id, method="random",
                          draw_id=None, assigned_by="u-chanhan", panel=seats, clerk_id=clerk_id,
                          assigned_at=utc_now() - timedelta(hours=1) + timedelta(minutes=minutes))


def file_case(rpc: Any, env: Any, key: str) -> dict[str, Any]:
    filed = rpc.call("intake", "file_petition", token=token(env, Role.RECEPTION), petition={
        "idempotency_key": key, "case_type": "DS", "subject": "Tranh chấp hợp đồng vay tài sản",
        "parties": [{"role": "plaintiff", "full_name": "Phạm Thị Lan", "cccd": PLAINTIFF_CCCD,
                     "date_of_birth": "1985-03-02", "phone": "0912345678",
                     "address": "12 Lê Lợi, Phường Bến Nghé, TP. Hồ Chí Minh"},
                    {"role": "defendant", "full_name": "Võ Minh Tuấn", "cccd": DEFENDANT_CCCD}],
        "attachment": {"filename": "don-khoi-kien.pdf", "content_base64": PDF}})
    president = token(env, Role.PRESIDENT)
    eventually(lambda: rpc.call("casefile", "case_deadline", token=president, case_id=filed["case_id"]),
               "the dossier in casefile")
    return dict(filed)


@pytest.fixture(scope="module")
def case(rpc: Any, ecourt_env: Any) -> dict[str, Any]:
    """A case whose assignments arrive twice and out of order: J-0002 (with panel and clerk) is the latest."""
    filed = file_case(rpc, ecourt_env, "privacy-case")
    case_id = filed["case_id"]
    later = publish(ecourt_env, assignment(case_id, "J-0002", 20, panel=["J-0002", "J-0003"],
                                           clerk_id="u-clerk-of-case"))
    publish(ecourt_env, later.open(CaseAssignedV1), later)  # the same event again (a redelivery)
    publish(ecourt_env, assignment(case_id, "J-0001", 0))  # the earlier one, arriving last
    publish(ecourt_env, assignment(case_id, "J-0001", 0))
    party_ids = [p["party_id"] for p in rpc.call("intake", "search_parties", token=token(ecourt_env, Role.CLERK),
                                                   text=PLAINTIFF_CCCD)]
    eventually(lambda: rpc.call("casefile", "get_dossier", token=judge(ecourt_env, "J-0002"), case_id=case_id)
               ["view"] == "full", "the assignment in casefile")
    return {**filed, "plaintiff_id": party_ids[0]}


def dossier_parties(rpc: Any, tok: str, case: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    return list(rpc.call("intake", "dossier_parties", token=tok, case_id=case["case_id"],
                         party_ids=[case["plaintiff_id"]], **extra))


# --- registry pages --------------------------------------------------------------------------------------------

def test_reception_and_clerks_see_a_party_in_full_and_the_view_is_logged(rpc, ecourt_env, case):
    pid = case["plaintiff_id"]
    for role in (Role.RECEPTION, Role.CLERK):
        shown = rpc.call("intake", "party", token=token(ecourt_env, role), party_id=pid)
        assert (shown["cccd"], shown["phone_e164"], shown["date_of_birth"], shown["masked"]) == (
            PLAINTIFF_CCCD, "+84912345678", "1985-03-02", False)
        assert shown["address"] == "12 Lê Lợi, Phường Bến Nghé, TP. Hồ Chí Minh"
    views = rpc.call("intake", "personal_data_views", token=token(ecourt_env, Role.PRESIDENT), party_id=pid)
    seen = [(v["viewer_id"], v["purpose"], v["ground"]) for v in views if v["purpose"] == "party"]
    assert seen == [(f"u-reception-{AREA}", "party", "reception_desk"), (f"u-clerk-{AREA}", "party",
                                                                          "clerk_service")]
    assert set(views[-1]["fields"]) == {"cccd", "phone_e164", "date_of_birth", "address"}


def test_the_president_sees_the_registry_masked_and_leaves_no_unmasked_view(rpc, ecourt_env, case):
    president, pid = token(ecourt_env, Role.PRESIDENT), case["plaintiff_id"]
    before = len(rpc.call("intake", "personal_data_views", token=president, party_id=pid))
    shown = rpc.call("intake", "party", token=president, party_id=pid)
    assert (shown["full_name"], shown["cccd"], shown["phone_e164"], shown["date_of_birth"], shown["birth_year"],
            shown["address"], shown["masked"]) == ("Phạm Thị Lan", "0011******45", "+8491****678", None, 1985,
                                                   "***, TP. Hồ Chí Minh", True)
    [version] = rpc.call("intake", "party_history", token=president, party_id=pid)
    assert (version["snapshot"]["cccd"], version["snapshot"]["date_of_birth"], version["masked"]) == (
        "0011******45", None, True)
    assert len(rpc.call("intake", "personal_data_views", token=president, party_id=pid)) == before
    with pytest.raises(PermissionDenied):  # the audit log is the president's
        rpc.call("intake", "personal_data_views", token=token(ecourt_env, Role.RECEPTION), party_id=pid)


def test_search_is_masked_except_the_identifier_that_matched(rpc, ecourt_env, case):
    desk = token(ecourt_env, Role.RECEPTION)
    [by_name] = rpc.call("intake", "search_parties", token=desk, text="pham thi lan")
    assert (by_name["cccd"], by_name["phone_e164"], by_name["date_of_birth"], by_name["matched_by"]) == (
        "0011******45", "+8491****678", None, None)
    [by_cccd] = rpc.call("intake", "search_parties", token=desk, text=PLAINTIFF_CCCD)
    assert (by_cccd["cccd"], by_cccd["phone_e164"], by_cccd["matched_by"]) == (PLAINTIFF_CCCD, "+8491****678",
                                                                                  "cccd")
    views = rpc.call("intake", "personal_data_views", token=token(ecourt_env, Role.PRESIDENT),
                     party_id=case["plaintiff_id"])
    assert any(v["purpose"] == "search_match" and v["fields"] == ["cccd"] and v["viewer_id"] == f"u-reception-{AREA}"
               for v in views)


def test_the_party_endpoints_over_http_apply_the_same_rule(web, ecourt_env, case):
    def get(role: Role, path: str) -> dict[str, Any]:
        answer = httpx.get(f"{web}/api/v1/parties{path}", timeout=30,
                           headers={"Authorization": f"Bearer {token(ecourt_env, role)}"})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    pid = case["plaintiff_id"]
    assert get(Role.PRESIDENT, f"/{pid}")["cccd"] == "0011******45"
    assert get(Role.RECEPTION, f"/{pid}")["cccd"] == PLAINTIFF_CCCD
    assert get(Role.PRESIDENT, f"/{pid}/history")["items"][0]["snapshot"]["phone_e164"] == "+8491****678"
    assert get(Role.CLERK, "?q=pham+thi+lan")["items"][0]["cccd"] == "0011******45"


# --- the dossier's parties -------------------------------------------------------------------------------------

def test_the_latest_assignment_decides_whatever_the_order_of_arrival(rpc, ecourt_env, case):
    [shown] = dossier_parties(rpc, judge(ecourt_env, "J-0002"), case)
    assert (shown["full_name"], shown["cccd"], shown["masked"]) == ("Phạm Thị Lan", "0011******45", True)
    with pytest.raises(PermissionDenied):  # assigned earlier, replaced by the later assignment
        dossier_parties(rpc, judge(ecourt_env, "J-0001"), case)
    assert dossier_parties(rpc, judge(ecourt_env, "J-0003"), case)[0]["full_name"] == "Phạm Thị Lan"  # panel


def test_a_judge_or_clerk_of_another_case_is_refused(rpc, ecourt_env, case):
    with pytest.raises(PermissionDenied):
        dossier_parties(rpc, judge(ecourt_env, "J-0099"), case)
    with pytest.raises(PermissionDenied):
        dossier_parties(rpc, token(ecourt_env, Role.CLERK, user_id="u-another-clerk"), case)
    with pytest.raises(NotFound):  # a court that does not hold the case: it does not exist there
        dossier_parties(rpc, judge(ecourt_env, "J-0002", court="79KV02"), case)
    essentials = rpc.call("casefile", "get_dossier", token=judge(ecourt_env, "J-0099"), case_id=case["case_id"])
    assert essentials["view"] == "essentials" and "party_details" not in essentials


def test_the_judge_of_the_case_reveals_with_a_reason_and_intake_logs_it(rpc, ecourt_env, case):
    tok = judge(ecourt_env, "J-0002")
    masked = rpc.call("casefile", "get_dossier", token=tok, case_id=case["case_id"])
    plaintiff = next(p for p in masked["party_details"] if p["role"] == "plaintiff")
    assert (plaintiff["full_name"], plaintiff["cccd"], plaintiff["masked"]) == ("Phạm Thị Lan", "0011******45", True)
    revealed = rpc.call("casefile", "get_dossier", token=tok, case_id=case["case_id"], reveal=True,
                        reason="Tống đạt giấy triệu tập")
    plaintiff = next(p for p in revealed["party_details"] if p["role"] == "plaintiff")
    assert (plaintiff["cccd"], plaintiff["phone"], plaintiff["masked"]) == (PLAINTIFF_CCCD, "+84912345678", False)
    views = rpc.call("intake", "personal_data_views", token=token(ecourt_env, Role.PRESIDENT),
                     party_id=case["plaintiff_id"])
    reveal = [v for v in views if v["purpose"] == "dossier_reveal"]
    assert [(v["viewer_id"], v["ground"], v["reason"], v["case_id"], v["fields"]) for v in reveal] == [
        ("u-J-0002", "case_judge", "Tống đạt giấy triệu tập", case["case_id"], ["cccd", "phone"])]
    clerk = token(ecourt_env, Role.CLERK, user_id="u-clerk-of-case")
    assert dossier_parties(rpc, clerk, case, reveal=True, reason="Gửi thông báo thụ lý")[0]["cccd"] == PLAINTIFF_CCCD


def test_the_president_sees_the_dossier_parties_masked_and_may_not_reveal(rpc, ecourt_env, case):
    president = token(ecourt_env, Role.PRESIDENT)
    assert dossier_parties(rpc, president, case)[0]["cccd"] == "0011******45"
    with pytest.raises(PermissionDenied):
        dossier_parties(rpc, president, case, reveal=True, reason="Kiểm tra hồ sơ")


def test_a_clerk_assigned_by_a_casefile_step_replaces_the_drawn_one(rpc, ecourt_env, case):
    rpc.call("casefile", "record_step", token=judge(ecourt_env, "J-0002"), case_id=case["case_id"],
             step="assign_clerk", on=TODAY.isoformat(), params={"clerk_id": "u-clerk-by-step"})
    by_step = token(ecourt_env, Role.CLERK, user_id="u-clerk-by-step")
    shown = eventually(lambda: dossier_parties(rpc, by_step, case, reveal=True, reason="Tống đạt thông báo"),
                       "the assign_clerk step in intake")
    assert shown[0]["cccd"] == PLAINTIFF_CCCD
    with pytest.raises(PermissionDenied):
        dossier_parties(rpc, token(ecourt_env, Role.CLERK, user_id="u-clerk-of-case"), case)


def test_bad_input_is_refused_by_field(rpc, ecourt_env, case):
    tok = judge(ecourt_env, "J-0002")
    for extra, field in (({"case_id": None}, "case_id"), ({"case_id": "not-a-case"}, "case_id"),
                         ({"reveal": True}, "reason"), ({"reveal": "yes"}, "reveal"),
                         ({"party_ids": "P-1"}, "party_ids")):
        with pytest.raises(RequestRejected) as refused:
            rpc.call("intake", "dossier_parties", token=tok, **{"case_id": case["case_id"],
                                                                "party_ids": [case["plaintiff_id"]], **extra})
        assert [e.field for e in refused.value.errors] == [field]
    # a party of another case is left out, even for a judge who may see this one
    other = rpc.call("intake", "file_petition", token=token(ecourt_env, Role.RECEPTION), petition={
        "idempotency_key": "privacy-other-case", "case_type": "DS", "subject": "Tranh chấp hợp đồng thuê nhà",
        "parties": [{"role": "plaintiff", "full_name": "Đỗ Thị Mai", "cccd": "079190007777"},
                    {"role": "defendant", "full_name": "Lý Văn Hùng", "cccd": "079080008888"}],
        "attachment": {"filename": "don.pdf", "content_base64": PDF}})
    outsider = other["party_ids"][0]
    shown = rpc.call("intake", "dossier_parties", token=tok, case_id=case["case_id"],
                     party_ids=[case["plaintiff_id"], outsider, "P-0000000000000000"])
    assert [p["party_id"] for p in shown] == [case["plaintiff_id"]]


# --- after an appeal -------------------------------------------------------------------------------------------

def test_the_appellate_judge_sees_the_parties_once_assigned(rpc, ecourt_env):
    filed = file_case(rpc, ecourt_env, "privacy-appealed")
    case_id, pronounced = filed["case_id"], TODAY - timedelta(days=5)
    publish(ecourt_env, assignment(case_id, "J-0007", 0))
    trial_judge = judge(ecourt_env, "J-0007")

    def step(name: str, on: Any, **params: Any) -> dict[str, Any]:
        return dict(rpc.call("casefile", "record_step", token=trial_judge, case_id=case_id, step=name,
                             on=on.isoformat(), params={k: v.isoformat() if hasattr(v, "isoformat") else v
                                                        for k, v in params.items()}))

    eventually(lambda: step("decide_to_try", pronounced - timedelta(days=10), hearing_on=pronounced, room="P.3"),
               "the trial judge's assignment")
    step("pronounce_judgment", pronounced)
    desk = token(ecourt_env, Role.RECEPTION)
    appeal = rpc.call("intake", "register_reception", token=desk, item={
        "idempotency_key": "privacy-appeal", "kind": "appeal", "case_type": "DS", "subject": "Kháng cáo bản án",
        "related_case": case_id, "parties": [{"role": "appellant", "full_name": "Võ Minh Tuấn",
                                              "cccd": DEFENDANT_CCCD}],
        "attachments": [{"filename": "khang-cao.pdf", "content_base64": PDF}]})
    decided = rpc.call("intake", "decide_reception", token=desk,
                       decision={"reception_id": appeal["reception_id"], "decision": "accept"})
    assert decided["lodging"]["court_id"] == CITY

    appellate = judge(ecourt_env, "J-0101", court=CITY)
    plaintiff_id = rpc.call("intake", "search_parties", token=desk, text=PLAINTIFF_CCCD)[0]["party_id"]
    city_president = token(ecourt_env, Role.PRESIDENT, CITY)
    masked = eventually(lambda: rpc.call("intake", "dossier_parties", token=city_president, case_id=case_id,
                                         party_ids=[plaintiff_id]), "the appeal's stage opening in intake")
    assert masked[0]["cccd"] == "0011******45"  # the court now holding the case: its president, masked
    with pytest.raises(PermissionDenied):  # no appellate judge sits on it yet
        rpc.call("intake", "dossier_parties", token=appellate, case_id=case_id, party_ids=[plaintiff_id])
    publish(ecourt_env, assignment(case_id, "J-0101", 30, court=CITY, panel=["J-0101", "J-0102", "J-0103"],
                                   clerk_id="u-clerk-city"))
    full = eventually(lambda: (lambda d: d if d["view"] == "full" and d["party_details"][0].get("full_name")
                               else None)(rpc.call("casefile", "get_dossier", token=appellate, case_id=case_id)),
                      "the appellate assignment")
    assert {p["full_name"] for p in full["party_details"]} == {"Phạm Thị Lan", "Võ Minh Tuấn"}
    assert not full["notices"] and all(p["masked"] for p in full["party_details"])
    revealed = rpc.call("casefile", "get_dossier", token=judge(ecourt_env, "J-0102", court=CITY), case_id=case_id,
                        reveal=True, reason="Triệu tập phiên tòa phúc thẩm")
    assert {p["cccd"] for p in revealed["party_details"]} == {PLAINTIFF_CCCD, DEFENDANT_CCCD}
    assert rpc.call("intake", "party", token=city_president, party_id=plaintiff_id)["cccd"] == "0011******45"
    views = rpc.call("intake", "personal_data_views", token=city_president, party_id=plaintiff_id)
    assert [(v["viewer_id"], v["ground"], v["court_id"]) for v in views] == [("u-J-0102", "case_panel", CITY)]
