"""Need to know, proven across every endpoint that shows a case: every role against every kind of case id.

Roles: the president, the assigned judge, a judge of the court not assigned, the clerk of the case, another
clerk, reception, the IT administrator, a citizen, a lawyer, and the president of another court. Case ids: a
case assigned to a judge (with a clerk), a case of the court not assigned yet, a case of another court, a
well-formed id of no case, and a malformed id. Endpoints: every casefile RPC that takes a ``case_id`` (read
from the service class, so a new one that is not in the matrix fails ``test_the_matrix_covers_every_casefile_rpc``),
the console's dossier page and the portal's lookups.

The refusals are exact: another court's case and a case that does not exist are the same ``NotFound`` (no
probing); a role outside an RPC's role gate is ``PermissionDenied`` whatever the id; staff of the court who do
not handle the case get the essentials view or ``PermissionDenied``. Personal data (names, CCCD, phone) appears
only in full views, masked unless the case's judge or clerk reveals it, and every full view is in the access log.
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from nameko.rpc import Rpc
from sqlalchemy import create_engine, text

from ecourt_casefile.service import CasefileService
from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.testing.documents import blank_pdf, petition

pytestmark = pytest.mark.integration

OTHER_COURT = "79KV02"  # the court owning the "other court" case
THIRD_COURT = "79KV03"  # the court of the "president of another court"
PASSWORD = "ecourt-test-password"  # as tests/conftest.py creates console accounts
COURT_TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
# The plaintiff of every petition here (ecourt_shared.testing.documents.petition) and how it must look masked.
PLAINTIFF, PLAINTIFF_CCCD, PLAINTIFF_PHONE = "Nguyễn Văn An", "079090001234", "+84912345678"
CCCD_MASKED, PHONE_MASKED = "0790******34", "+8491****678"
RAW_IDENTIFIERS = (PLAINTIFF_CCCD, PLAINTIFF_PHONE, "0912345678", "079185004321")

ROLES = ("president", "judge_assigned", "judge_unassigned", "clerk_case", "clerk_other", "reception", "it_admin",
         "citizen", "lawyer", "president_other_court")
CASES = ("assigned", "unassigned", "other_court", "nonexistent", "malformed")
NOT_STAFF = {"it_admin", "citizen", "lawyer"}  # no casefile RPC admits them (domain/access.py STAFF_ROLES)

# Valid arguments (besides token and case_id) for each casefile RPC taking a case id, so that a call is refused
# only for who is asking and about which case. Mutating calls use a document id of their own.
# Publication works on a signed judgment of the dossier (its text from signing, names from intake): BA-MATRIX is
# no document of any dossier, so a caller let in gets the procedure's own refusal (publication.unknown_document).
PUBLICATION_DOC = {"number": "01/2026/DS-ST", "persons": [{"name": "Lê Hoàng Nam"}]}
CALL_ARGS: dict[str, dict[str, Any]] = {
    "get_dossier": {},
    "case_deadline": {},
    "case_standing": {},
    "add_note": {"text": "Ghi chú kiểm thử ma trận quyền"},
    "record_step": {"step": "assign_clerk"},  # params filled in per case (see call_rpc)
    "ledger_proof": {},
    "publication_status": {},
    "flag_publication": {"document_id": "BA-MATRIX", "category": "personal_family_secret",
                         "reason": "Kiểm thử ma trận quyền", "lift": True},
    "prepare_publication": {"document_id": "BA-MATRIX", "document": PUBLICATION_DOC},
    "review_publication": {"document_id": "BA-MATRIX", "decision": "return", "reason": "Kiểm thử ma trận quyền"},
    "release_publication": {"document_id": "BA-MATRIX"},
    # An appeal against a case still in preparation: whoever is let in gets the procedure's refusal.
    "add_document": {"title": "Biên bản kiểm thử ma trận quyền", "filename": "bien-ban.pdf",
                     "content_base64": base64.b64encode(blank_pdf(pages=1)).decode()},
    "lodge_filing": {"filing": {"kind": "appeal", "reception_id": "R-MATRIX-APPEAL", "case_type": "DS",
                                "received_on": COURT_TODAY, "counts_from": COURT_TODAY}},
}
# Who may act on a case, as capacities (domain/access.capacities) each RPC accepts; written out here on
# purpose, not imported, so that a change in the service's rules shows up as a failing cell.
CAPACITIES: dict[str, frozenset[str]] = {
    "add_document": frozenset({"judge", "clerk", "president"}),
    "add_note": frozenset({"judge", "clerk", "president"}),
    "record_step": frozenset({"judge", "president"}),  # assign_clerk: by [judge, president] (civil.yaml)
    "ledger_proof": frozenset({"judge", "president"}),
    "publication_status": frozenset({"judge", "clerk", "president"}),
    "flag_publication": frozenset({"judge", "president"}),
    "prepare_publication": frozenset({"judge", "clerk"}),
    "review_publication": frozenset({"judge", "clerk", "president"}),
    "release_publication": frozenset({"judge", "clerk", "president"}),
}
ROLE_GATES: dict[str, frozenset[str]] = {  # roles (by matrix name) an RPC admits at all
    "ledger_proof": frozenset({"president", "judge_assigned", "judge_unassigned", "president_other_court"}),
}


def capacities(who: str, case: str) -> set[str]:
    if case == "assigned":
        return {"president": {"president"}, "judge_assigned": {"judge"}, "clerk_case": {"clerk"}}.get(who, set())
    if case == "unassigned":
        return {"president"} if who == "president" else set()
    return set()


def expected(rpc: str, who: str, case: str) -> str | set[str]:
    """The one outcome (or the outcomes) allowed for this cell."""
    if who in NOT_STAFF or (rpc in ROLE_GATES and who not in ROLE_GATES[rpc]):
        return "denied"
    if case == "malformed":
        return "rejected"
    if case in ("other_court", "nonexistent") or who == "president_other_court":
        return "not_found"
    held = capacities(who, case)
    if rpc == "get_dossier":
        return "full" if held else "essentials"
    if rpc == "lodge_filing":  # the court's reception desks (reception, clerks, president) and the case's judges
        desk = who in ("president", "clerk_case", "clerk_other", "reception")
        return "rejected" if desk or "judge" in held else "denied"
    if rpc in ("case_deadline", "case_standing"):
        return "ok"  # the deadline, or who one is for the case (no personal data): any staff member of the court
    if not held & CAPACITIES[rpc]:
        return "denied"
    if rpc in ("record_step", "publication_status", "add_document", "add_note"):
        return "ok"
    return {"ok", "rejected"}  # allowed in; the procedure itself may still refuse (not checkpointed, wrong status)


def outcome(call: Callable[[], Any]) -> str:
    try:
        result = call()
    except NotFound:
        return "not_found"
    except PermissionDenied:
        return "denied"
    except (RequestRejected, Conflict):
        return "rejected"
    if isinstance(result, dict) and result.get("view") in ("full", "essentials"):
        return str(result["view"])
    return "ok"


# ---- the world: three cases, staff accounts, tokens -----------------------------------------------------------

@dataclass
class World:
    case_ids: dict[str, str]
    judge_assigned: str
    judge_unassigned: str
    clerk_case_user: str
    clerk_other_user: str
    tokens: dict[str, str]
    logins: dict[str, str]  # matrix role -> console username
    filed: dict[str, dict[str, Any]]


def eventually(check: Callable[[], Any], timeout: float = 45, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except NotFound:
            last = None
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached in {timeout}s; last value: {last!r}")


def file_petition(system: Any, key: str, court_id: str = "79KV01") -> dict[str, Any]:
    token = system.token(Role.RECEPTION, user_id="u-reception", court_id=court_id)
    response = httpx.post(f"{system.url('intake-web')}/api/v1/petitions",
                          headers={"Authorization": f"Bearer {token}"}, data={"petition": json.dumps(petition(key))},
                          files={"attachment": ("don-khoi-kien.pdf", blank_pdf(pages=2), "application/pdf")},
                          timeout=30)
    assert response.status_code == 201, (response.text, system.processes["intake-web"].log_tail(40))
    return dict(response.json())


def create_account(system: Any, username: str, roles: str, court: str = "79KV01", judge_id: str | None = None) -> str:
    """A console account; returns its user id (printed by ``create-user`` as ``account NAME (U-…)``)."""
    args = [sys.executable, "-m", "ecourt_console", "create-user", "--username", username, "--password", PASSWORD,
            "--display-name", f"Kiểm thử {username}", "--roles", roles, "--court", court]
    if judge_id:
        args += ["--judge-id", judge_id]
    done = subprocess.run(args, env={**os.environ, **system.env.env}, check=True, capture_output=True, text=True,
                          timeout=60)
    found = re.search(r"account \S+ \((U-[0-9A-F]+)\)", done.stdout + done.stderr)
    assert found, done.stdout + done.stderr
    return found.group(1)


@pytest.fixture(scope="module")
def world(system: Any) -> World:
    president = system.token(Role.PRESIDENT, user_id="u-matrix-president")
    filed = {"assigned": file_petition(system, "matrix-assigned-01"),
             "unassigned": file_petition(system, "matrix-unassigned-01"),
             "other_court": file_petition(system, "matrix-other-court-01", court_id=OTHER_COURT)}
    eventually(lambda: [c for c in system.rpc.call("assignment", "inbox", token=president)
                        if c["case_id"] == filed["assigned"]["case_id"]], what="the case in the president's inbox")
    assigned = system.rpc.call("assignment", "assign_random", token=president, case_id=filed["assigned"]["case_id"])
    judge_assigned = assigned["judge_id"]
    judge_unassigned = next(j for j, _ in system.judges if j != judge_assigned)

    clerk_case_user = create_account(system, "thuky.matrix", "clerk")
    clerk_other_user = create_account(system, "thuky.khac", "clerk")
    create_account(system, "quantri.matrix", "it_admin")
    create_account(system, "chanhan.khac", "president", court=THIRD_COURT)
    logins = {"president": "chanhan", "reception": "tiepnhan", "clerk_case": "thuky.matrix",
              "clerk_other": "thuky.khac", "it_admin": "quantri.matrix", "president_other_court": "chanhan.khac",
              "judge_assigned": f"thamphan{[j for j, _ in system.judges].index(judge_assigned)}",
              "judge_unassigned": f"thamphan{[j for j, _ in system.judges].index(judge_unassigned)}"}

    tokens = {
        "president": president,
        "judge_assigned": system.token(Role.JUDGE, user_id="u-judge-a", judge_id=judge_assigned),
        "judge_unassigned": system.token(Role.JUDGE, user_id="u-judge-b", judge_id=judge_unassigned),
        "clerk_case": system.token(Role.CLERK, user_id=clerk_case_user),
        "clerk_other": system.token(Role.CLERK, user_id=clerk_other_user),
        "reception": system.token(Role.RECEPTION, user_id="u-reception"),
        "it_admin": system.token(Role.IT_ADMIN, user_id="u-admin"),
        "citizen": system.token(Role.CITIZEN, user_id="u-citizen"),
        "lawyer": system.token(Role.LAWYER, user_id="u-lawyer"),
        "president_other_court": system.token(Role.PRESIDENT, user_id="u-president-3", court_id=THIRD_COURT),
    }
    case_ids = {name: f["case_id"] for name, f in filed.items()}
    case_ids["nonexistent"] = make_case_id("79KV01", 2026, 987_654)  # well-formed, check digits right, no case
    case_ids["malformed"] = case_ids["assigned"][:-2] + ("00" if case_ids["assigned"][-2:] != "00" else "01")

    eventually(lambda: (d := system.rpc.call("casefile", "get_dossier", token=tokens["judge_assigned"],
                                             case_id=case_ids["assigned"])) and d["view"] == "full" and d,
               what="the assigned judge's full dossier")
    eventually(lambda: system.rpc.call("casefile", "get_dossier", token=president, case_id=case_ids["unassigned"]),
               what="the unassigned case in casefile")
    other_president = system.token(Role.PRESIDENT, user_id="u-president-2", court_id=OTHER_COURT)
    eventually(lambda: system.rpc.call("casefile", "get_dossier", token=other_president,
                                       case_id=case_ids["other_court"]), what="the other court's case in casefile")
    system.rpc.call("casefile", "record_step", token=tokens["judge_assigned"], case_id=case_ids["assigned"],
                    step="assign_clerk", params={"clerk_id": clerk_case_user})
    return World(case_ids, judge_assigned, judge_unassigned, clerk_case_user, clerk_other_user, tokens, logins, filed)


def call_rpc(system: Any, world: World, rpc: str, who: str, case: str) -> Any:
    kwargs = dict(CALL_ARGS[rpc])
    if rpc == "record_step":  # idempotent on the assigned case; never makes the case's clerk someone else's
        kwargs["params"] = {"clerk_id": world.clerk_case_user if case == "assigned" else "u-clerk-unassigned"}
    return system.rpc.call("casefile", rpc, token=world.tokens[who], case_id=world.case_ids[case], **kwargs)


# ---- the casefile RPC matrix -------------------------------------------------------------------------------------

def casefile_rpcs_taking_a_case_id() -> set[str]:
    found = set()
    for name, function in inspect.getmembers(CasefileService, inspect.isfunction):
        if any(isinstance(e, Rpc) for e in getattr(function, "nameko_entrypoints", ())) and \
                "case_id" in inspect.signature(function).parameters:
            found.add(name)
    return found


def test_the_matrix_covers_every_casefile_rpc() -> None:
    assert casefile_rpcs_taking_a_case_id() == set(CALL_ARGS), (
        "a casefile RPC takes a case id but is not in the access matrix (or the matrix names one that is gone): "
        "add it to CALL_ARGS, CAPACITIES and expected()")


@pytest.mark.parametrize("rpc", sorted(CALL_ARGS))
def test_every_role_against_every_case_id(system: Any, world: World, rpc: str) -> None:
    wrong = []
    for who in ROLES:
        for case in CASES:
            want = expected(rpc, who, case)
            got = outcome(lambda: call_rpc(system, world, rpc, who, case))  # noqa: B023 (called at once)
            if got != want and not (isinstance(want, set) and got in want):
                wrong.append(f"{rpc}({who}, {case}): expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


def test_case_standing_says_who_is_involved_exactly_as_the_full_view_does(system: Any, world: World) -> None:
    """Signing's access check: involved only where the full dossier view is given, with no personal data."""
    for who in ("president", "judge_assigned", "judge_unassigned", "clerk_case", "clerk_other", "reception"):
        for case in ("assigned", "unassigned"):
            answer = call_rpc(system, world, "case_standing", who, case)
            assert answer["involved"] is (expected("get_dossier", who, case) == "full"), (who, case, answer)
            assert set(answer["capacities"]) == capacities(who, case), (who, case, answer)
            assert not any(raw in json.dumps(answer) for raw in (*RAW_IDENTIFIERS, PLAINTIFF))


