"""The portal end to end on real RabbitMQ and PostgreSQL: events in, lookups over HTTP out.

Events are published the way producers' relays publish them (envelope JSON on ``<source>.events``,
routing key = event type, message id = event id). Each test talks from its own client address
(``X-Forwarded-For``, trusted by uvicorn from 127.0.0.1) so the rate limit of one test never
touches another.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from kombu import Connection, Producer
from sqlalchemy import create_engine, func, select

from ecourt_portal.adapters.orm import processed_events, public_cases
from ecourt_portal.domain.clock import legal_day
from ecourt_shared.bus.topology import event_exchange
from ecourt_shared.contracts.envelope import EventEnvelope, EventPayload
from ecourt_shared.contracts.events import (
    CaseAssignedV1,
    CaseProgressedV1,
    CaseReceivedV1,
    DeadlineV1,
    DocumentRefV1,
    PartyRefV1,
)
from ecourt_shared.identifiers import format_case_id, make_case_id
from ecourt_shared.identifiers.receipt import receipt_secret_hash

pytestmark = pytest.mark.integration

COURT = "79KV01"
SECRET = "ABCD-EFGH-JKLM"
SUBJECT = "Tranh chấp hợp đồng vay tài sản giữa ông Nguyễn Văn An và bà Trần Thị Bình"
_serials = itertools.count(1)
_clients = itertools.count(1)
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


# --- helpers -------------------------------------------------------------------------------------------------

def new_case() -> str:
    return make_case_id(COURT, 2026, next(_serials))


def client() -> dict[str, str]:
    n = next(_clients)
    return {"X-Forwarded-For": f"198.51.{100 + n // 250}.{n % 250 + 1}"}


def received(case_id: str, secret: str = SECRET, case_type: str = "DS") -> CaseReceivedV1:
    return CaseReceivedV1(
        court_id=COURT, case_id=case_id, acceptance_number=f"{int(case_id[10:16]):02d}/2026/TLST-{case_type}",
        case_type=case_type, stage="ST", subject=SUBJECT, accepted_at=T0, accepted_on=date(2026, 3, 2),
        parties=[PartyRefV1(party_id="P-00000000000000A1", role="plaintiff", is_minor=False),
                 PartyRefV1(party_id="P-00000000000000B2", role="defendant", is_minor=False)],
        documents=[DocumentRefV1(document_id="D-1", title="Đơn khởi kiện", filename="don.pdf",
                                 content_type="application/pdf", size_bytes=1, sha256="0" * 64, page_count=1,
                                 bucket="ecourt-79kv01", object_key="sha256/00")],
        receipt_secret_hash=receipt_secret_hash(secret))


def assigned(case_id: str, judge_name: str = "Lê Thị Hoa", at: datetime = T0) -> CaseAssignedV1:
    return CaseAssignedV1(court_id=COURT, case_id=case_id, judge_id="J-007", judge_name=judge_name, method="random",
                          draw_id="DR-1", assigned_by="u-president", assigned_at=at)


def progressed(case_id: str, status: str = "preparing", due_on: date | None = None) -> CaseProgressedV1:
    deadline = None if due_on is None else DeadlineV1(
        rule_id="blttds2015.a203.prep.civil", due_on=due_on,
        legal_basis_vi="khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
        legal_basis_en="Civil Procedure Code 2015, art. 203(1)")
    return CaseProgressedV1(court_id=COURT, case_id=case_id, case_type="DS", stage="ST", status=status,
                            deadline=deadline)


def envelope(payload: EventPayload, occurred_at: datetime | None = None, event_id: str | None = None) -> EventEnvelope:
    env = EventEnvelope.wrap(payload)
    updates: dict[str, Any] = {}
    if occurred_at is not None:
        updates["occurred_at"] = occurred_at
    if event_id is not None:
        updates["event_id"] = event_id
    return env.model_copy(update=updates)


def today() -> date:
    return legal_day(datetime.now(UTC))


@pytest.fixture(scope="module")
def portal(service_processes: Any) -> str:
    service_processes("portal", "ecourt_portal")
    return str(service_processes("portal", "ecourt_portal", "web").url)


@pytest.fixture(scope="module")
def db(ecourt_env: Any, portal: str) -> Iterator[Any]:
    engine = create_engine(ecourt_env.settings.database_url("portal"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def publish(ecourt_env: Any, portal: str) -> Iterator[Callable[..., EventEnvelope]]:
    conn = Connection(ecourt_env.settings.amqp_uri, transport_options={"confirm_publish": True})
    producer = Producer(conn.channel())

    def send(event: EventPayload | EventEnvelope, **envelope_fields: Any) -> EventEnvelope:
        env = event if isinstance(event, EventEnvelope) else envelope(event, **envelope_fields)
        producer.publish(env.model_dump(mode="json"), exchange=event_exchange(env.source),
                         routing_key=env.event_type, message_id=env.event_id, serializer="json", delivery_mode=2)
        return env
    yield send
    conn.release()


def wait_processed(db: Any, *envelopes: EventEnvelope, timeout: float = 20) -> None:
    """Until the portal has claimed every one of these events (applied, or judged older and skipped)."""
    wanted = {e.event_id for e in envelopes}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.connect() as conn:
            done = set(conn.execute(select(processed_events.c.event_id)
                                    .where(processed_events.c.event_id.in_(wanted))).scalars())
        if done == wanted:
            return
        time.sleep(0.1)
    raise AssertionError(f"events not processed in {timeout}s: {wanted - done}")


def row(db: Any, case_id: str) -> dict[str, Any]:
    with db.connect() as conn:
        found = conn.execute(select(public_cases).where(public_cases.c.case_id == case_id)).mappings().first()
    assert found is not None, case_id
    return dict(found)


def lookup_json(portal: str, code: str, secret: str, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{portal}/api/v1/lookup", json={"case_code": code, "receipt_secret": secret},
                      headers=headers, timeout=10)


def lookup_page(portal: str, code: str, secret: str, headers: dict[str, str],
                cookies: dict[str, str] | None = None, lang: str | None = None) -> httpx.Response:
    url = f"{portal}/lookup" + (f"?lang={lang}" if lang else "")
    return httpx.post(url, data={"case_code": code, "receipt_secret": secret}, headers=headers,
                      cookies=cookies, timeout=10)


def a_full_case(publish: Callable[..., EventEnvelope], db: Any, days_left: int = 30) -> str:
    case_id = new_case()
    events = [publish(received(case_id)), publish(assigned(case_id)),
              publish(progressed(case_id, due_on=today() + timedelta(days=days_left)))]
    wait_processed(db, *events)
    return case_id


# --- lookups -------------------------------------------------------------------------------------------------

def test_lookup_shows_status_judge_deadline_and_legal_basis(portal: str, publish: Any, db: Any) -> None:
    case_id = a_full_case(publish, db, days_left=30)
    code = format_case_id(case_id)
    due = (today() + timedelta(days=30)).strftime("%d/%m/%Y")

    page = lookup_page(portal, code, SECRET, client())
    assert page.status_code == 200, page.text
    html = page.text
    assert '<html lang="vi">' in html
    for expected in (code, "/2026/TLST-DS", "Số thụ lý", "Dân sự", "Sơ thẩm", "Đang chuẩn bị xét xử",
                     "Lê Thị Hoa", due, "Căn cứ pháp lý", "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                     "Còn 30 ngày"):
        assert expected in html, expected
    assert page.headers["cache-control"] == "no-store"

    body = lookup_json(portal, code, SECRET, client()).json()
    assert body["case_code"] == code
    assert body["status"]["code"] == "preparing" and body["judge_name"] == "Lê Thị Hoa"
    assert body["next_deadline"]["due_on_display"] == due and body["next_deadline"]["days_remaining"] == 30
    assert body["next_deadline"]["legal_basis"]["en"] == "Civil Procedure Code 2015, art. 203(1)"


def test_case_code_works_without_hyphens_and_in_lowercase(portal: str, publish: Any, db: Any) -> None:
    case_id = a_full_case(publish, db)
    headers = client()
    assert lookup_json(portal, case_id, SECRET, headers).status_code == 200
    assert lookup_json(portal, format_case_id(case_id).lower(), "abcd efgh jklm", headers).status_code == 200


def test_wrong_secret_and_unknown_code_get_the_same_404(portal: str, publish: Any, db: Any) -> None:
    case_id = a_full_case(publish, db)
    unknown = make_case_id(COURT, 2026, 999_000)
    only_assigned = new_case()  # its receipt has not arrived: also indistinguishable
    wait_processed(db, publish(assigned(only_assigned)))

    pages = [lookup_page(portal, c, s, client()) for c, s in
             ((case_id, "WXYZ-WXYZ-WXYZ"), (unknown, SECRET), (only_assigned, SECRET))]
    assert {p.status_code for p in pages} == {404}
    assert pages[0].text == pages[1].text == pages[2].text
    assert "Không tìm thấy vụ án, hoặc mã bí mật không khớp" in pages[0].text
    assert "the secret does not match" in pages[0].text

    answers = [lookup_json(portal, c, s, client()) for c, s in
               ((case_id, "WXYZ-WXYZ-WXYZ"), (unknown, SECRET), (only_assigned, SECRET))]
    assert {a.status_code for a in answers} == {404}
    assert answers[0].content == answers[1].content == answers[2].content
    assert answers[0].json()["errors"][0]["code"] == "lookup.not_found"


def test_a_mistyped_code_is_a_field_error_in_both_languages_and_not_a_failure(portal: str, publish: Any,
                                                                              db: Any) -> None:
    case_id = a_full_case(publish, db)
    typo = format_case_id(case_id)[:-1] + ("0" if case_id[-1] != "0" else "1")
    headers = client()
    page = lookup_page(portal, typo, SECRET, headers)
    assert page.status_code == 422
    assert "Chữ số kiểm tra" in page.text and "Check digits" in page.text
    assert 'aria-invalid="true"' in page.text and f'value="{typo}"' in page.text
    for _ in range(12):  # typos say nothing about any case, so they do not count towards the limit
        answer = lookup_json(portal, typo, SECRET, headers)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["code"] == "case_id.check_digits"
    assert lookup_json(portal, case_id, SECRET, headers).status_code == 200


def test_failed_lookups_are_limited_per_client(portal: str, publish: Any, db: Any) -> None:
    case_id = a_full_case(publish, db)
    guesser, neighbour = client(), client()
    for _ in range(10):
        assert lookup_json(portal, case_id, "WXYZ-WXYZ-WXYZ", guesser).status_code == 404
    blocked = lookup_json(portal, case_id, "WXYZ-WXYZ-WXYZ", guesser)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 500
    error = blocked.json()["errors"][0]
    assert error["code"] == "lookup.rate_limited" and "thử lại sau 10 phút" in error["message_vi"]
    assert "try again in 10 minutes" in error["message_en"]
    # once blocked, even the right secret is refused: the answer must not tell right from wrong
    assert lookup_json(portal, case_id, SECRET, guesser).status_code == 429
    page = lookup_page(portal, case_id, SECRET, guesser)
    assert page.status_code == 429 and "Vui lòng thử lại sau" in page.text and "Please try again in" in page.text
    assert lookup_json(portal, case_id, SECRET, neighbour).status_code == 200


def test_english_is_chosen_with_lang_and_remembered_in_a_cookie(portal: str, publish: Any, db: Any) -> None:
    case_id = new_case()
    wait_processed(db, publish(received(case_id)))
    home = httpx.get(f"{portal}/?lang=en", timeout=10)
    assert home.status_code == 200
    assert '<html lang="en">' in home.text and "Case code (mã vụ án)" in home.text
    assert home.cookies.get("ecourt_lang") == "en"

    remembered = httpx.get(f"{portal}/", cookies={"ecourt_lang": "en"}, timeout=10)
    assert '<html lang="en">' in remembered.text
    result = lookup_page(portal, case_id, SECRET, client(), cookies={"ecourt_lang": "en"})
    assert result.status_code == 200
    for expected in ("Acceptance number (số thụ lý)", "Thụ lý (accepted)", "Dân sự (civil)",
                     "Not yet assigned (chưa phân công)", "No procedural deadline is running"):
        assert expected in result.text, expected

    back = httpx.get(f"{portal}/?lang=vi", cookies={"ecourt_lang": "en"}, timeout=10)
    assert '<html lang="vi">' in back.text and back.cookies.get("ecourt_lang") == "vi"
    assert '<html lang="vi">' in httpx.get(f"{portal}/", timeout=10).text  # Vietnamese first


def test_pages_are_labelled_and_need_no_script(portal: str) -> None:
    html = httpx.get(f"{portal}/", timeout=10)
    assert '<label for="case_code">' in html.text and '<label for="receipt_secret">' in html.text
    assert "<main" in html.text and "<script" not in html.text
    assert "script-src" not in html.headers["content-security-policy"]  # default-src 'none' forbids scripts
    assert httpx.get(f"{portal}/static/portal.css", timeout=10).status_code == 200
    # a reload or language switch on a result page starts over: the secret is never put in a URL
    again = httpx.get(f"{portal}/lookup?lang=en", timeout=10)
    assert again.status_code == 303 and again.headers["location"] == "/?lang=en"


# --- the read model ----------------------------------------------------------------------------------------

def test_only_public_facts_are_stored(publish: Any, db: Any) -> None:
    case_id = new_case()
    wait_processed(db, publish(received(case_id)))
    stored = json.dumps(row(db, case_id), default=str, ensure_ascii=False)
    for private in ("P-00000000000000A1", "Nguyễn Văn An", SUBJECT, "don.pdf", "sha256/00"):
        assert private not in stored
    assert "ABCD" not in stored  # the secret itself never reaches the portal, only intake's hash


def test_redelivered_events_change_nothing(publish: Any, db: Any) -> None:
    case_id = new_case()
    first = [publish(received(case_id)), publish(assigned(case_id)),
             publish(progressed(case_id, due_on=date(2026, 7, 2)))]
    wait_processed(db, *first)
    before = row(db, case_id)
    # Same event ids again; the bodies are even different, so applying them would show.
    publish(received(case_id, secret="WXYZ-WXYZ-WXYZ"), event_id=first[0].event_id)
    publish(assigned(case_id, judge_name="Phạm Văn Dũng", at=T0 + timedelta(days=1)), event_id=first[1].event_id)
    publish(progressed(case_id, status="closed"), event_id=first[2].event_id, occurred_at=T0 + timedelta(days=9))
    sentinels = [publish(received(new_case())), publish(assigned(new_case())), publish(progressed(new_case()))]
    wait_processed(db, *sentinels)
    time.sleep(0.5)
    assert row(db, case_id) == before
    with db.connect() as conn:
        claims = conn.execute(select(func.count()).select_from(processed_events)
                              .where(processed_events.c.event_id.in_([e.event_id for e in first]))).scalar_one()
    assert claims == 3


def test_events_in_any_order_converge_and_casefile_status_outranks_accepted(publish: Any, db: Any) -> None:
    due = date(2026, 7, 2)
    cases = []
    for order in itertools.permutations(("received", "assigned", "progressed")):
        case_id = new_case()
        make = {"received": lambda c=case_id: received(c), "assigned": lambda c=case_id: assigned(c),
                "progressed": lambda c=case_id: progressed(c, due_on=due)}
        envelopes = []
        for kind in order:
            envelopes.append(publish(make[kind]()))
            time.sleep(0.05)  # separate queues: give each event the chance to land first
        cases.append((case_id, envelopes))
    for _, envelopes in cases:
        wait_processed(db, *envelopes)

    compared = ("court_id", "acceptance_number", "case_type", "stage", "status", "judge_name", "deadline_on",
                "deadline_rule_id", "legal_basis_vi", "legal_basis_en", "accepted_on", "receipt_secret_hash")
    views = []
    for case_id, _ in cases:
        stored = row(db, case_id)
        views.append({k: (stored[k].split("/")[1:] if k == "acceptance_number" else stored[k]) for k in compared})
    assert all(v == views[0] for v in views), views
    assert views[0]["status"] == "preparing" and views[0]["judge_name"] == "Lê Thị Hoa"
    assert views[0]["deadline_on"] == due and views[0]["receipt_secret_hash"] == receipt_secret_hash(SECRET)


def test_an_older_step_or_assignment_never_overwrites_a_newer_one(publish: Any, db: Any) -> None:
    case_id = new_case()
    events = [
        publish(received(case_id)),
        publish(progressed(case_id, "hearing_scheduled", due_on=date(2026, 8, 1)), occurred_at=T0 + timedelta(days=60)),
        publish(progressed(case_id, "preparing", due_on=date(2026, 7, 2)), occurred_at=T0 + timedelta(days=1)),
        publish(assigned(case_id, "Phạm Văn Dũng", at=T0 + timedelta(days=5))),  # reassigned
        publish(assigned(case_id, "Lê Thị Hoa", at=T0 + timedelta(days=1))),
    ]
    wait_processed(db, *events)
    stored = row(db, case_id)
    assert (stored["status"], stored["deadline_on"]) == ("hearing_scheduled", date(2026, 8, 1))
    assert stored["judge_name"] == "Phạm Văn Dũng"


def test_a_progress_without_deadline_clears_the_old_one(publish: Any, db: Any) -> None:
    case_id = new_case()
    events = [publish(received(case_id)),
              publish(progressed(case_id, "preparing", due_on=date(2026, 7, 2)), occurred_at=T0),
              publish(progressed(case_id, "in_effect"), occurred_at=T0 + timedelta(days=90))]
    wait_processed(db, *events)
    stored = row(db, case_id)
    assert stored["status"] == "in_effect" and stored["deadline_on"] is None and stored["legal_basis_vi"] is None


def test_an_event_with_an_invalid_case_id_is_dead_lettered(ecourt_env: Any, publish: Any, db: Any) -> None:
    bad = assigned(new_case()).model_copy(update={"case_id": "79KV01202600000100"})  # wrong check digits
    env = publish(bad)
    deadline, parked = time.monotonic() + 15, None
    with Connection(ecourt_env.settings.amqp_uri) as conn:
        channel = conn.channel()
        while parked is None and time.monotonic() < deadline:
            parked = channel.basic_get("evt.assignment.case_assigned.portal.dlq", no_ack=True)
            time.sleep(0.1)
        channel.close()
    assert parked is not None and parked.properties.get("message_id") == env.event_id


def test_health_checks_the_broker_and_the_database(portal: str) -> None:
    ready = httpx.get(f"{portal}/health/ready", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"amqp": "ok", "postgres": "ok"}


# --- deadline alerts and transfers ---------------------------------------------------------------------------

def deadline_alert(case_id: str, kind: str, due_on: date) -> EventPayload:
    from ecourt_shared.contracts.casefile import DeadlineApproachingV1, DeadlineMissedV1

    basis = DeadlineV1(rule_id="blttds2015.a203.prep.civil", due_on=due_on,
                       legal_basis_vi="khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                       legal_basis_en="Civil Procedure Code 2015, art. 203(1)")
    if kind == "missed":
        return DeadlineMissedV1(court_id=COURT, case_id=case_id, stage="ST", judge_id="J-SECRET-ID", deadline=basis,
                                days_over=(today() - due_on).days)
    return DeadlineApproachingV1(court_id=COURT, case_id=case_id, stage="ST", judge_id="J-SECRET-ID",
                                 deadline=basis, days_left=(due_on - today()).days)


def transferred(case_id: str, to: str, reason: str = "transfer", named: bool = False) -> EventPayload:
    from ecourt_shared.contracts.casefile import CaseTransferredV1

    names = {"court_name_vi": "Tòa án nhân dân Khu vực 2 - Thành phố Hồ Chí Minh",
             "court_name_en": "People's Court of Area 2, Ho Chi Minh City"} if named else {}
    return CaseTransferredV1(court_id=to, case_id=case_id, from_court_id=COURT, stage="ST", reason=reason,
                             transferred_on=date(2026, 4, 1), **names)


def test_an_approaching_deadline_is_shown_with_its_legal_basis_until_the_case_moves_on(
        portal: str, publish: Any, db: Any) -> None:
    case_id = a_full_case(publish, db, days_left=6)
    code = format_case_id(case_id)
    wait_processed(db, publish(deadline_alert(case_id, "approaching", today() + timedelta(days=6))))
    page = lookup_page(portal, code, SECRET, client())
    assert page.status_code == 200
    for expected in ("Sắp đến hạn cuối của thời hạn tố tụng", "Còn 6 ngày",
                     "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015"):
        assert expected in page.text, expected
    english = lookup_page(portal, code, SECRET, client(), lang="en").text
    assert "A procedural deadline is approaching (sắp đến hạn)" in english
    assert "Civil Procedure Code 2015, art. 203(1)" in english
    body = lookup_json(portal, code, SECRET, client()).json()
    assert body["deadline_alert"]["kind"] == "approaching" and body["deadline_alert"]["days_remaining"] == 6
    assert body["deadline_alert"]["legal_basis"] == {"vi": "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                                                     "en": "Civil Procedure Code 2015, art. 203(1)"}
    assert "J-SECRET-ID" not in json.dumps(row(db, case_id), default=str)

    # the case moves on (a later step with another deadline): the warning goes away
    later = datetime.now(UTC) + timedelta(minutes=1)
    wait_processed(db, publish(progressed(case_id, "suspended"), occurred_at=later))
    assert lookup_json(portal, code, SECRET, client()).json()["deadline_alert"] is None


def test_a_missed_deadline_is_shown_and_a_late_older_step_does_not_hide_it(portal: str, publish: Any, db: Any) -> None:
    case_id = new_case()
    code = format_case_id(case_id)
    due = today() - timedelta(days=2)
    alert_env = publish(deadline_alert(case_id, "missed", due))
    older_step = publish(progressed(case_id, due_on=due), occurred_at=alert_env.occurred_at - timedelta(days=100))
    wait_processed(db, publish(received(case_id)), alert_env, older_step)
    body = lookup_json(portal, code, SECRET, client()).json()
    assert body["deadline_alert"]["kind"] == "missed" and body["deadline_alert"]["days_remaining"] == -2
    assert "Đã quá hạn 2 ngày" in lookup_page(portal, code, SECRET, client()).text


def test_after_a_transfer_the_same_code_shows_the_new_court(portal: str, publish: Any, db: Any) -> None:
    case_id = a_full_case(publish, db)
    code = format_case_id(case_id)
    assert lookup_json(portal, code, SECRET, client()).json()["court"]["code"] == COURT
    wait_processed(db, publish(transferred(case_id, "79KV02", "merger", named=True),
                               occurred_at=datetime.now(UTC) + timedelta(seconds=5)))
    body = lookup_json(portal, code, SECRET, client()).json()
    assert body["case_code"] == code
    assert body["court"]["code"] == "79KV02"
    assert body["court"]["vi"] == "Tòa án nhân dân Khu vực 2 - Thành phố Hồ Chí Minh (mã 79KV02)"
    assert body["transfer"]["reason"] == "merger" and body["transfer"]["from_court"] == COURT
    html = lookup_page(portal, code, SECRET, client()).text
    for expected in ("Tòa án đang giải quyết", "Tòa án nhân dân Khu vực 2 - Thành phố Hồ Chí Minh",
                     "được sáp nhập", "Mã vụ án và mã bí mật trên giấy biên nhận không thay đổi"):
        assert expected in html, expected
    # an older step of the old court arriving late does not pull the case back
    wait_processed(db, publish(progressed(case_id), occurred_at=T0))
    assert lookup_json(portal, code, SECRET, client()).json()["court"]["code"] == "79KV02"
    # still no personal data on the row
    stored = json.dumps(row(db, case_id), default=str, ensure_ascii=False)
    assert "P-00000000000000A1" not in stored and SUBJECT not in stored
