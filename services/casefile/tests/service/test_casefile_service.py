"""casefile's nameko service through ``worker_factory``, on real PostgreSQL, MongoDB wire server and S3 endpoint.

The dependencies are the real adapters (no mocks): the unit of work on the session's migrated database, the
dossier store on the session's MongoDB database, the object store on the S3 endpoint, the token verifier
with the session's key. Only the broker is absent: emitted events are read from the outbox.
"""

import io
import uuid
from datetime import date

import pytest
from nameko.testing.services import worker_factory

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.objects import DocumentUnavailable
from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.service import CasefileService
from ecourt_shared.auth import Role, load_public_key, verify_token
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import format_case_id
from ecourt_shared.storage import ObjectStore
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.service

CIVIL_BASIS_VI = "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015"


@pytest.fixture(scope="module")
def uows(casefile_engine):
    return UnitOfWorkFactory(casefile_engine, metadata)


@pytest.fixture(scope="module")
def dossiers(mongo_db):
    return DossierStore(mongo_db)


@pytest.fixture(scope="module")
def store(ecourt_env):
    return ObjectStore.from_settings(ecourt_env.settings)


@pytest.fixture(scope="module")
def authenticator(ecourt_env):
    key = load_public_key(ecourt_env.settings.key_file("public"))
    return Authenticator(lambda token: verify_token(token, key))


@pytest.fixture
def service(uows, dossiers, store, authenticator):
    return worker_factory(CasefileService, db=uows, dossiers=dossiers, store=store, auth=authenticator)


@pytest.fixture
def stored_pdf(store, events):
    """A real PDF in the court's bucket and the event's reference to it."""
    data = blank_pdf(pages=2)
    stored = store.put_document(events.COURT, data, "application/pdf")
    assert stored.sha256 == events.document(data).sha256
    return events.document(data, page_count=2)


def receive(service, events, documents, **kwargs):
    payload = events.received(documents, **kwargs)
    envelope = events.envelope(payload)
    service.on_case_received(payload, envelope)
    return payload, envelope


def outbox_of(pg, case_id):
    return [r.envelope for r in pg("SELECT envelope FROM outbox WHERE envelope->'payload'->>'case_id' = :c "
                                   "ORDER BY id", c=case_id)]


def test_case_received_opens_dossier_records_state_and_deadline_and_emits_case_progressed(
        service, events, stored_pdf, dossiers, pg):
    payload, envelope = receive(service, events, [stored_pdf])

    doc = dossiers.get(payload.case_id)
    assert doc["court_id"] == "79KV01" and doc["header"]["acceptance_number"] == "12/2026/TLST-DS"
    assert [d["sha256"] for d in doc["documents"]] == [stored_pdf.sha256]
    assert doc["documents"][0]["page_count"] == 2 and doc["documents"][0]["version"] == 1
    [state] = pg("SELECT * FROM case_state WHERE case_id = :c", c=payload.case_id)
    assert (state.status, state.case_type, state.stage, str(state.accepted_on), state.judge_id) == \
        ("preparing", "DS", "ST", "2026-01-15", None)
    [deadline] = pg("SELECT * FROM deadlines WHERE case_id = :c", c=payload.case_id)
    assert str(deadline.due_on) == "2026-05-15"  # 4 months from 15/01/2026 (BLTTDS art. 203(1)(a))
    assert CIVIL_BASIS_VI in deadline.legal_basis_vi and "203" in deadline.legal_basis_en
    assert deadline.explanation and all({"vi", "en"} <= set(step) for step in deadline.explanation)
    [event] = outbox_of(pg, payload.case_id)
    assert event["event_type"] == "case_progressed" and event["source"] == "casefile"
    assert event["payload"]["status"] == "preparing"
    assert event["payload"]["deadline"]["due_on"] == "2026-05-15"
    assert CIVIL_BASIS_VI in event["payload"]["deadline"]["legal_basis_vi"]
    assert pg("SELECT 1 FROM processed_events WHERE consumer = 'casefile' AND event_id = :e",
              e=envelope.event_id)


def test_redelivery_changes_nothing(service, events, stored_pdf, dossiers, pg):
    payload, envelope = receive(service, events, [stored_pdf])
    before = dossiers.get(payload.case_id)
    service.on_case_received(payload, envelope)
    service.on_case_received(payload, events.envelope(payload).model_copy(update={"event_id": envelope.event_id}))
    after = dossiers.get(payload.case_id)
    assert after == before and len(after["timeline"]) == 1
    assert len(pg("SELECT 1 FROM deadlines WHERE case_id = :c", c=payload.case_id)) == 1
    assert len(outbox_of(pg, payload.case_id)) == 1