# ---- personal data in the dossier -------------------------------------------------------------------------------

def access_log_rows(system: Any, case_id: str) -> list[Any]:
    engine = create_engine(system.env.settings.database_url("casefile"))
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(
                "SELECT user_id, view_kind, personal_fields, party_ids, revealed, reveal_reason FROM access_log "
                "WHERE case_id = :c ORDER BY id"), {"c": case_id}).all())
    finally:
        engine.dispose()


def plaintiff(view: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in view["party_details"] if p["role"] == "plaintiff")


def test_full_views_show_parties_masked_and_essentials_show_none(system: Any, world: World) -> None:
    case_id = world.case_ids["assigned"]
    for who in ("president", "judge_assigned", "clerk_case"):
        view = system.rpc.call("casefile", "get_dossier", token=world.tokens[who], case_id=case_id)
        party = plaintiff(view)
        assert (party["full_name"], party["cccd"], party["phone"], party["masked"]) == (
            PLAINTIFF, CCCD_MASKED, PHONE_MASKED, True), who
        assert view["revealed"] is False and view["notices"] == []
        dumped = json.dumps(view, ensure_ascii=False)
        assert not any(raw in dumped for raw in RAW_IDENTIFIERS), who
    for who in ("judge_unassigned", "clerk_other", "reception"):
        view = system.rpc.call("casefile", "get_dossier", token=world.tokens[who], case_id=case_id)
        dumped = json.dumps(view, ensure_ascii=False)
        assert view["view"] == "essentials" and "party_details" not in view and "parties" not in view
        assert PLAINTIFF not in dumped and not any(raw in dumped for raw in RAW_IDENTIFIERS), who


