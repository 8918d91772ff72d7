"""Events -> canonical QLTA record, and the record's content hash, as plain functions."""

from __future__ import annotations

import hashlib
import itertools
import json
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest

from ecourt_qlta.domain.canonical import TRANSFER_FIELDS, QltaCaseRecord, canonical_json, content_sha256
from ecourt_qlta.domain.sync import AssignedFact, CaseState, Fact, ProgressedFact, ReceivedFact, converge, merge
from ecourt_qlta.service_layer.projection import assigned_fact, progressed_fact, received_fact
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1, DeadlineV1
from ecourt_shared.identifiers import make_case_id

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 2, 15, tzinfo=UTC)
CASE = make_case_id("79KV01", 2026, 123)


def received_event() -> tuple[CaseReceivedV1, EventEnvelope]:
    payload = CaseReceivedV1(
        court_id="79KV01", case_id=CASE, acceptance_number="12/2026/TLST-DS", case_type="DS", stage="ST",
        subject="Tranh chấp hợp đồng vay tài sản", accepted_at=T0, accepted_on=date(2026, 3, 2), parties=[],
        documents=[], receipt_secret_hash="0" * 64)
    return payload, EventEnvelope.wrap(payload).model_copy(update={"occurred_at": T0})


def received(stage: str = "ST", at: datetime = T0, number: str = "12/2026/TLST-DS") -> ReceivedFact:
    return ReceivedFact(case_id=CASE, court_id="79KV01", acceptance_number=number, accepted_on=at.date(),
                        case_type="DS", stage=stage, subject="Tranh chấp hợp đồng vay tài sản", occurred_at=at)


def progressed(status: str, minutes: int, due: date | None = None) -> ProgressedFact:
    return ProgressedFact(case_id=CASE, court_id="79KV01", case_type="DS", stage="ST", status=status,
                          occurred_at=T0 + timedelta(minutes=minutes), deadline_on=due,
                          deadline_basis="Điều 203 khoản 1 BLTTDS 2015" if due else None)


def assigned(judge: str, minutes: int, method: str = "random") -> AssignedFact:
    return AssignedFact(case_id=CASE, court_id="79KV01", judge_id=judge, judge_name=f"Thẩm phán {judge}",
                        method=method, assigned_at=T0 + timedelta(minutes=minutes))


def test_case_received_maps_to_an_accepted_record() -> None:
    payload, envelope = received_event()
    record = merge(None, received_fact(payload, envelope)).record()
    assert record == QltaCaseRecord(
        court_code="79KV01", case_code="79KV01-2026-000123-" + CASE[-2:], acceptance_number="12/2026/TLST-DS",
        acceptance_date=date(2026, 3, 2), case_type="DS", case_type_name="Dân sự", stage="ST",
        stage_name="Sơ thẩm", subject="Tranh chấp hợp đồng vay tài sản", status_code="DA_THU_LY",
        status_name="Đã thụ lý", status_date=date(2026, 3, 2))


def test_assignment_and_progress_map_to_judge_status_and_deadline() -> None:
    payload, envelope = received_event()
    moved = CaseProgressedV1(court_id="79KV01", case_id=CASE, case_type="DS", stage="ST", status="preparing",
                             deadline=DeadlineV1(rule_id="BLTTDS-203-1", due_on=date(2026, 7, 2),
                                                 legal_basis_vi="Điều 203 khoản 1 BLTTDS 2015",
                                                 legal_basis_en="Civil Procedure Code 2015, art. 203(1)"))
    judge = CaseAssignedV1(court_id="79KV01", case_id=CASE, judge_id="J-0007", judge_name="Lê Văn Cường",
                           method="designation", draw_id=None, assigned_by="u-pres",
                           assigned_at=datetime(2026, 3, 2, 18, 0, tzinfo=UTC))  # 01:00 on 3 March in Vietnam
    state = converge([
        progressed_fact(moved, EventEnvelope.wrap(moved).model_copy(update={"occurred_at": T0 + timedelta(days=1)})),
        assigned_fact(judge, EventEnvelope.wrap(judge)),
        received_fact(payload, envelope)])
    record = state.record()
    assert (record.status_code, record.status_name) == ("CHUAN_BI_XET_XU", "Đang chuẩn bị xét xử")
    assert (record.deadline_date, record.deadline_basis) == (date(2026, 7, 2), "Điều 203 khoản 1 BLTTDS 2015")
    assert (record.judge_code, record.judge_name, record.assignment_method) == ("J-0007", "Lê Văn Cường", "CHI_DINH")
    assert record.assignment_date == date(2026, 3, 3)  # legal day in Asia/Ho_Chi_Minh
    assert record.acceptance_number == "12/2026/TLST-DS"


