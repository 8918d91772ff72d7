"""Reception lodges appeals, protests and review petitions on their case (``lodge_filing``), through the service.

Real PostgreSQL, MongoDB wire server and S3 endpoint (``worker_factory`` with the real adapters). Lodging is
dated by the real clock (the day the reception officer accepts), so each case's judgment is dated relative to
today: 25 days ago for the appeal windows (15 days, art. 273 BLTTDS, closed; the higher procuracy's month,
art. 280, still open), long enough ago for the judgment to be in effect for the petitions.
"""

from datetime import timedelta

import pytest
from nameko.testing.services import worker_factory

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.domain.clock import legal_day, utc_now
from ecourt_casefile.service import CasefileService
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.storage import ObjectStore

pytestmark = pytest.mark.service

AREA, OTHER_AREA, CITY = "79KV01", "79KV02", "79TA00"
TODAY = legal_day(utc_now())


@pytest.fixture(scope="module")
def service(casefile_engine, mongo_db, ecourt_env):
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return worker_factory(CasefileService, db=UnitOfWorkFactory(casefile_engine, metadata),
                          dossiers=DossierStore(mongo_db), store=ObjectStore.from_settings(ecourt_env.settings),
                          auth=Authenticator(lambda token: verify_token(token, key)))


def desk(env, court=AREA):
    return env.token(Role.RECEPTION, user_id=f"u-tiepnhan-{court}", court_id=court)


def judge(env):
    return env.token(Role.JUDGE, user_id="u-J-0007", court_id=AREA, judge_id="J-0007")


def judged_case(service, events, ecourt_env, pronounced_on, case_type="DS"):
    """A case of the area court whose first-instance judgment was pronounced on ``pronounced_on``."""
    payload = events.received([], case_type=case_type)
    service.on_case_received(payload, events.envelope(payload))
    assigned = events.assigned(payload.case_id, judge_id="J-0007")
    service.on_case_assigned(assigned, events.envelope(assigned))
    service.record_step(judge(ecourt_env), payload.case_id, "decide_to_try",
                        (pronounced_on - timedelta(days=10)).isoformat(),
                        {"hearing_on": pronounced_on.isoformat(), "room": "P.3"})
    service.record_step(judge(ecourt_env), payload.case_id, "pronounce_judgment", pronounced_on.isoformat(), {})
    return payload.case_id


def in_effect_case(service, events, ecourt_env, pronounced_on):
    case = judged_case(service, events, ecourt_env, pronounced_on)
    service.record_step(judge(ecourt_env), case, "enter_legal_effect",
                        (pronounced_on + timedelta(days=40)).isoformat(), {})
    return case


def filing(kind, reception_id, **changes):
    values = {"kind": kind, "reception_id": reception_id, "case_type": "DS", "received_on": TODAY.isoformat(),
              "counting_basis": "reception_date", "counts_from": TODAY.isoformat(), "party_ids": ["P-00000000000000B2"]}
    return {**values, **changes}


def refusal(exc_info) -> str:
    return " ".join(f"{e['field']} {e['code']} {e['message_vi']} {e['message_en']}"
                    for e in exc_info.value.args[0]["errors"])


def steps_of(pg, case):
    return [r.step for r in pg("SELECT step FROM case_steps WHERE case_id = :c ORDER BY id", c=case)]


