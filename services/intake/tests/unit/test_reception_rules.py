"""Reception rules without broker or database: counting dates, kinds, attachments by content, parties."""

from __future__ import annotations

import base64
import struct
import zlib
from datetime import UTC, date, datetime

import pytest

from ecourt_intake.domain.attachments import check_attachment
from ecourt_intake.domain.parties import validate_party
from ecourt_intake.domain.reception import ValidReception, validate_reception
from ecourt_shared.contracts.reception import PartyInputV2, ReceptionV1
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.unit
LIMIT = 1024 * 1024
# 2026-03-02 23:30 in Ho Chi Minh City is 16:30 UTC: the legal day is the court's, not UTC's
RECEIVED = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg() -> bytes:
    sof = b"\xff\xc0\x00\x11\x08\x00\x02\x00\x02\x03\x01\x11\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\xff\xd9"


def item(**overrides: object) -> ReceptionV1:
    body: dict[str, object] = {
        "idempotency_key": "unit-reception-1", "kind": "petition", "case_type": "DS", "subject": "Tranh chấp",
        "parties": [{"role": "plaintiff", "full_name": "Nguyễn Văn An", "cccd": "079090001234"},
                    {"role": "defendant", "full_name": "Công ty TNHH A", "kind": "organization",
                     "tax_code": "0100233488"}],
        "attachments": [{"filename": "x.bin", "content_base64": base64.b64encode(blank_pdf()).decode()}]}
    body.update(overrides)
    return ReceptionV1.model_validate(body)


def fields(result: object) -> dict[str, str]:
    assert isinstance(result, list), result
    return {e.field: e.code for e in result}


def test_counter_filing_counts_from_the_courts_local_day_not_utc():
    result = validate_reception(item(), RECEIVED, LIMIT)
    assert isinstance(result, ValidReception)
    assert (result.counts_from, result.counting_basis) == (date(2026, 3, 2), "reception_date")


def test_postal_filing_counts_from_the_postmark():
    result = validate_reception(item(channel="post", postmark_date="2026-02-26"), RECEIVED, LIMIT)
    assert isinstance(result, ValidReception)
    assert (result.counts_from, result.counting_basis) == (date(2026, 2, 26), "postmark")


def test_postal_filing_without_postmark_names_the_rule_and_its_article():
    errors = validate_reception(item(channel="post"), RECEIVED, LIMIT)
    assert fields(errors) == {"postmark_date": "postmark_date.required"}
    assert "273" in errors[0].message_en  # type: ignore[index]


def test_detainee_filing_counts_from_the_date_the_detention_facility_certified():
    result = validate_reception(item(kind="appeal", channel="detention_facility", related_case="12/2025/HS-ST",
                                     case_type="HS", detention_certified_date="2026-02-20",
                                     parties=[{"role": "appellant", "full_name": "Lê Văn C", "cccd": "079090001234"}]),
                                RECEIVED, LIMIT)
    assert isinstance(result, ValidReception)
    assert (result.counts_from, result.counting_basis, result.stage) == (date(2026, 2, 20), "detention_certified", "PT")
    assert result.related_case_ref == "12/2025/HS-ST"


def test_online_filing_counts_from_its_submission_time_in_the_courts_time_zone():
    result = validate_reception(item(channel="online", submitted_at="2026-02-28T17:30:00Z"), RECEIVED, LIMIT)
    assert isinstance(result, ValidReception)
    assert (result.counts_from, result.counting_basis) == (date(2026, 3, 1), "online_submission")


def test_postmark_after_reception_and_fields_of_another_channel_are_refused():
    assert fields(validate_reception(item(channel="post", postmark_date="2026-03-05"), RECEIVED, LIMIT)) == {
        "postmark_date": "postmark_date.after_reception"}
    assert fields(validate_reception(item(postmark_date="2026-03-01"), RECEIVED, LIMIT)) == {
        "postmark_date": "postmark_date.not_for_channel"}