def test_a_dossier_write_that_was_not_followed_by_its_commit_is_redone_harmlessly(
        service, events, stored_pdf, dossiers, pg):
    """The worker died after writing MongoDB, before PostgreSQL committed: the retry completes the case."""
    from ecourt_casefile.domain.dossier import apply_case_received

    payload = events.received([stored_pdf])
    envelope = events.envelope(payload)
    dossiers.change(payload.case_id, lambda doc: apply_case_received(doc, payload, envelope.event_id))
    service.on_case_received(payload, envelope)
    assert len(dossiers.get(payload.case_id)["timeline"]) == 1
    assert dossiers.get(payload.case_id)["revision"] == 1
    assert len(outbox_of(pg, payload.case_id)) == 1


def test_a_missing_object_is_retried_and_succeeds_once_the_object_is_there(service, events, store, dossiers, pg):
    data = blank_pdf(pages=3)
    key = f"documents/test-late/{uuid.uuid4().hex}"  # content addressing would find an earlier run's copy
    ref = events.document(data, page_count=3, object_key=key)
    payload = events.received([ref])
    envelope = events.envelope(payload)
    with pytest.raises(DocumentUnavailable) as failure:
        service.on_case_received(payload, envelope)
    assert not isinstance(failure.value, PoisonEvent)  # retryable: the consumer requeues it with a delay
    assert dossiers.get(payload.case_id) is None
    assert not pg("SELECT 1 FROM processed_events WHERE event_id = :e", e=envelope.event_id)

    store.ensure_bucket(ref.bucket)
    store.client.put_object(ref.bucket, key, io.BytesIO(data), len(data), content_type="application/pdf")
    service.on_case_received(payload, envelope)
    assert dossiers.get(payload.case_id)["documents"][0]["object_key"] == key


def test_bytes_that_do_not_match_the_event_are_a_poison_event_and_nothing_is_written(
        service, events, stored_pdf, dossiers, pg):
    forged = stored_pdf.model_copy(update={"sha256": "ab" * 32})  # same object, another digest
    payload = events.received([forged])
    with pytest.raises(PoisonEvent, match="sha256"):
        service.on_case_received(payload, events.envelope(payload))
    assert dossiers.get(payload.case_id) is None
    assert not pg("SELECT 1 FROM case_state WHERE case_id = :c", c=payload.case_id)


def test_a_document_outside_the_court_bucket_is_a_poison_event(service, events, stored_pdf):
    payload = events.received([stored_pdf.model_copy(update={"bucket": "ecourt-01tc00"})])
    with pytest.raises(PoisonEvent, match="bucket"):
        service.on_case_received(payload, events.envelope(payload))


def test_an_archived_historical_case_gets_its_dossier_but_no_long_expired_deadline(
        service, events, stored_pdf, dossiers, pg):
    payload = events.received([stored_pdf], accepted_on=date(2019, 3, 4)).model_copy(update={"origin": "archive"})
    service.on_case_received(payload, events.envelope(payload))
    assert dossiers.get(payload.case_id)["documents"][0]["sha256"] == stored_pdf.sha256
    assert not pg("SELECT 1 FROM deadlines WHERE case_id = :c", c=payload.case_id)
    [event] = outbox_of(pg, payload.case_id)
    assert event["payload"]["deadline"] is None


def test_a_case_without_a_computable_deadline_is_still_recorded(service, events, stored_pdf, pg):
    """A criminal case needs its crime category for the preparation period; casefile does not guess it."""
    payload, _ = receive(service, events, [stored_pdf], case_type="HS")
    [state] = pg("SELECT status FROM case_state WHERE case_id = :c", c=payload.case_id)
    assert state.status == "preparing"
    assert not pg("SELECT 1 FROM deadlines WHERE case_id = :c", c=payload.case_id)
    [event] = outbox_of(pg, payload.case_id)
    assert event["payload"]["deadline"] is None


def test_case_assigned_after_the_case_records_the_judge(service, events, stored_pdf, dossiers, pg):
    payload, _ = receive(service, events, [stored_pdf])
    assigned = events.assigned(payload.case_id)
    service.on_case_assigned(assigned, events.envelope(assigned))
    [state] = pg("SELECT judge_id FROM case_state WHERE case_id = :c", c=payload.case_id)
    assert state.judge_id == "J-0007"
    doc = dossiers.get(payload.case_id)
    assert doc["judge_id"] == "J-0007"
    assert [e["kind"] for e in doc["timeline"]] == ["case_received", "case_assigned"]
    assert "Lê Văn Cường" in doc["timeline"][1]["text_vi"]


