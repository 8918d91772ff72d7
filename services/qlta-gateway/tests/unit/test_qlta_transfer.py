"""Transfers in the canonical record: convergence in any order, and stable hashes for cases never transferred."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from ecourt_qlta.domain.canonical import QltaCaseRecord, canonical_json, content_sha256
from ecourt_qlta.domain.sync import ProgressedFact, ReceivedFact, TransferredFact, converge
from ecourt_shared.identifiers import make_case_id

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CASE = make_case_id("79Q001", 2026, 427)


def test_a_record_never_transferred_hashes_as_before_the_transfer_fields_existed() -> None:
    record = QltaCaseRecord(court_code="79KV01", case_code="79KV01-2026-000123-65")
    assert b"transfer" not in canonical_json(record)
    moved = record.model_copy(update={"transferred_from_court_code": "79Q001", "transfer_reason": "SAP_NHAP_TOA_AN",
                                      "transfer_date": date(2025, 7, 1)})
    assert b'"transferred_from_court_code":"79Q001"' in canonical_json(moved)
    assert content_sha256(moved) != content_sha256(record)


def test_transfer_and_statuses_converge_in_any_order() -> None:
    facts = [ReceivedFact(case_id=CASE, court_id="79Q001", acceptance_number="4/2026/TLST-DS",
                          accepted_on=date(2026, 3, 2), case_type="DS", stage="ST", subject="Tranh chấp",
                          occurred_at=T0),
             ProgressedFact(case_id=CASE, court_id="79Q001", case_type="DS", stage="ST", status="preparing",
                            occurred_at=T0 + timedelta(minutes=1)),
             TransferredFact(case_id=CASE, court_id="79KV01", from_court_id="79Q001", reason="merger",
                             transferred_on=date(2026, 4, 1), occurred_at=T0 + timedelta(days=30))]
    records = {content_sha256(converge(list(order)).record()) for order in itertools.permutations(facts)}
    assert len(records) == 1
    record = converge(facts).record()
    assert (record.court_code, record.transferred_from_court_code, record.transfer_reason) == (
        "79KV01", "79Q001", "SAP_NHAP_TOA_AN")
    # a later step at yet another court (an appeal) is where the case is now; the transfer note goes
    appealed = converge([*facts, ProgressedFact(case_id=CASE, court_id="79TA00", case_type="DS", stage="PT",
                                                status="preparing", occurred_at=T0 + timedelta(days=90))]).record()
    assert (appealed.court_code, appealed.transferred_from_court_code) == ("79TA00", None)