def test_indictment_needs_the_procuracy_and_an_accused_and_a_criminal_case_type():
    errors = fields(validate_reception(item(kind="indictment"), RECEIVED, LIMIT))
    assert errors == {"case_type": "case_type.not_for_kind", "parties": "parties.missing_accused"}


def test_appeal_without_the_case_it_concerns_is_refused():
    body = item(kind="appeal", parties=[{"role": "appellant", "full_name": "Lê Văn C"}])
    assert fields(validate_reception(body, RECEIVED, LIMIT)) == {"related_case": "related_case.required"}


def test_supplement_must_name_a_permanent_case_id_with_valid_check_digits():
    body = item(kind="supplement", case_type=None, parties=[], related_case="79KV01-2026-000123-00")
    assert fields(validate_reception(body, RECEIVED, LIMIT)) == {"related_case": "case_id.check_digits"}


def test_dispatch_needs_its_sender():
    body = item(kind="dispatch", case_type=None, parties=[])
    assert fields(validate_reception(body, RECEIVED, LIMIT)) == {"sender": "sender.required"}


def test_png_and_jpeg_scans_are_recognised_by_content_whatever_their_name():
    assert check_attachment(png(), LIMIT, "a").content_type == "image/png"  # type: ignore[union-attr]
    assert check_attachment(jpeg(), LIMIT, "a").content_type == "image/jpeg"  # type: ignore[union-attr]
    pdf = check_attachment(blank_pdf(pages=3), LIMIT, "a")
    assert (pdf.content_type, pdf.page_count) == ("application/pdf", 3)  # type: ignore[union-attr]


@pytest.mark.parametrize(("data", "code"), [
    (b"GIF89a....", "attachment.unsupported_type"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "attachment.corrupt_image"),
    (b"\xff\xd8\xff\xe0 truncated", "attachment.corrupt_image"),
    (b"", "attachment.empty"),
])
def test_other_or_broken_files_are_refused_by_content(data, code):
    result = check_attachment(data, LIMIT, "attachments.0")
    assert (result.field, result.code) == ("attachments.0", code)  # type: ignore[union-attr]


def test_every_broken_rule_is_reported_at_once():
    body = item(parties=[{"role": "plaintiff", "full_name": "A", "cccd": "079298001234", "date_of_birth": "2001-04-03"},
                         {"role": "defendant", "kind": "organization", "full_name": "B", "tax_code": "0100233480"}],
                attachments=[{"filename": "a.pdf", "content_base64": base64.b64encode(b"GIF89a").decode()}])
    errors = validate_reception(body, RECEIVED, LIMIT)
    assert fields(errors) == {"parties.0.cccd": "cccd.birth_year_mismatch",
                              "parties.1.tax_code": "tax_code.check_digit",
                              "attachments.0": "attachment.unsupported_type"}
    assert "birth-year digits 98 do not match date of birth 2001-04-03" in errors[0].message_en  # type: ignore[index]


def test_names_are_stored_in_nfc_and_minors_are_flagged_from_the_date_of_birth():
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Hoa"
    child = validate_party(PartyInputV2(full_name=decomposed, cccd="079310001234", date_of_birth=date(2010, 6, 1)), "p")
    assert not isinstance(child, list)
    assert child.full_name == "Nguyễn Thị Hoa" and child.sex == "female"
    assert child.is_minor(date(2026, 5, 31)) and not child.is_minor(date(2028, 6, 1))


def test_lawyer_needs_a_bar_number_and_procuracy_gets_a_name_from_its_code():
    assert fields(validate_party(PartyInputV2(kind="lawyer", full_name="LS Trần B"), "p")) == {
        "p.bar_number": "party.bar_number_required"}
    procuracy = validate_party(PartyInputV2(kind="procuracy", procuracy_code="vks79kv01"), "p")
    assert not isinstance(procuracy, list)
    assert procuracy.identity == ("procuracy_code", "VKS79KV01") and "VKS79KV01" in procuracy.full_name
