"""One civil case walked through first instance, appeal, cassation and retrial, through the nameko service.

Real PostgreSQL, MongoDB wire server and S3 endpoint (``worker_factory`` with the real adapters); every step
goes through ``record_step`` with the token of the person who records it, at the court that holds the case.
"""

from datetime import UTC, datetime

import pytest
from nameko.testing.services import worker_factory

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.service import CasefileService
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.service

AREA, CITY, SUPREME = "79KV01", "79TA00", "00TC00"


@pytest.fixture(scope="module")
def service(casefile_engine, mongo_db, ecourt_env):
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(CasefileService, db=UnitOfWorkFactory(casefile_engine, metadata),
                          dossiers=DossierStore(mongo_db), store=ObjectStore.from_settings(ecourt_env.settings),
                          auth=Authenticator(lambda token: verify_token(token, key)))


@pytest.fixture(scope="module")
def civil_case(service, events, ecourt_env):
    store = ObjectStore.from_settings(ecourt_env.settings)
    data = blank_pdf(pages=1)
    store.put_document(events.COURT, data, "application/pdf")
    payload = events.received([events.document(data)])
    service.on_case_received(payload, events.envelope(payload))
    assigned = events.assigned(payload.case_id, judge_id="J-0007")
    service.on_case_assigned(assigned, events.envelope(assigned))
    return payload.case_id


def judge(env, court=AREA, judge_id="J-0007"):
    return env.token(Role.JUDGE, user_id=f"u-{judge_id}", court_id=court, judge_id=judge_id)


def president(env, court=AREA):
    return env.token(Role.PRESIDENT, user_id=f"u-president-{court}", court_id=court)


def step(service, token, case_id, name, on, **params):
    return service.record_step(token, case_id, name, on, params)


def refusal(exc_info) -> str:
    """Codes and messages of a RequestRejected, as one string to look into."""
    return " ".join(f"{e['code']} {e['message_vi']} {e['message_en']}" for e in exc_info.value.args[0]["errors"])


def test_a_civil_case_goes_through_first_instance_appeal_cassation_and_retrial(
        service, civil_case, ecourt_env, events, pg):
    case = civil_case
    # ---- first instance at the area court
    r = step(service, judge(ecourt_env), case, "decide_to_try", "2026-03-02", hearing_on="2026-03-20", room="P.3",
             panel=["J-0007"], clerk_id="u-clerk")
    assert (r["stage"], r["state"], r["status"]) == ("ST", "hearing_scheduled", "hearing_scheduled")
    assert [d["rule_id"] for d in r["deadlines"]] == ["civil.first_instance.hearing"]
    assert r["deadlines"][0]["due_on"] == "2026-04-02" and "203" in r["deadlines"][0]["legal_basis_vi"]
    r = step(service, judge(ecourt_env), case, "pronounce_judgment", "2026-03-20")
    assert r["status"] == "decided"
    assert {d["rule_id"] for d in r["deadlines"]} == {
        "civil.appeal.judgment", "civil.protest.judgment.same_level", "civil.protest.judgment.higher_level"}
    # the appeal goes by post: the postmark counts, not the day the court received it
    clerk = ecourt_env.token(Role.CLERK, user_id="u-clerk", court_id=AREA)
    r = step(service, clerk, case, "lodge_appeal", "2026-04-08", appellant_party_id="P-00000000000000B2",
             received_on="2026-04-08", postmarked_on="2026-04-04")
    assert (r["court_id"], r["stage"], r["state"], r["status"]) == (CITY, "PT", "accepted", "accepted")
    assert "273" in r["notes"][0]["vi"]

    # ---- appeal at the city court, with the lower file attached
    with pytest.raises(NotFound):  # the area court no longer holds the case
        step(service, judge(ecourt_env), case, "decide_to_try", "2026-04-10", hearing_on="2026-05-01", room="P.1")
    r = step(service, president(ecourt_env, CITY), case, "accept", "2026-04-10")
    assert {d["rule_id"] for d in r["deadlines"]} == {"civil.appeal.acceptance_notice", "civil.appeal.preparation"}
    pt_assigned = events.assigned(case, judge_id="J-0101", court_id=CITY,
                                  assigned_at=datetime(2026, 4, 11, 2, 0, tzinfo=UTC), judge_name="Trần Thị Hoa")
    service.on_case_assigned(pt_assigned, events.envelope(pt_assigned))
    pt_judge = judge(ecourt_env, CITY, "J-0101")
    dossier = service.get_dossier(pt_judge, case)
    assert dossier["view"] == "full" and len(dossier["documents"]) == 1  # the first-instance file came along
    assert [(s["stage"], s["court_id"], s["outcome"]) for s in dossier["stages"]] == [
        ("ST", AREA, "lodge_appeal"), ("PT", CITY, None)]
    step(service, pt_judge, case, "decide_to_try", "2026-05-04", hearing_on="2026-05-20", room="PT-2")
    r = step(service, pt_judge, case, "pronounce_judgment", "2026-05-20")
    assert (r["stage"], r["status"]) == ("PT", "in_effect")  # an appellate judgment takes effect when pronounced
    assert {"civil.cassation.petition", "civil.cassation.protest", "publication.judgment"} <= {
        d["rule_id"] for d in r["deadlines"]}

    # ---- cassation, opened by the president of the Supreme People's Court
    with pytest.raises(PermissionDenied):  # the city court's president is not competent to protest
        step(service, president(ecourt_env, CITY), case, "protest_cassation", "2026-07-01", received_on="2026-07-01")
    r = step(service, president(ecourt_env, SUPREME), case, "protest_cassation", "2026-07-01",
             received_on="2026-07-01")
    assert (r["court_id"], r["stage"], r["state"]) == (SUPREME, "GĐT", "preparing")
    assert [d["rule_id"] for d in r["deadlines"] if d["rule_id"].startswith("civil")] == ["civil.cassation.hearing"]
    top = president(ecourt_env, SUPREME)
    step(service, top, case, "open_session", "2026-08-03", hearing_on="2026-08-20", room="HĐTP")
    r = step(service, top, case, "decide", "2026-08-20", result="upheld")
    assert (r["stage"], r["status"]) == ("GĐT", "in_effect")

    # ---- retrial on newly discovered grounds, within a year of learning them
    with pytest.raises(RequestRejected) as late:
        step(service, top, case, "protest_retrial", "2027-09-01", received_on="2027-09-01",
             grounds_known_on="2026-08-25")
    assert "355" in refusal(late)
    r = step(service, top, case, "protest_retrial", "2026-09-15", received_on="2026-09-15",
             grounds_known_on="2026-09-01")
    assert (r["court_id"], r["stage"], r["state"]) == (SUPREME, "TT", "preparing")
    step(service, top, case, "open_session", "2026-10-01", hearing_on="2026-10-15", room="HĐTP")
    r = step(service, top, case, "decide", "2026-10-15", result="annulled_final")
    assert (r["stage"], r["status"]) == ("TT", "in_effect")

    stages = pg("SELECT stage, court_id, outcome FROM case_stages WHERE case_id = :c ORDER BY seq", c=case)
    assert [tuple(s) for s in stages] == [("ST", AREA, "lodge_appeal"), ("PT", CITY, "protest_cassation"),
                                         ("GĐT", SUPREME, "protest_retrial"), ("TT", SUPREME, None)]
    progressed = [r.envelope["payload"] for r in pg(
        "SELECT envelope FROM outbox WHERE envelope->'payload'->>'case_id' = :c AND "
        "envelope->>'event_type' = 'case_progressed' ORDER BY id", c=case)]
    assert [p["stage"] for p in progressed][-1] == "TT" and progressed[0]["status"] == "preparing"
    assert {p["court_id"] for p in progressed} == {AREA, CITY, SUPREME}
    ledger_kinds = [r.kind for r in pg("SELECT kind FROM ledger_entries WHERE case_id = :c ORDER BY case_seq",
                                       c=case)]
    assert ledger_kinds[0] == "case.received" and "stage.lodge_appeal" in ledger_kinds
    assert ledger_kinds[-1] == "stage.decide"