def test_only_the_cases_judge_and_clerk_may_reveal_and_each_reveal_is_logged(system: Any, world: World) -> None:
    case_id = world.case_ids["assigned"]
    before = len(access_log_rows(system, case_id))
    for who in ("judge_assigned", "clerk_case"):
        view = system.rpc.call("casefile", "get_dossier", token=world.tokens[who], case_id=case_id, reveal=True,
                               reason="Tống đạt giấy triệu tập cho đương sự")
        party = plaintiff(view)
        assert (party["cccd"], party["phone"], party["masked"], view["revealed"]) == (
            PLAINTIFF_CCCD, PLAINTIFF_PHONE, False, True), who
    # The president supervises, and sees identifiers masked even on request; other staff see no details at all.
    for who in ("president", "judge_unassigned", "clerk_other", "reception"):
        with pytest.raises(PermissionDenied):
            system.rpc.call("casefile", "get_dossier", token=world.tokens[who], case_id=case_id, reveal=True,
                            reason="Tống đạt giấy triệu tập cho đương sự")
    with pytest.raises(RequestRejected) as missing_reason:
        system.rpc.call("casefile", "get_dossier", token=world.tokens["judge_assigned"], case_id=case_id,
                        reveal=True)
    assert "reason" in str(missing_reason.value)

    rows = access_log_rows(system, case_id)[before:]
    assert [(r.user_id, r.revealed) for r in rows] == [("u-judge-a", True), (world.clerk_case_user, True)]
    for row in rows:
        assert set(row.personal_fields) == {"full_name", "cccd", "phone"}
        assert row.reveal_reason == "Tống đạt giấy triệu tập cho đương sự" and len(row.party_ids) == 2
    masked = access_log_rows(system, case_id)[:before]
    assert masked and all(not r.revealed and "cccd_masked" in r.personal_fields for r in masked
                          if r.view_kind == "full")