def test_appeals_and_protests_lodged_at_reception(service, events, ecourt_env, pg):
    judgment = TODAY - timedelta(days=25)
    case = judged_case(service, events, ecourt_env, judgment)
    before = steps_of(pg, case)

    # at the counter today: the 15 days are over, refused with the provision; nothing is recorded
    with pytest.raises(RequestRejected) as late:
        service.lodge_filing(desk(ecourt_env), case, filing("appeal", "R-LATE-COUNTER"))
    assert "procedure.out_of_time" in refusal(late) and "273" in refusal(late)
    assert steps_of(pg, case) == before
    assert pg("SELECT count(*) AS n FROM outbox WHERE envelope->>'event_type' = 'case_progressed' AND "
              "envelope->'payload'->>'step' = 'lodge_appeal' AND envelope->'payload'->>'case_id' = :c",
              c=case)[0].n == 0

    # staff of an unrelated court do not reach the case
    with pytest.raises(NotFound):
        service.lodge_filing(desk(ecourt_env, OTHER_AREA), case, filing("appeal", "R-OTHER-COURT"))

    # by post: arrives today, after the window, but the postmark is inside it and counts
    postmark = judgment + timedelta(days=5)
    by_post = filing("appeal", "R-POSTED-APPEAL", counting_basis="postmark", counts_from=postmark.isoformat())
    first = service.lodge_filing(desk(ecourt_env), case, by_post)
    assert (first["step"], first["court_id"], first["stage"]) == ("lodge_appeal", CITY, "PT")
    assert first["filed_on"] == postmark.isoformat() and not first["replayed"]
    assert "273" in first["notes"][0]["vi"]

    # the same decision retried after a crash: the first result, not a refusal because the case moved on
    again = service.lodge_filing(desk(ecourt_env), case, by_post)
    assert again == {**first, "replayed": True}
    assert steps_of(pg, case).count("lodge_appeal") == 1
    other = judged_case(service, events, ecourt_env, TODAY - timedelta(days=2))
    with pytest.raises(Conflict):  # one reception entry is lodged on one case only
        service.lodge_filing(desk(ecourt_env), other, by_post)
    assert "lodge_appeal" not in steps_of(pg, other)

    # a second appellant, also at the area court that gave the judgment: joins the appellate stage
    second = service.lodge_filing(desk(ecourt_env), case, filing(
        "appeal", "R-SECOND-APPEAL", party_ids=["P-00000000000000A1"], counting_basis="postmark",
        counts_from=(judgment + timedelta(days=6)).isoformat()))
    assert (second["step"], second["court_id"], second["stage"]) == ("join_appeal", CITY, "PT")
    # ... but not once the window is over for them
    with pytest.raises(RequestRejected) as third:
        service.lodge_filing(desk(ecourt_env), case, filing("appeal", "R-THIRD-APPEAL"))
    assert "procedure.out_of_time" in refusal(third) and "273" in refusal(third)

    # the procuracy: the same-level protest's 15 days are over; the higher level's month is not
    with pytest.raises(RequestRejected) as no_level:
        service.lodge_filing(desk(ecourt_env), case, filing("protest", "R-PROTEST-NOLEVEL", party_ids=[]))
    assert "protest_level" in refusal(no_level)
    with pytest.raises(RequestRejected) as same_level:
        service.lodge_filing(desk(ecourt_env), case, filing("protest", "R-PROTEST-SAME", protest_level="same_level"))
    assert "procedure.out_of_time" in refusal(same_level) and "280" in refusal(same_level)
    protest = service.lodge_filing(desk(ecourt_env, CITY), case, filing(
        "protest", "R-PROTEST-HIGH", protest_level="higher_level", party_ids=[]))
    assert (protest["step"], protest["court_id"]) == ("join_protest", CITY)

    recorded = pg("SELECT step, court_id, params FROM case_steps WHERE case_id = :c AND step IN "
                  "('lodge_appeal', 'join_appeal', 'lodge_protest', 'join_protest') ORDER BY id", c=case)
    assert [(r.step, r.court_id, r.params.get("appellant_party_id")) for r in recorded] == [
        ("lodge_appeal", AREA, "P-00000000000000B2"), ("join_appeal", CITY, "P-00000000000000A1"),
        ("join_protest", CITY, None)]
    assert recorded[0].params["postmarked_on"] == postmark.isoformat()
    assert recorded[2].params["level"] == "higher_level"


def test_a_protest_on_a_fresh_judgment_opens_the_appeal(service, events, ecourt_env):
    case = judged_case(service, events, ecourt_env, TODAY - timedelta(days=3))
    result = service.lodge_filing(desk(ecourt_env), case, filing("protest", "R-FRESH-PROTEST",
                                                                 protest_level="same_level", party_ids=[]))
    assert (result["step"], result["court_id"], result["stage"]) == ("lodge_protest", CITY, "PT")
    with pytest.raises(RequestRejected) as mismatch:  # the register said criminal; the case is civil
        service.lodge_filing(desk(ecourt_env), case, filing("appeal", "R-WRONG-TYPE", case_type="HS"))
    assert "case_type.mismatch" in refusal(mismatch)