def test_an_illegal_step_is_refused_with_the_rule_that_forbids_it(service, events, ecourt_env, civil_case):
    payload = events.received([])
    service.on_case_received(payload, events.envelope(payload))
    assigned = events.assigned(payload.case_id, judge_id="J-0007")
    service.on_case_assigned(assigned, events.envelope(assigned))
    with pytest.raises(RequestRejected) as refused:
        step(service, judge(ecourt_env), payload.case_id, "pronounce_judgment", "2026-02-01")
    assert "procedure.illegal_step" in refusal(refused) and "266" in refusal(refused)
    step(service, judge(ecourt_env), payload.case_id, "decide_to_try", "2026-02-02", hearing_on="2026-02-20",
         room="P.1")
    step(service, judge(ecourt_env), payload.case_id, "pronounce_judgment", "2026-02-20")
    with pytest.raises(RequestRejected) as early:  # the appeal and protest windows are still open
        step(service, judge(ecourt_env), payload.case_id, "enter_legal_effect", "2026-03-01")
    assert "procedure.window_open" in refusal(early) and "282" in refusal(early)
    with pytest.raises(RequestRejected) as late:  # 15 days from 20/02 end on 07/03 (Saturday) -> 09/03
        step(service, judge(ecourt_env), payload.case_id, "lodge_appeal", "2026-03-10",
             appellant_party_id="P-00000000000000A1", received_on="2026-03-10")
    assert "procedure.out_of_time" in refusal(late) and "273" in refusal(late)
    r = step(service, judge(ecourt_env), payload.case_id, "enter_legal_effect", "2026-03-23")
    assert r["status"] == "in_effect"


def test_suspension_pauses_and_resumption_restarts_the_preparation_period(service, events, ecourt_env, pg):
    payload = events.received([])
    service.on_case_received(payload, events.envelope(payload))
    assigned = events.assigned(payload.case_id, judge_id="J-0007")
    service.on_case_assigned(assigned, events.envelope(assigned))
    r = step(service, judge(ecourt_env), payload.case_id, "suspend", "2026-02-10", reason="chờ giám định")
    assert r["status"] == "suspended" and r["deadlines"] == []
    r = step(service, judge(ecourt_env), payload.case_id, "resume", "2026-03-16")
    [prep] = r["deadlines"]
    assert prep["due_on"] == "2026-07-16" and "Điều 203" in prep["legal_basis_vi"]
    with pytest.raises(RequestRejected) as over:
        step(service, president(ecourt_env), payload.case_id, "extend_preparation", "2026-07-01", amount=3)
    assert "procedure.extension_cap" in refusal(over)
    r = step(service, president(ecourt_env), payload.case_id, "extend_preparation", "2026-07-01", amount=2)
    assert r["deadlines"][0]["due_on"] == "2026-09-16"
    with pytest.raises(PermissionDenied):  # a clerk who is not the clerk of the case records nothing
        step(service, ecourt_env.token(Role.CLERK, user_id="u-other-clerk"), payload.case_id, "suspend",
             "2026-07-02", reason="x")