# ---- the console's dossier page ---------------------------------------------------------------------------------

def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def console_client(system: Any, username: str) -> httpx.Client:
    client = httpx.Client(base_url=system.url("console-web"), timeout=30)
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303, (username, response.status_code, response.text[:300])
    return client


CONSOLE_EXPECTED = {  # role -> case -> status of GET /cases/{id}, and whether the page is the full dossier
    "full_on_assigned": {"president", "judge_assigned", "clerk_case"},
    "full_on_unassigned": {"president"},
    "no_dossier_page": {"it_admin"},  # 403: not a role that opens dossiers
}


def test_console_dossier_page_refuses_exactly_and_never_shows_raw_identifiers(system: Any, world: World) -> None:
    wrong = []
    for who, username in world.logins.items():
        client = console_client(system, username)
        try:
            for case in CASES:
                response = client.get(f"/cases/{world.case_ids[case]}")
                page = response.text
                if any(raw in page for raw in RAW_IDENTIFIERS):
                    wrong.append(f"console {who} {case}: a raw CCCD or phone number on the page")
                if who in CONSOLE_EXPECTED["no_dossier_page"]:
                    want = 403
                elif case in ("other_court", "nonexistent", "malformed") or who == "president_other_court":
                    want = 404
                else:
                    want = 200
                if response.status_code != want:
                    wrong.append(f"console {who} {case}: expected {want}, got {response.status_code}")
                    continue
                if want != 200:
                    if world.filed.get(case, {}).get("acceptance_number", "\0") in page:
                        wrong.append(f"console {who} {case}: the refusal page names the case")
                    continue
                full = who in CONSOLE_EXPECTED[f"full_on_{case}"]
                shows_subject = "Tranh chấp hợp đồng vay tài sản" in page  # only in the full view's header
                if full != shows_subject:
                    wrong.append(f"console {who} {case}: expected {'full' if full else 'essentials'} view")
                if not full and PLAINTIFF in page:
                    wrong.append(f"console {who} {case}: a party's name on an essentials page")
        finally:
            client.close()
    # Citizens and lawyers have no console account: without a session the page is a redirect to the login.
    anonymous = httpx.get(f"{system.url('console-web')}/cases/{world.case_ids['assigned']}", timeout=30)
    if anonymous.status_code not in (302, 303, 401) or "vay tài sản" in anonymous.text:
        wrong.append(f"console anonymous: expected a redirect to the login, got {anonymous.status_code}")
    assert not wrong, "\n".join(wrong)


