"""Building the dossier document: idempotent, independent of event order, references only."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ecourt_casefile.domain.dossier import (
    DOCUMENT_VERSION,
    DossierConflict,
    apply_case_assigned,
    apply_case_received,
    bson_instant,
    is_complete,
)
from ecourt_shared.identifiers import IdentifierError

pytestmark = pytest.mark.unit

PDF = b"%PDF-1.7 a petition"


def test_received_builds_header_parties_documents_and_one_timeline_entry(events):
    event = events.received([events.document(PDF)])
    doc = apply_case_received(None, event, "evt-1")

    assert doc["_id"] == event.case_id and doc["court_id"] == "79KV01"
    assert doc["header"] == {
        "case_code": f"{event.case_id[:6]}-{event.case_id[6:10]}-{event.case_id[10:16]}-{event.case_id[16:]}",
        "acceptance_number": "12/2026/TLST-DS", "case_type": "DS", "stage": "ST",
        "subject": "Tranh chấp hợp đồng vay tài sản", "accepted_at": bson_instant(events.ACCEPTED_AT),
        "accepted_on": "2026-01-15"}
    assert doc["parties"] == [{"party_id": "P-00000000000000A1", "role": "plaintiff", "is_minor": False},
                              {"party_id": "P-00000000000000B2", "role": "defendant", "is_minor": True}]
    ref = event.documents[0]
    assert doc["documents"] == [{
        "document_id": ref.document_id, "title": "Đơn khởi kiện", "filename": "don-khoi-kien.pdf",
        "content_type": "application/pdf", "sha256": ref.sha256, "size": len(PDF), "page_count": 1,
        "bucket": "ecourt-79kv01", "object_key": ref.object_key, "version": DOCUMENT_VERSION}]
    [entry] = doc["timeline"]
    assert entry["kind"] == "case_received" and entry["event_id"] == "evt-1"
    assert "12/2026/TLST-DS" in entry["text_vi"] and "Thụ lý" in entry["text_vi"]
    assert "accepted" in entry["text_en"]
    assert doc["judge_id"] is None and is_complete(doc)


def test_dossier_carries_no_personal_data_only_party_references(events):
    doc = apply_case_received(None, events.received([events.document(PDF)]), "evt-1")
    assert all(set(p) == {"party_id", "role", "is_minor"} for p in doc["parties"])


def test_applying_the_same_event_twice_changes_nothing(events):
    event = events.received([events.document(PDF)])
    once = apply_case_received(None, event, "evt-1")
    assert apply_case_received(once, event, "evt-1") == once
    assigned = events.assigned(event.case_id)
    twice = apply_case_assigned(apply_case_assigned(once, assigned, "evt-2"), assigned, "evt-2")
    assert twice == apply_case_assigned(once, assigned, "evt-2")
    assert [e["kind"] for e in twice["timeline"]] == ["case_received", "case_assigned"]


def test_apply_does_not_mutate_its_input(events):
    event = events.received([events.document(PDF)])
    first = apply_case_received(None, event, "evt-1")
    snapshot = {**first, "timeline": list(first["timeline"])}
    apply_case_assigned(first, events.assigned(event.case_id), "evt-2")
    assert first == snapshot


def test_assignment_before_the_case_converges_to_the_same_dossier(events):
    received = events.received([events.document(PDF)])
    assigned = events.assigned(received.case_id)
    in_order = apply_case_assigned(apply_case_received(None, received, "r"), assigned, "a")
    stub = apply_case_assigned(None, assigned, "a")
    assert not is_complete(stub) and stub["judge_id"] == "J-0007"
    reversed_order = apply_case_received(stub, received, "r")
    assert reversed_order == in_order
    assert reversed_order["judge_id"] == "J-0007"
    assert reversed_order["judge_name"] == assigned.judge_name  # shown to the judge and president by name
    assert [e["kind"] for e in reversed_order["timeline"]] == ["case_received", "case_assigned"]  # by time


def test_latest_assignment_wins_whatever_the_delivery_order_and_both_stay_in_the_timeline(events):
    doc = apply_case_received(None, events.received([events.document(PDF)]), "r")
    first = events.assigned(doc["_id"], judge_id="J-0001")
    later = events.assigned(doc["_id"], judge_id="J-0002", assigned_at=first.assigned_at + timedelta(days=3))
    a = apply_case_assigned(apply_case_assigned(doc, first, "a1"), later, "a2")
    b = apply_case_assigned(apply_case_assigned(doc, later, "a2"), first, "a1")
    assert a == b
    assert a["judge_id"] == "J-0002"
    assert len([e for e in a["timeline"] if e["kind"] == "case_assigned"]) == 2


def test_an_event_of_another_court_for_the_same_case_id_is_a_conflict(events):
    doc = apply_case_received(None, events.received([events.document(PDF)]), "r")
    with pytest.raises(DossierConflict):
        apply_case_assigned(doc, events.assigned(doc["_id"], court_id="01TC00"), "a")
    stub = apply_case_assigned(None, events.assigned(doc["_id"], court_id="01TC00"), "a")
    with pytest.raises(DossierConflict):
        apply_case_received(stub, events.received([events.document(PDF)], case_id=doc["_id"]), "r")


def test_a_malformed_case_id_is_refused(events):
    event = events.received([events.document(PDF)]).model_copy(update={"case_id": "79KV01202600012300"})
    with pytest.raises(IdentifierError):
        apply_case_received(None, event, "r")


def test_instants_are_kept_at_bson_precision_in_utc():
    ict = datetime(2026, 1, 15, 9, 30, 0, 987654, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    stored = bson_instant(ict)
    assert stored.tzinfo == UTC and stored.microsecond % 1000 == 0
    assert stored == bson_instant(stored)
    with pytest.raises(ValueError):
        bson_instant(datetime(2026, 1, 15))
