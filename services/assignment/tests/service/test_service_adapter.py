"""The nameko adapter: who may call what, how payloads are parsed and what goes back over RPC."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from unittest.mock import MagicMock

import pytest
from nameko.testing.services import worker_factory

from ecourt_assignment import service as service_module
from ecourt_assignment.contracts import AssignmentResultV1, InboxCaseV1, RosterJudgeV1
from ecourt_assignment.domain.clock import utc_now
from ecourt_assignment.service import AssignmentService
from ecourt_assignment.service_layer import queries, receiving
from ecourt_shared.auth import Principal, Role
from ecourt_shared.auth.nameko import Authenticator
from ecourt_shared.bus.consumer import PoisonEvent
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseReceivedV1, PartyRefV1
from ecourt_shared.identifiers import make_case_id

pytestmark = pytest.mark.service

COURT = "79KV01"
CASE = make_case_id(COURT, 2026, 123)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def principal(*roles: Role, judge_id: str | None = None) -> Principal:
    return Principal(user_id="u-1", court_id=COURT, roles=list(roles), display_name="Người dùng",
                     judge_id=judge_id)


def service_as(p: Principal) -> AssignmentService:
    """A worker whose auth really checks roles against ``p`` (the token itself is not what is tested here)."""
    return worker_factory(AssignmentService, auth=Authenticator(lambda token: p))


def received(case_id: str = CASE) -> tuple[CaseReceivedV1, EventEnvelope]:
    payload = CaseReceivedV1(
        court_id=COURT, case_id=case_id, acceptance_number="12/2026/TLST-DS", case_type="DS", stage="ST",
        subject="Tranh chấp hợp đồng vay tài sản", accepted_at=NOW, accepted_on=date(2026, 11, 27),
        parties=[PartyRefV1(party_id="P-1", role="plaintiff", is_minor=False)], documents=[],
        receipt_secret_hash="0" * 64)
    return payload, EventEnvelope.wrap(payload)


def test_inbox_is_for_the_president_and_returns_json(monkeypatch):
    case = InboxCaseV1(case_id=CASE, acceptance_number="12/2026/TLST-DS", case_type="DS", stage="ST",
                       subject="Tranh chấp", party_count=2, accepted_at=NOW, received_at=NOW)
    handler = MagicMock(return_value=[case])
    monkeypatch.setattr(queries, "awaiting_cases", handler)
    president = principal(Role.PRESIDENT)
    service = service_as(president)
    result = service.inbox("token")
    handler.assert_called_once_with(president, service.db)
    assert result == [json.loads(case.model_dump_json())]
    json.dumps(result)  # plain JSON, nothing kombu would have to encode specially

    with pytest.raises(PermissionDenied):
        service_as(principal(Role.JUDGE, judge_id="TP-1")).inbox("token")


def test_assign_random_passes_the_case_and_returns_the_assignment(monkeypatch):
    result = AssignmentResultV1(case_id=CASE, acceptance_number="12/2026/TLST-DS", judge_id="TP-1",
                                judge_name="Lê Văn Cường", method="random", draw_id="DR-1", seed_commitment="ab" * 32,
                                weight="1.0000", assigned_at=NOW)
    handler = MagicMock(return_value=result)
    monkeypatch.setattr(service_module.drawing, "assign_random", handler)
    president = principal(Role.PRESIDENT)
    service = service_as(president)
    answer = service.assign_random("token", case_id=CASE)
    handler.assert_called_once_with(president, CASE, service.db, utc_now, draw_id=None)
    assert answer["judge_id"] == "TP-1" and answer["assigned_at"] == "2026-11-27T03:00:00Z"
    for roles in ((Role.JUDGE,), (Role.CLERK,), (Role.IT_ADMIN,)):
        with pytest.raises(PermissionDenied):
            service_as(principal(*roles)).assign_random("token", case_id=CASE)
    assert handler.call_count == 1


def test_a_bad_token_stops_before_any_handler(monkeypatch):
    handler = MagicMock()
    monkeypatch.setattr(service_module.drawing, "assign_random", handler)
    service = worker_factory(AssignmentService)
    service.auth.side_effect = PermissionDenied({"message_vi": "x", "message_en": "x"})
    with pytest.raises(PermissionDenied):
        service.assign_random("forged", case_id=CASE)
    handler.assert_not_called()


def test_register_judge_validates_the_payload_field_by_field(monkeypatch):
    handler = MagicMock()
    monkeypatch.setattr(service_module.judges, "register_judge", handler)
    service = service_as(principal(Role.IT_ADMIN))
    with pytest.raises(RequestRejected) as caught:
        service.register_judge("token", judge={"judge_id": "bad id!", "full_name": "", "specializations": [],
                                               "capacity": "1.5"})
    fields = {e.field for e in caught.value.errors}
    assert {"judge.judge_id", "judge.full_name", "judge.specializations", "judge.capacity"} <= fields
    assert all(e.message_vi and e.message_en for e in caught.value.errors)
    handler.assert_not_called()

    with pytest.raises(PermissionDenied):
        service_as(principal(Role.JUDGE)).register_judge("token", judge={})


def test_register_judge_returns_the_roster_entry_with_created(monkeypatch):
    entry = RosterJudgeV1(judge_id="TP-1", full_name="Lê Văn Cường", specializations=["civil"], capacity="0.5",
                          active=True, load_total="0.0000", assigned_cases=0)
    handler = MagicMock(return_value=(entry, True))
    monkeypatch.setattr(service_module.judges, "register_judge", handler)
    president = principal(Role.PRESIDENT)
    service = service_as(president)
    answer = service.register_judge("token", judge={"judge_id": "TP-1", "full_name": "Lê Văn Cường",
                                                    "specializations": ["civil"], "capacity": 0.5})
    contract = handler.call_args.args[1]
    assert str(contract.capacity) == "0.5" and contract.active is True
    assert answer == {**entry.model_dump(mode="json"), "created": True}


def test_judge_cases_lets_a_judge_see_only_their_own():
    db = MagicMock()
    judge = principal(Role.JUDGE, judge_id="TP-1")
    with pytest.raises(PermissionDenied):
        queries.judge_cases(judge, db, judge_id="TP-2")
    with pytest.raises(RequestRejected) as caught:
        queries.judge_cases(principal(Role.PRESIDENT), db)
    assert caught.value.errors[0].field == "judge_id"
    db.assert_not_called()


def test_judge_cases_passes_the_named_judge(monkeypatch):
    handler = MagicMock(return_value=[])
    monkeypatch.setattr(queries, "judge_cases", handler)
    president = principal(Role.PRESIDENT)
    service = service_as(president)
    assert service.judge_cases("token", judge_id="TP-2") == []
    handler.assert_called_once_with(president, service.db, "TP-2")
    with pytest.raises(PermissionDenied):
        service_as(principal(Role.CLERK)).judge_cases("token")


def test_roster_and_draw_roles(monkeypatch):
    monkeypatch.setattr(queries, "roster", MagicMock(return_value=[]))
    monkeypatch.setattr(queries, "draw_of_case", MagicMock(return_value={"verified": True}))
    assert service_as(principal(Role.PRESIDENT)).roster("token") == []
    with pytest.raises(PermissionDenied):
        service_as(principal(Role.JUDGE)).roster("token")
    assert service_as(principal(Role.JUDGE)).draw("token", case_id=CASE) == {"verified": True}
    with pytest.raises(PermissionDenied):
        service_as(principal(Role.CITIZEN)).draw("token", case_id=CASE)


def test_case_received_goes_to_the_inbox_handler(monkeypatch):
    handler = MagicMock(return_value=True)
    monkeypatch.setattr(receiving, "record_received_case", handler)
    service = worker_factory(AssignmentService)
    payload, envelope = received()
    service.on_case_received(payload, envelope)
    handler.assert_called_once_with(payload, envelope, service.db, utc_now)


def test_a_redelivered_event_changes_nothing(monkeypatch):
    uow = MagicMock()
    uow.__enter__.return_value = uow
    uow.claim_event.return_value = False
    add = MagicMock()
    monkeypatch.setattr(receiving.repository, "add_to_inbox", add)
    payload, envelope = received()
    assert receiving.record_received_case(payload, envelope, lambda: uow, lambda: NOW) is False
    uow.claim_event.assert_called_once_with("assignment", envelope.event_id)
    add.assert_not_called()
    uow.commit.assert_not_called()


def test_a_new_event_is_claimed_and_committed_with_its_effect(monkeypatch):
    uow = MagicMock()
    uow.__enter__.return_value = uow
    uow.claim_event.return_value = True
    add = MagicMock(return_value=True)
    monkeypatch.setattr(receiving.repository, "add_to_inbox", add)
    payload, envelope = received()
    assert receiving.record_received_case(payload, envelope, lambda: uow, lambda: NOW) is True
    values = add.call_args.args[1]
    assert values["status"] == "awaiting_assignment" and values["party_count"] == 1
    assert values["received_at"] == NOW and values["accepted_at"] == NOW
    uow.commit.assert_called_once()


def test_an_event_with_an_invalid_case_id_is_poison():
    payload, envelope = received(case_id="79KV01202600012300")  # wrong check digits
    with pytest.raises(PoisonEvent):
        receiving.record_received_case(payload, envelope, MagicMock(), lambda: NOW)


def test_an_archived_historical_case_is_claimed_but_never_enters_the_inbox(monkeypatch):
    uow = MagicMock()
    uow.__enter__.return_value = uow
    uow.claim_event.return_value = True
    add = MagicMock(return_value=True)
    monkeypatch.setattr(receiving.repository, "add_to_inbox", add)
    payload, _ = received()
    archived = payload.model_copy(update={"origin": "archive"})
    assert receiving.record_received_case(archived, EventEnvelope.wrap(archived), lambda: uow, lambda: NOW) is False
    add.assert_not_called()
    uow.commit.assert_called_once()  # the claim is kept: a redelivery is recognised