def test_case_assigned_before_the_case_converges(service, events, stored_pdf, dossiers, pg):
    case_id = events.case_id()
    assigned = events.assigned(case_id)
    service.on_case_assigned(assigned, events.envelope(assigned))
    assert not pg("SELECT 1 FROM case_state WHERE case_id = :c", c=case_id)
    [pending] = pg("SELECT judge_id FROM assignments WHERE case_id = :c", c=case_id)
    assert pending.judge_id == "J-0007"

    receive(service, events, [stored_pdf], case_id=case_id)
    [state] = pg("SELECT judge_id, status FROM case_state WHERE case_id = :c", c=case_id)
    assert (state.judge_id, state.status) == ("J-0007", "preparing")
    doc = dossiers.get(case_id)
    assert doc["judge_id"] == "J-0007" and doc["header"]["case_type"] == "DS"
    assert [e["kind"] for e in doc["timeline"]] == ["case_received", "case_assigned"]


def test_an_older_assignment_delivered_late_does_not_replace_the_latest(service, events, stored_pdf, dossiers, pg):
    payload, _ = receive(service, events, [stored_pdf])
    first = events.assigned(payload.case_id, judge_id="J-0001")
    later = events.assigned(payload.case_id, judge_id="J-0002",
                            assigned_at=first.assigned_at.replace(day=first.assigned_at.day + 2))
    service.on_case_assigned(later, events.envelope(later))
    service.on_case_assigned(first, events.envelope(first))
    [state] = pg("SELECT judge_id FROM case_state WHERE case_id = :c", c=payload.case_id)
    assert state.judge_id == "J-0002" and dossiers.get(payload.case_id)["judge_id"] == "J-0002"
    assert len(dossiers.get(payload.case_id)["timeline"]) == 3


def test_an_assignment_from_another_court_is_a_poison_event(service, events, stored_pdf):
    payload, _ = receive(service, events, [stored_pdf])
    assigned = events.assigned(payload.case_id, court_id="01TC00")
    with pytest.raises(PoisonEvent):
        service.on_case_assigned(assigned, events.envelope(assigned))


@pytest.fixture
def assigned_case(service, events, stored_pdf):
    payload, _ = receive(service, events, [stored_pdf])
    assigned = events.assigned(payload.case_id, judge_id="J-0007")
    service.on_case_assigned(assigned, events.envelope(assigned))
    return payload


def full_views(pg, case_id):
    return pg("SELECT user_id, view_kind, roles, judge_id FROM access_log WHERE case_id = :c ORDER BY id",
              c=case_id)


def test_president_sees_the_full_dossier_and_the_view_is_logged(service, ecourt_env, assigned_case, pg):
    token = ecourt_env.token(Role.PRESIDENT, user_id="u-president")
    view = service.get_dossier(token, assigned_case.case_id)
    assert view["view"] == "full" and view["case_code"] == format_case_id(assigned_case.case_id)
    assert (view["status"], view["judge_id"], view["next_deadline_on"]) == ("preparing", "J-0007", "2026-05-15")
    assert view["acceptance_number"] == "12/2026/TLST-DS" and view["accepted_on"] == "2026-01-15"
    assert [p["party_id"] for p in view["parties"]] == ["P-00000000000000A1", "P-00000000000000B2"]
    assert view["documents"][0]["bucket"] == "ecourt-79kv01" and view["documents"][0]["version"] == 1
    assert [e["kind"] for e in view["timeline"]] == ["case_received", "case_assigned"]
    assert view["deadline"]["due_on"] == "2026-05-15"
    assert CIVIL_BASIS_VI in view["deadline"]["legal_basis_vi"]
    assert view["deadline"]["explanation"][0]["vi"]
    [logged] = full_views(pg, assigned_case.case_id)
    assert (logged.user_id, logged.view_kind, logged.roles) == ("u-president", "full", ["president"])


def test_the_assigned_judge_sees_the_full_dossier(service, ecourt_env, assigned_case, pg):
    view = service.get_dossier(ecourt_env.token(Role.JUDGE, user_id="u-j7", judge_id="J-0007"),
                               format_case_id(assigned_case.case_id))  # the display form works too
    assert view["view"] == "full" and view["documents"]
    assert [(r.user_id, r.judge_id) for r in full_views(pg, assigned_case.case_id)] == [("u-j7", "J-0007")]