def test_an_invalid_case_id_is_poison() -> None:
    from ecourt_shared.bus.consumer import PoisonEvent

    payload, envelope = received_event()
    with pytest.raises(PoisonEvent):
        received_fact(payload.model_copy(update={"case_id": CASE[:-2] + "00"}), envelope)


def test_every_arrival_order_gives_the_same_record_and_hash() -> None:
    facts: list[Fact] = [
        received(), progressed("accepted", 1, date(2026, 7, 2)), assigned("J-1", 2),
        progressed("preparing", 3, date(2026, 7, 2)), progressed("suspended", 4), assigned("J-2", 5),
        progressed("preparing", 6, date(2026, 7, 20)), progressed("decided", 90)]
    states = {converge(list(order)).model_dump_json() for order in itertools.permutations(facts)}
    assert len(states) == 1
    record = converge(facts).record()
    assert (record.status_code, record.judge_code, record.deadline_date) == ("DA_XET_XU", "J-2", None)
    hashes = {content_sha256(converge(list(order)).record()) for order in itertools.permutations(facts[:6])}
    assert len(hashes) == 1


def test_redelivery_and_stale_events_change_nothing() -> None:
    state = converge([received(), progressed("decided", 30)])
    assert merge(state, received()) == state
    assert merge(state, progressed("preparing", 40, date(2026, 7, 2))).record() == state.record()


def test_appeal_acceptance_takes_over_the_acceptance_fields() -> None:
    later = T0 + timedelta(days=120)
    state = converge([received(stage="PT", at=later, number="3/2026/TLPT-DS"), progressed("in_effect", 60),
                      received()])
    record = state.record()
    assert (record.stage, record.acceptance_number, record.status_code) == ("PT", "3/2026/TLPT-DS", "DA_THU_LY")


def test_content_hash_is_sha256_of_canonical_json() -> None:
    record = converge([received(), assigned("J-1", 2)]).record()
    text = canonical_json(record)
    assert content_sha256(record) == hashlib.sha256(text).hexdigest()
    # empty transfer fields are left out, so records of cases never transferred keep their earlier hash
    assert json.loads(text) == record.model_dump(mode="json", exclude=set(TRANSFER_FIELDS))
    assert text.startswith(b'{"acceptance_date":"2026-03-02","acceptance_number":"12/2026/TLST-DS",')
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_content_hash_is_pinned() -> None:
    """A golden value: any change to the canonical form must be deliberate (and a new schema version)."""
    record = QltaCaseRecord(court_code="79KV01", case_code="79KV01-2026-000123-65", acceptance_number="12/2026/TLST-DS",
                            acceptance_date=date(2026, 3, 2), case_type="HNGĐ", case_type_name="Hôn nhân và gia đình",
                            stage="ST", stage_name="Sơ thẩm", status_code="DA_THU_LY", status_name="Đã thụ lý",
                            status_date=date(2026, 3, 2))
    assert canonical_json(record).decode() == (
        '{"acceptance_date":"2026-03-02","acceptance_number":"12/2026/TLST-DS","assignment_date":null,'
        '"assignment_method":null,"case_code":"79KV01-2026-000123-65","case_type":"HNGĐ",'
        '"case_type_name":"Hôn nhân và gia đình","court_code":"79KV01","deadline_basis":null,"deadline_date":null,'
        '"judge_code":null,"judge_name":null,"schema_version":"ecourt.qlta.case/1","stage":"ST",'
        '"stage_name":"Sơ thẩm","status_code":"DA_THU_LY","status_date":"2026-03-02","status_name":"Đã thụ lý",'
        '"subject":null}')
    assert content_sha256(record) == "ed5eda2dc83bfa3224be1e9f28c13dd38a385acff7b3d3357684447ceeae95ad"


def test_content_hash_ignores_unicode_normalization_and_construction_order() -> None:
    nfc = "Tranh chấp quyền nuôi con"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    one = QltaCaseRecord(court_code="79KV01", case_code="X", subject=nfc, judge_name="Lê Văn Cường")
    two = QltaCaseRecord(judge_name=unicodedata.normalize("NFD", "Lê Văn Cường"), subject=nfd, case_code="X",
                         court_code="79KV01")
    assert content_sha256(one) == content_sha256(two)
    assert content_sha256(one) != content_sha256(one.model_copy(update={"judge_name": "Lê Văn Cương"}))


def test_empty_state_has_a_record_without_status() -> None:
    record = CaseState.empty(CASE, "79KV01").record()
    assert record.status_code is None and record.case_code.startswith("79KV01-2026-000123-")