# ---- the portal's lookups ---------------------------------------------------------------------------------------

def test_portal_lookup_is_one_answer_for_unknown_cases_and_wrong_secrets_and_shows_no_personal_data(
        system: Any, world: World) -> None:
    portal = system.url("portal-web")
    found = eventually(lambda: (r := httpx.post(f"{portal}/api/v1/lookup", timeout=10, json={
        "case_code": world.filed["assigned"]["case_code"],
        "receipt_secret": world.filed["assigned"]["receipt_secret"]})).status_code == 200 and r,
        what="the assigned case on the portal")
    assert PLAINTIFF not in found.text and not any(raw in found.text for raw in RAW_IDENTIFIERS)

    def api(code: str, secret: str) -> httpx.Response:
        return httpx.post(f"{portal}/api/v1/lookup", json={"case_code": code, "receipt_secret": secret}, timeout=10)

    nonexistent = api(world.case_ids["nonexistent"], world.filed["assigned"]["receipt_secret"])
    wrong_secret = api(world.filed["assigned"]["case_code"], world.filed["unassigned"]["receipt_secret"])
    other_court_wrong_secret = api(world.filed["other_court"]["case_code"], world.filed["assigned"]["receipt_secret"])
    assert nonexistent.status_code == wrong_secret.status_code == other_court_wrong_secret.status_code == 404
    assert nonexistent.json() == wrong_secret.json() == other_court_wrong_secret.json()  # nothing to tell them apart
    assert api(world.case_ids["malformed"], "AAAA-BBBB-CCCC").status_code == 422

    page = httpx.post(f"{portal}/lookup", data={"case_code": world.filed["assigned"]["case_code"],
                                                "receipt_secret": world.filed["unassigned"]["receipt_secret"]},
                      timeout=10)
    assert page.status_code == 404 and "vay tài sản" not in page.text


# ---- intake unreachable: last, it stops intake ------------------------------------------------------------------

def test_zz_dossier_opens_with_references_and_a_notice_when_intake_is_down(system: Any, world: World) -> None:
    system.processes["intake-worker"].stop()
    started = time.monotonic()
    view = system.rpc.call("casefile", "get_dossier", token=world.tokens["judge_assigned"],
                           case_id=world.case_ids["assigned"], reveal=True, reason="Tống đạt giấy triệu tập")
    assert time.monotonic() - started < 10
    assert view["view"] == "full" and view["revealed"] is False
    assert [n["code"] for n in view["notices"]] == ["parties.registry_unavailable"]
    assert {(p["party_id"], p["full_name"], p["cccd"]) for p in view["party_details"]} == {
        (p["party_id"], None, None) for p in view["parties"]}
    last = access_log_rows(system, world.case_ids["assigned"])[-1]
    assert (last.user_id, last.personal_fields, last.revealed) == ("u-judge-a", [], False)
