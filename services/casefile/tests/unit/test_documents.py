"""A document opens only if its bytes are the ones intake recorded, in the court's own bucket."""

import pytest

from ecourt_casefile.domain.documents import content_mismatch, misplaced

pytestmark = pytest.mark.unit

PDF = b"%PDF-1.7 a petition"


def test_matching_bytes_pass(events):
    assert content_mismatch(events.document(PDF), PDF) is None


def test_other_bytes_under_the_same_name_are_reported(events):
    problem = content_mismatch(events.document(PDF), PDF + b"tampered")
    assert problem is not None and "sha256" in problem


def test_a_size_that_disagrees_is_reported(events):
    problem = content_mismatch(events.document(PDF, size_bytes=len(PDF) + 1), PDF)
    assert problem is not None and "bytes" in problem


def test_an_upper_case_digest_is_the_same_digest(events):
    ref = events.document(PDF)
    assert content_mismatch(ref.model_copy(update={"sha256": ref.sha256.upper()}), PDF) is None


def test_a_document_outside_the_court_bucket_is_misplaced(events):
    assert misplaced(events.document(PDF), "79KV01") is None
    assert "ecourt-01tc00" in (misplaced(events.document(PDF, bucket="ecourt-01tc00"), "79KV01") or "")
