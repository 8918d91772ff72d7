"""Reading archive manifests and checking historical cases with reception's identifier rules."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ecourt_intake.archive.contract import HistoricalCaseV1
from ecourt_intake.archive.manifest import ManifestError, find_manifest, read_entries, to_contract
from ecourt_intake.archive.rules import ValidHistoricalCase, validate_historical_case
from ecourt_intake.archive.synthetic import synthetic_case, write_archive
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.testing.documents import blank_pdf

pytestmark = pytest.mark.unit

TODAY = date(2026, 5, 1)
MAX = 1 << 20


def case_dict(**changes: Any) -> dict[str, Any]:
    record = {
        "original_court": "79KV01", "year": 2019, "acceptance_number": "12/2019/TLST-DS", "case_type": "DS",
        "stage": "ST", "accepted_on": "2019-03-14", "subject": "Tranh chấp hợp đồng vay tài sản",
        "parties": [{"role": "plaintiff", "full_name": "Nguyễn Văn An", "cccd": "079090001234",
                     "date_of_birth": "1990-05-01", "sex": "male", "phone": "0912345678"}],
        "documents": [{"path": "docs/don.pdf", "title": "Đơn khởi kiện"}],
    }
    record.update(changes)
    return record


def folder_with(tmp_path: Path, *records: dict[str, Any]) -> Path:
    (tmp_path / "docs").mkdir(parents=True, exist_ok=True)
    (tmp_path / "docs" / "don.pdf").write_bytes(blank_pdf())
    (tmp_path / "manifest.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                             encoding="utf-8")
    return tmp_path


def checked(tmp_path: Path, **changes: Any) -> ValidHistoricalCase | list[FieldError]:
    folder = folder_with(tmp_path, case_dict(**changes))
    case = to_contract(read_entries(folder / "manifest.jsonl")[0], folder)
    if isinstance(case, list):
        return case
    return validate_historical_case(case, "79KV01", TODAY, MAX)


def rules_broken(result: ValidHistoricalCase | list[FieldError]) -> set[tuple[str, str]]:
    assert isinstance(result, list), "expected the entry to be refused"
    return {(e.field, e.code) for e in result}


def test_a_valid_entry_keeps_its_original_number_in_canonical_spelling(tmp_path: Path) -> None:
    result = checked(tmp_path, acceptance_number="12/2019/tlst - ds")
    assert isinstance(result, ValidHistoricalCase)
    assert result.acceptance_number == "12/2019/TLST-DS"
    assert result.idempotency_key == "archive:79KV01:12/2019/TLST-DS"
    assert result.parties[0][0].phone_e164 == "+84912345678"
    assert result.documents[0].pdf.page_count == 1


def test_case_type_spelled_without_the_d_stroke_is_read_as_hngd(tmp_path: Path) -> None:
    result = checked(tmp_path, case_type="HNGD", acceptance_number="05/2019/TLST-HNGD")
    assert isinstance(result, ValidHistoricalCase)
    assert result.number.case_type == "HNGĐ" and result.acceptance_number == "05/2019/TLST-HNGĐ"


def test_cccd_birth_year_that_contradicts_date_of_birth_is_refused_on_that_party(tmp_path: Path) -> None:
    party = {"role": "plaintiff", "full_name": "Lê Văn C", "cccd": "079098001234", "date_of_birth": "2001-04-03"}
    codes = rules_broken(checked(tmp_path, parties=[party]))
    assert [field for field, _ in codes] == ["parties.0.cccd"]


def test_judgment_number_is_not_an_acceptance_number(tmp_path: Path) -> None:
    assert ("acceptance_number", "archive.acceptance_number.not_acceptance") in rules_broken(
        checked(tmp_path, acceptance_number="12/2019/QĐST-DS"))


def test_number_year_type_and_stage_must_agree_with_the_entry(tmp_path: Path) -> None:
    codes = rules_broken(checked(tmp_path, acceptance_number="12/2018/TLPT-LĐ"))
    assert {("year", "archive.year.number_mismatch"), ("case_type", "archive.case_type.number_mismatch"),
            ("stage", "archive.stage.number_mismatch")} <= codes


def test_acceptance_day_outside_the_year_or_in_the_future_is_refused(tmp_path: Path) -> None:
    assert ("accepted_on", "archive.accepted_on.year_mismatch") in rules_broken(
        checked(tmp_path, accepted_on="2020-01-02"))
    assert ("accepted_on", "archive.accepted_on.future") in rules_broken(
        checked(tmp_path, year=2027, acceptance_number="01/2027/TLST-DS", accepted_on="2027-01-02"))


def test_another_courts_archive_is_refused_until_courts_can_be_merged(tmp_path: Path) -> None:
    assert ("original_court", "archive.original_court.not_this_court") in rules_broken(
        checked(tmp_path, original_court="79Q001"))


def test_unreadable_number_names_the_field_and_format_rule(tmp_path: Path) -> None:
    assert ("acceptance_number", "official_number.format") in rules_broken(
        checked(tmp_path, acceptance_number="số 12 năm 2019"))


def test_missing_document_file_and_path_outside_the_folder_are_refused(tmp_path: Path) -> None:
    codes = rules_broken(checked(tmp_path, documents=[{"path": "docs/missing.pdf"}, {"path": "../etc/passwd"}]))
    assert codes == {("documents.0.path", "archive.documents.file_missing"),
                     ("documents.1.path", "archive.documents.outside_folder")}


def test_a_document_that_is_not_a_pdf_by_content_is_refused_whatever_its_name(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, case_dict(documents=[{"path": "docs/fake.pdf"}]))
    (folder / "docs" / "fake.pdf").write_bytes(b"PK\x03\x04 this is a zip")
    case = to_contract(read_entries(folder / "manifest.jsonl")[0], folder)
    assert isinstance(case, HistoricalCaseV1)
    assert rules_broken(validate_historical_case(case, "79KV01", TODAY, MAX)) == {
        ("documents.0", "attachment.not_pdf")}


def test_entry_without_documents_or_parties_is_refused_by_the_contract(tmp_path: Path) -> None:
    codes = rules_broken(checked(tmp_path, documents=[], parties=[]))
    assert {("documents", "too_short"), ("parties", "too_short")} <= codes


def test_broken_json_line_is_one_rejected_entry_not_a_failed_manifest(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, case_dict())
    with (folder / "manifest.jsonl").open("a", encoding="utf-8") as out:
        out.write("{not json\n\n# a comment\n")
    entries = read_entries(folder / "manifest.jsonl")
    assert [e.line for e in entries] == [1, 2]
    assert rules_broken(to_contract(entries[1], folder)) == {("line", "archive.manifest.bad_json")}


def test_csv_rows_with_party_groups_and_document_lists_read_like_jsonl(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / "docs" / "tb.pdf").write_bytes(blank_pdf(2))
    (folder / "manifest.csv").write_text(
        "original_court,year,acceptance_number,case_type,stage,accepted_on,subject,documents,document_titles,"
        "party1_role,party1_full_name,party1_cccd,party1_date_of_birth,party1_sex,party2_role,party2_full_name,"
        "party2_cccd\n"
        "79KV01,2019,12/2019/TLST-DS,DS,ST,2019-03-14,Tranh chấp hợp đồng vay,docs/don.pdf; docs/tb.pdf,"
        "Đơn khởi kiện;,plaintiff,Nguyễn Văn An,079090001234,1990-05-01,male,defendant,Trần Thị Bình,"
        "079185004321\n", encoding="utf-8")
    assert find_manifest(folder) == folder / "manifest.jsonl"  # JSON Lines wins when both exist
    entry = read_entries(folder / "manifest.csv")[0]
    assert entry.line == 2
    case = to_contract(entry, folder)
    assert isinstance(case, HistoricalCaseV1)
    assert [p.role for p in case.parties] == ["plaintiff", "defendant"]
    assert [d.title for d in case.documents] == ["Đơn khởi kiện", "Tài liệu lưu trữ"]
    valid = validate_historical_case(case, "79KV01", TODAY, MAX)
    assert isinstance(valid, ValidHistoricalCase) and valid.documents[1].pdf.page_count == 2


def test_a_folder_without_a_manifest_is_an_error_for_the_whole_run(tmp_path: Path) -> None:
    with pytest.raises(ManifestError):
        find_manifest(tmp_path)


def test_fingerprint_ignores_spelling_but_not_content(tmp_path: Path) -> None:
    a = checked(tmp_path / "a", acceptance_number="12/2019/TLST-DS")
    b = checked(tmp_path / "b", acceptance_number="12 / 2019 / tlst-ds")
    c = checked(tmp_path / "c", subject="Tranh chấp khác hẳn")
    assert isinstance(a, ValidHistoricalCase) and isinstance(b, ValidHistoricalCase)
    assert isinstance(c, ValidHistoricalCase)
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_synthetic_archives_have_valid_unique_numbers_and_three_distinct_pdfs(tmp_path: Path) -> None:
    records = write_archive(tmp_path, 40)
    assert len({r["acceptance_number"] for r in records}) == 40
    hashes = set()
    for entry in read_entries(tmp_path / "manifest.jsonl"):
        case = to_contract(entry, tmp_path)
        assert isinstance(case, HistoricalCaseV1)
        valid = validate_historical_case(case, "79KV01", TODAY, MAX)
        assert isinstance(valid, ValidHistoricalCase), valid
        hashes.update(d.sha256 for d in valid.documents)
    assert len(hashes) == 120
    assert synthetic_case(0, Counter())["acceptance_number"] == "01/2016/TLST-DS"
