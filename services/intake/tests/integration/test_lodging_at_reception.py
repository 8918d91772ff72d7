"""Accepting appeals, protests and cassation petitions at reception, lodged on the case in casefile.

The real intake and casefile workers on RabbitMQ, PostgreSQL, the MongoDB wire server and the S3 endpoint.
A civil case is filed at intake (casefile opens it from ``case_received``), assigned (``case_assigned`` published
as assignment's relay would), tried and judged by its judge over casefile's RPC. Lodging is dated by the real
clock, so the judgment is dated relative to today: 25 days ago, the parties' 15 days (art. 273 BLTTDS 2015)
are over and the higher procuracy's month (art. 280) is not.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from ecourt_intake.adapters.orm import reception_decisions, receptions
from ecourt_intake.domain.clock import legal_day, utc_now
from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf
from ecourt_shared.testing.scenarios import judged_case

pytestmark = pytest.mark.integration
AREA, OTHER_AREA, CITY = "79KV01", "79KV02", "79TA00"
TODAY = legal_day(utc_now())
PDF = base64.b64encode(blank_pdf(pages=1)).decode()
APPELLANT = {"role": "appellant", "full_name": "Phạm Thị Lan", "cccd": "001185012345"}
SECOND_APPELLANT = {"role": "appellant", "full_name": "Võ Minh Tuấn", "cccd": "079079004321"}
PROCURACY = {"role": "procuracy", "kind": "procuracy", "procuracy_code": "VKS79TA00"}


@pytest.fixture(scope="module")
def rpc(service_processes: Any, ecourt_env: Any) -> Any:
    service_processes("intake", "ecourt_intake")
    service_processes("casefile", "ecourt_casefile")
    pool = RpcClientPool(ecourt_env.settings.amqp_uri, timeout=30)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def intake_db(ecourt_env: Any, rpc: Any) -> Any:
    engine = create_engine(ecourt_env.settings.database_url("intake"))
    yield engine
    engine.dispose()


def desk(env: Any, court: str = AREA) -> str:
    return str(env.token(Role.RECEPTION, user_id=f"u-tiepnhan-{court}", court_id=court))




def register(rpc: Any, token: str, key: str, kind: str, related_case: str, **overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"idempotency_key": key, "kind": kind, "case_type": "DS", "subject": f"{kind} kiểm thử",
                            "related_case": related_case, "parties": [APPELLANT],
                            "attachments": [{"filename": "don.pdf", "content_base64": PDF}]}
    item.update(overrides)
    return dict(rpc.call("intake", "register_reception", token=token, item=item))


def accept(rpc: Any, token: str, reception_id: str, **fields: Any) -> dict[str, Any]:
    return dict(rpc.call("intake", "decide_reception", token=token,
                         decision={"reception_id": reception_id, "decision": "accept", **fields}))


def entry(engine: Any, reception_id: str) -> tuple[str, str | None, int]:
    with engine.connect() as conn:
        row = conn.execute(select(receptions.c.status, receptions.c.case_id)
                           .where(receptions.c.reception_id == reception_id)).one()
        decided = conn.execute(select(func.count()).select_from(reception_decisions)
                               .where(reception_decisions.c.reception_id == reception_id)).scalar_one()
    return row.status, row.case_id, int(decided)


def test_appeals_and_a_protest_accepted_at_reception_are_lodged_on_the_case(rpc, ecourt_env, intake_db):
    judgment = TODAY - timedelta(days=25)
    case = judged_case(rpc, ecourt_env, "lodging-case-appealed", judgment)

    # at the counter today: out of time, refused with the provision; nothing recorded in intake
    late = register(rpc, desk(ecourt_env), "lodging-late-appeal", "appeal", case)
    with pytest.raises(RequestRejected) as refused:
        accept(rpc, desk(ecourt_env), late["reception_id"])
    [error] = refused.value.errors
    assert (error.field, error.code) == ("decision", "procedure.out_of_time")
    assert "273" in error.message_vi and "273" in error.message_en
    assert entry(intake_db, late["reception_id"]) == ("received", None, 0)

    # by post: arrives today, after the window, with a postmark inside it: accepted, counted from the postmark
    postmark = judgment + timedelta(days=5)
    posted = register(rpc, desk(ecourt_env), "lodging-posted-appeal", "appeal", case, channel="post",
                      postmark_date=postmark.isoformat())
    decided = accept(rpc, desk(ecourt_env), posted["reception_id"])
    assert decided["case_id"] == case and decided["lodging"]["step"] == "lodge_appeal"
    assert (decided["lodging"]["court_id"], decided["lodging"]["stage"]) == (CITY, "PT")
    assert decided["lodging"]["filed_on"] == postmark.isoformat() and not decided["lodging"]["replayed"]
    assert entry(intake_db, posted["reception_id"]) == ("accepted", case, 1)

    # a second appellant, also by post within the window: joins the appellate stage of the same case
    second = register(rpc, desk(ecourt_env), "lodging-second-appeal", "appeal", case, channel="post",
                      postmark_date=(judgment + timedelta(days=6)).isoformat(), parties=[SECOND_APPELLANT])
    joined = accept(rpc, desk(ecourt_env), second["reception_id"])
    assert (joined["case_id"], joined["lodging"]["step"], joined["lodging"]["court_id"]) == (case, "join_appeal", CITY)

    # a retried accept after intake failed once casefile had recorded it: the first result, then the decision
    retried = register(rpc, desk(ecourt_env), "lodging-retried-appeal", "appeal", case, channel="post",
                       postmark_date=(judgment + timedelta(days=7)).isoformat(), parties=[SECOND_APPELLANT])
    first = rpc.call("casefile", "lodge_filing", token=desk(ecourt_env), case_id=case, filing={
        "kind": "appeal", "reception_id": retried["reception_id"], "case_type": "DS",
        "received_on": TODAY.isoformat(), "counting_basis": "postmark", "counts_from": retried["counts_from"],
        "party_ids": retried["party_ids"]})
    assert entry(intake_db, retried["reception_id"]) == ("received", None, 0)  # as if intake had crashed
    again = accept(rpc, desk(ecourt_env), retried["reception_id"])
    assert again["lodging"] == {**first, "replayed": True} and again["case_id"] == case
    assert entry(intake_db, retried["reception_id"]) == ("accepted", case, 1)

    # the procuracy's protest, received at the appellate court: its level decides the time limit
    protest = register(rpc, desk(ecourt_env, CITY), "lodging-protest", "protest", case, parties=[PROCURACY])
    with pytest.raises(RequestRejected) as no_level:
        accept(rpc, desk(ecourt_env, CITY), protest["reception_id"])
    assert [e.field for e in no_level.value.errors] == ["protest_level"]
    with pytest.raises(RequestRejected) as same_level:  # 15 days for the procuracy of the same level: over
        accept(rpc, desk(ecourt_env, CITY), protest["reception_id"], protest_level="same_level")
    assert "280" in same_level.value.errors[0].message_vi
    protested = accept(rpc, desk(ecourt_env, CITY), protest["reception_id"], protest_level="higher_level")
    assert (protested["case_id"], protested["lodging"]["step"]) == (case, "join_protest")

    # the case file holds one step per accepted filing, the retried one included once
    president = ecourt_env.token(Role.PRESIDENT, user_id="u-chanhan-city", court_id=CITY)
    dossier = rpc.call("casefile", "get_dossier", token=president, case_id=case)
    steps = [t["kind"] for t in dossier["timeline"] if t["kind"].startswith("step:")]
    assert [s for s in steps if "appeal" in s or "protest" in s] == [
        "step:lodge_appeal", "step:join_appeal", "step:join_appeal", "step:join_protest"]


def test_a_cassation_petition_is_accepted_by_the_review_court_only(rpc, ecourt_env, intake_db):
    case = judged_case(rpc, ecourt_env, "lodging-case-in-effect", TODAY - timedelta(days=80), in_effect=True)
    petitioner = {**APPELLANT, "role": "petitioner"}
    # a court that is neither the case's nor competent to review it does not find the case
    elsewhere = register(rpc, desk(ecourt_env, OTHER_AREA), "lodging-gdt-other", "cassation_petition", case,
                         parties=[petitioner])
    with pytest.raises(RequestRejected) as unknown:
        accept(rpc, desk(ecourt_env, OTHER_AREA), elsewhere["reception_id"])
    assert unknown.value.errors[0].code == "related_case.not_found"
    assert entry(intake_db, elsewhere["reception_id"]) == ("received", None, 0)
    # the court that gave the judgment is not competent for its review: transfer it
    own = register(rpc, desk(ecourt_env), "lodging-gdt-own", "cassation_petition", case, parties=[petitioner])
    with pytest.raises(RequestRejected) as not_competent:
        accept(rpc, desk(ecourt_env), own["reception_id"])
    assert not_competent.value.errors[0].code == "decision.not_competent"
    # the city court reviews the area court's judgments: accepted, recorded on the case, which stays put
    review = register(rpc, desk(ecourt_env, CITY), "lodging-gdt-city", "cassation_petition", case,
                      parties=[petitioner])
    accepted = accept(rpc, desk(ecourt_env, CITY), review["reception_id"])
    assert accepted["lodging"]["step"] == "receive_cassation_petition"
    assert (accepted["lodging"]["court_id"], accepted["lodging"]["stage"]) == (AREA, "ST")
    assert entry(intake_db, review["reception_id"]) == ("accepted", case, 1)
