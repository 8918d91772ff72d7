"""The dossier's document versions as pure functions: idempotent, order-independent, never silently changed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from ecourt_casefile.domain.document_versions import (
    apply_document_sealed,
    apply_document_signed,
    find_document,
    next_version_no,
    versions_of,
)
from ecourt_casefile.domain.dossier import DossierConflict
from ecourt_shared.contracts.signing import DocumentSealedV1, DocumentSignedV1

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
FILED = {"document_id": "D-1", "title": "Đơn khởi kiện", "filename": "don.pdf", "content_type": "application/pdf",
         "sha256": "aa" * 32, "size": 10, "page_count": 1, "bucket": "ecourt-79kv01",
         "object_key": "documents/sha256/aa/" + "aa" * 32, "version": 1}


def dossier() -> dict:
    return {"_id": "79KV01202600000143", "court_id": "79KV01", "header": {}, "documents": [dict(FILED)],
            "timeline": []}


def signed(step: int, role: str, in_effect: bool = False, sha: str | None = None) -> DocumentSignedV1:
    digest = sha or f"{step:02d}" * 32
    return DocumentSignedV1(
        court_id="79KV01", case_id="79KV01-2026-000001-43", document_id="VB-1", kind="judgment",
        title="BẢN ÁN SƠ THẨM", version_no=step + 1, sha256=digest, size_bytes=100 + step, step=step,
        signer_user_id=f"u-{role}", signer_role=role, signer_name=f"Người ký {step}", certificate_serial="01",
        signed_at=T0 + timedelta(minutes=step), in_effect=in_effect, needs_seal=True, bucket="ecourt-79kv01",
        object_key=f"documents/sha256/{digest[:2]}/{digest}")


EVENTS = [(signed(1, "judge"), "e1"), (signed(2, "president"), "e2"), (signed(3, "clerk", in_effect=True), "e3")]


def apply_all(order) -> dict:
    doc = dossier()
    for event, event_id in order:
        doc = apply_document_signed(doc, event, event_id, page_count=2)
    return doc


def test_signatures_in_any_order_and_repeated_give_the_same_dossier() -> None:
    expected = apply_all(EVENTS)
    for order in itertools.permutations(EVENTS):
        assert apply_all([*order, *order]) == expected
    entry = find_document(expected, "VB-1")
    assert entry is not None and [v["version"] for v in entry["versions"]] == [2, 3, 4]
    assert entry["status"] == "in_effect" and entry["version"] == 4 and entry["sha256"] == "03" * 32
    assert [e["kind"] for e in expected["timeline"]] == ["document_signed"] * 3


def test_a_version_number_coming_back_with_other_bytes_is_a_conflict() -> None:
    doc = apply_all(EVENTS[:1])
    with pytest.raises(DossierConflict):
        apply_document_signed(doc, signed(1, "judge", sha="ff" * 32), "e1-bis", page_count=2)


def test_the_seal_marks_the_document_sealed_and_a_late_signature_does_not_undo_it() -> None:
    doc = apply_all(EVENTS[:1] + EVENTS[2:])
    seal = DocumentSealedV1(court_id="79KV01", case_id="79KV01-2026-000001-43", document_id="VB-1",
                            kind="judgment", title="BẢN ÁN SƠ THẨM", sealed_by="u-clerk",
                            sealed_at=T0 + timedelta(hours=1), scan_sha256="cc" * 32, sealed_by_name="Vũ Ngọc Ánh")
    doc = apply_document_sealed(doc, seal, "s1")
    doc = apply_document_signed(doc, *EVENTS[1], page_count=2)  # the president's signature, redelivered late
    entry = find_document(doc, "VB-1")
    assert entry is not None and entry["status"] == "sealed" and len(entry["versions"]) == 3
    sealed = [e for e in doc["timeline"] if e["kind"] == "document_sealed"]
    assert "Thư ký Tòa án Vũ Ngọc Ánh" in sealed[0]["text_vi"] and "11:00" in sealed[0]["text_vi"]  # UTC+7


def test_a_filed_document_reads_as_version_1_and_numbers_continue_from_it() -> None:
    doc = dossier()
    assert [v["version"] for v in versions_of(doc["documents"][0])] == [1]
    assert next_version_no(doc, "D-1") == 2 and next_version_no(doc, "D-new") == 1