@pytest.mark.parametrize("roles, judge_id", [((Role.JUDGE,), "J-0099"), ((Role.CLERK,), None),
                                             ((Role.RECEPTION,), None)])
def test_other_staff_see_only_the_essentials_and_nothing_is_logged(service, ecourt_env, assigned_case, pg,
                                                                   roles, judge_id):
    view = service.get_dossier(ecourt_env.token(*roles, judge_id=judge_id), assigned_case.case_id)
    assert view == {"view": "essentials", "case_id": assigned_case.case_id,
                    "case_code": format_case_id(assigned_case.case_id), "court_id": "79KV01", "case_type": "DS",
                    "stage": "ST", "status": "preparing", "judge_id": "J-0007", "next_deadline_on": "2026-05-15"}
    assert full_views(pg, assigned_case.case_id) == []


def test_a_case_of_another_court_does_not_exist_for_the_caller(service, ecourt_env, assigned_case):
    token = ecourt_env.token(Role.PRESIDENT, court_id="01TC00")
    with pytest.raises(NotFound):
        service.get_dossier(token, assigned_case.case_id)
    with pytest.raises(NotFound):
        service.case_deadline(token, assigned_case.case_id)


def test_an_unknown_case_is_not_found_and_a_malformed_id_is_rejected(service, ecourt_env, events):
    token = ecourt_env.token(Role.PRESIDENT)
    with pytest.raises(NotFound):
        service.get_dossier(token, events.case_id())
    with pytest.raises(RequestRejected) as rejected:
        service.get_dossier(token, "79KV01-2026-000123-00")
    assert rejected.value.errors[0].field == "case_id"


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.LAWYER, Role.IT_ADMIN])
def test_people_outside_court_staff_are_refused(service, ecourt_env, assigned_case, role):
    with pytest.raises(PermissionDenied):
        service.get_dossier(ecourt_env.token(role), assigned_case.case_id)


def test_an_invalid_token_is_refused(service, assigned_case):
    with pytest.raises(PermissionDenied):
        service.get_dossier("not-a-token", assigned_case.case_id)


def test_case_deadline_gives_the_date_and_legal_basis_to_any_staff_of_the_court(service, ecourt_env, assigned_case):
    answer = service.case_deadline(ecourt_env.token(Role.CLERK), assigned_case.case_id)
    assert answer["case_id"] == assigned_case.case_id and answer["status"] == "preparing"
    deadline = answer["deadline"]
    assert deadline["rule_id"] == "civil.first_instance.preparation" and deadline["due_on"] == "2026-05-15"
    assert CIVIL_BASIS_VI in deadline["legal_basis_vi"] and "art. 203" in deadline["legal_basis_en"]
    assert deadline["needs_verification"] is False and len(deadline["explanation"]) >= 3


def test_concurrent_changes_to_one_dossier_lose_nothing(dossiers, events, stored_pdf):
    """Compare-and-swap on the revision: eight assignments written at once all reach the timeline."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import timedelta

    from ecourt_casefile.domain.dossier import apply_case_assigned, apply_case_received

    payload = events.received([stored_pdf])
    dossiers.change(payload.case_id, lambda doc: apply_case_received(doc, payload, "r"))
    assignments = [events.assigned(payload.case_id, judge_id=f"J-{n:04d}",
                                   assigned_at=events.ACCEPTED_AT + timedelta(hours=n)) for n in range(1, 9)]

    def assign(n: int) -> None:
        dossiers.change(payload.case_id, lambda doc: apply_case_assigned(doc, assignments[n], f"a{n}"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(assign, range(8)))
    doc = dossiers.get(payload.case_id)
    assert len(doc["timeline"]) == 9 and doc["judge_id"] == "J-0008"
    assert doc["revision"] == 9  # one write per change, none lost and none repeated


def test_case_received_and_case_assigned_processed_at_the_same_moment_always_converge(service, events, stored_pdf, pg):
    """Both transactions take the case's advisory lock, so neither can miss the other's write."""
    from concurrent.futures import ThreadPoolExecutor

    work = []
    for _ in range(10):
        received = events.received([stored_pdf])
        assigned = events.assigned(received.case_id, judge_id="J-0010")
        work += [(service.on_case_received, received), (service.on_case_assigned, assigned)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda job: job[0](job[1], events.envelope(job[1])), work))
    case_ids = [payload.case_id for handler, payload in work[::2]]
    rows = pg("SELECT judge_id FROM case_state WHERE case_id = ANY(:ids)", ids=case_ids)
    assert [r.judge_id for r in rows] == ["J-0010"] * 10