def test_cassation_petitions_and_retrial_requests_at_the_review_court(service, events, ecourt_env, pg):
    case = in_effect_case(service, events, ecourt_env, TODAY - timedelta(days=80))
    with pytest.raises(NotFound):  # not the court competent for review, and unrelated
        service.lodge_filing(desk(ecourt_env, OTHER_AREA), case, filing("cassation_petition", "R-GDT-OTHER"))
    with pytest.raises(PermissionDenied):  # the court that gave the judgment does not receive it
        service.lodge_filing(desk(ecourt_env, AREA), case, filing("cassation_petition", "R-GDT-AREA"))
    petition = service.lodge_filing(desk(ecourt_env, CITY), case, filing("cassation_petition", "R-GDT-CITY"))
    assert (petition["step"], petition["court_id"], petition["stage"]) == ("receive_cassation_petition", AREA, "ST")
    assert service.lodge_filing(desk(ecourt_env, CITY), case, filing("cassation_petition", "R-GDT-CITY"))["replayed"]
    request = service.lodge_filing(desk(ecourt_env, CITY), case, filing(
        "retrial_request", "R-TT-CITY", grounds_known_on=(TODAY - timedelta(days=2)).isoformat()))
    assert request["step"] == "receive_retrial_request"
    state = pg("SELECT court_id, stage, state FROM case_state WHERE case_id = :c", c=case)[0]
    assert tuple(state) == (AREA, "ST", "in_effect")  # the case waits for the review court's president

    with pytest.raises(RequestRejected) as appeal:  # a judgment in effect is no longer appealed
        service.lodge_filing(desk(ecourt_env), case, filing("appeal", "R-APPEAL-IN-EFFECT"))
    assert "procedure.unknown_step" in refusal(appeal) or "procedure.illegal_step" in refusal(appeal)


def test_a_cassation_petition_after_a_year_is_refused(service, events, ecourt_env, pg):
    case = in_effect_case(service, events, ecourt_env, TODAY - timedelta(days=500))
    with pytest.raises(RequestRejected) as late:
        service.lodge_filing(desk(ecourt_env, CITY), case, filing("cassation_petition", "R-GDT-LATE"))
    assert "procedure.out_of_time" in refusal(late) and "327" in refusal(late)
    assert "receive_cassation_petition" not in steps_of(pg, case)


def test_a_bad_filing_is_refused_field_by_field(service, events, ecourt_env):
    case = judged_case(service, events, ecourt_env, TODAY - timedelta(days=2))
    with pytest.raises(RequestRejected) as bad:
        service.lodge_filing(desk(ecourt_env), case, {"kind": "appeal", "reception_id": "R-BAD",
                                                      "received_on": "not-a-date", "counts_from": TODAY.isoformat()})
    assert "received_on" in refusal(bad)
    with pytest.raises(RequestRejected) as future:
        service.lodge_filing(desk(ecourt_env), case, filing("appeal", "R-FUTURE",
                                                            received_on=(TODAY + timedelta(days=1)).isoformat()))
    assert "received_on.in_future" in refusal(future)
    with pytest.raises(RequestRejected) as nobody:
        service.lodge_filing(desk(ecourt_env), case, filing("appeal", "R-NOBODY", party_ids=[]))
    assert "party_ids.required" in refusal(nobody)


def test_an_administrative_cassation_petition_has_a_year_too(service, events, ecourt_env, pg):
    def in_effect(days_ago):
        case = judged_case(service, events, ecourt_env, TODAY - timedelta(days=days_ago), case_type="HC")
        service.record_step(judge(ecourt_env), case, "enter_legal_effect",
                            (TODAY - timedelta(days=days_ago - 40)).isoformat(), {})
        return case
    recent, old = in_effect(80), in_effect(500)
    petition = service.lodge_filing(desk(ecourt_env, CITY), recent,
                                    filing("cassation_petition", "R-HC-GDT-RECENT", case_type="HC"))
    assert petition["step"] == "receive_cassation_petition"
    with pytest.raises(RequestRejected) as late:
        service.lodge_filing(desk(ecourt_env, CITY), old, filing("cassation_petition", "R-HC-GDT-OLD", case_type="HC"))
    assert "procedure.out_of_time" in refusal(late) and "255" in refusal(late)
