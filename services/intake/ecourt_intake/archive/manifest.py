"""Reading an archive manifest (JSON Lines or CSV) into historical cases, with their documents' bytes.

The format is documented in ``README.md`` beside this module. Reading is forgiving where people are
(``HNGD`` for ``HNGĐ``, blank CSV cells), strict where the law is: the identifier rules run in ``rules``.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from ecourt_intake.archive.contract import HistoricalCaseV1
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.contracts.events import CaseType, Stage

MANIFEST_NAMES = ("manifest.jsonl", "manifest.csv")
PARTY_FIELDS = ("role", "full_name", "cccd", "date_of_birth", "sex", "phone", "address")
_PARTY_COLUMN = re.compile(r"party(\d+)_(\w+)")


class ManifestError(Exception):
    """The manifest itself cannot be read (missing, unknown format); single entries are rejected instead."""


@dataclass(frozen=True)
class ManifestEntry:
    line: int  # 1-based line of a JSONL file, or row of a CSV file counting the header as line 1
    record: dict[str, Any] | None  # None when the line is not readable at all
    problem: FieldError | None = None

    def fingerprint(self, court_id: str) -> str:
        """Identity of this entry for the checkpoint: its court and its content as written."""
        text = json.dumps(self.record, sort_keys=True, ensure_ascii=False) if self.record else f"line:{self.line}"
        return hashlib.sha256(f"{court_id}\n{text}".encode()).hexdigest()

    @property
    def label(self) -> str:
        """What a person recognizes the entry by in the report."""
        number = (self.record or {}).get("acceptance_number")
        return str(number) if number else f"line {self.line}"


def find_manifest(path: Path) -> Path:
    if path.is_dir():
        for name in MANIFEST_NAMES:
            if (path / name).is_file():
                return path / name
        raise ManifestError(f"{path} has no manifest.jsonl or manifest.csv / "
                            f"thư mục không có manifest.jsonl hay manifest.csv")
    if not path.is_file():
        raise ManifestError(f"{path} does not exist / không tồn tại")
    if path.suffix.lower() not in (".jsonl", ".csv"):
        raise ManifestError(f"{path}: a manifest is .jsonl or .csv / tệp kê khai phải là .jsonl hoặc .csv")
    return path


def read_entries(manifest: Path) -> list[ManifestEntry]:
    if manifest.suffix.lower() == ".csv":
        return list(_csv_entries(manifest))
    return list(_jsonl_entries(manifest))


def _jsonl_entries(manifest: Path) -> Iterator[ManifestEntry]:
    with manifest.open(encoding="utf-8-sig") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ManifestEntry(number, None, FieldError(
                    field="line", code="archive.manifest.bad_json",
                    message_vi=f"dòng {number} không phải JSON hợp lệ: {exc.msg}",
                    message_en=f"line {number} is not valid JSON: {exc.msg}"))
                continue
            if not isinstance(record, dict):
                yield ManifestEntry(number, None, FieldError(
                    field="line", code="archive.manifest.not_object",
                    message_vi=f"dòng {number} phải là một đối tượng JSON", message_en=f"line {number} must be a "
                                                                                     f"JSON object"))
                continue
            yield ManifestEntry(number, record)


def _csv_entries(manifest: Path) -> Iterator[ManifestEntry]:
    with manifest.open(encoding="utf-8-sig", newline="") as rows:
        for number, row in enumerate(csv.DictReader(rows), start=2):
            yield ManifestEntry(number, _csv_record(row))


def _csv_record(row: dict[str, str | None]) -> dict[str, Any]:
    """One spreadsheet row: case columns, ``partyN_<field>`` groups and ';'-separated document columns."""
    cells = {key.strip(): (value or "").strip() for key, value in row.items() if key}
    record: dict[str, Any] = {k: v for k, v in cells.items()
                              if v and not _PARTY_COLUMN.fullmatch(k) and k not in ("documents", "document_titles")}
    parties: dict[int, dict[str, str]] = {}
    for key, value in cells.items():
        match = _PARTY_COLUMN.fullmatch(key)
        if match and value:
            parties.setdefault(int(match[1]), {})[match[2]] = value
    record["parties"] = [parties[i] for i in sorted(parties)]
    paths = [p.strip() for p in cells.get("documents", "").split(";") if p.strip()]
    titles = [t.strip() for t in cells.get("document_titles", "").split(";")]
    record["documents"] = [{"path": p, **({"title": titles[i]} if i < len(titles) and titles[i] else {})}
                           for i, p in enumerate(paths)]
    return record


def _canonical_code(value: Any, choices: tuple[str, ...]) -> Any:
    if not isinstance(value, str):
        return value
    key = value.strip().upper().replace("Đ", "D")
    return next((c for c in choices if c.replace("Đ", "D") == key), value)


def _read_document(base: Path, index: int, doc: Any) -> dict[str, str] | FieldError:
    field = f"documents.{index}"
    if not isinstance(doc, dict) or not isinstance(doc.get("path"), str) or not doc["path"].strip():
        return FieldError(field=f"{field}.path", code="archive.documents.path_missing",
                          message_vi="mỗi tài liệu cần đường dẫn 'path' (tương đối với tệp kê khai)",
                          message_en="each document needs a 'path' (relative to the manifest)")
    relative = doc["path"].strip()
    target = (base / relative).resolve()
    if Path(relative).is_absolute() or not target.is_relative_to(base.resolve()):
        return FieldError(field=f"{field}.path", code="archive.documents.outside_folder",
                          message_vi=f"'{relative}' nằm ngoài thư mục của tệp kê khai",
                          message_en=f"'{relative}' is outside the manifest's folder")
    if not target.is_file():
        return FieldError(field=f"{field}.path", code="archive.documents.file_missing",
                          message_vi=f"không tìm thấy tệp '{relative}'", message_en=f"file '{relative}' not found")
    out = {"filename": target.name, "content_base64": base64.b64encode(target.read_bytes()).decode()}
    if isinstance(doc.get("title"), str) and doc["title"].strip():
        out["title"] = doc["title"].strip()
    return out


def contract_errors(exc: ValidationError) -> list[FieldError]:
    return [FieldError(field=".".join(str(p) for p in err["loc"]) or "entry", code=err["type"],
                       message_vi=f"Giá trị không hợp lệ: {err['msg']}", message_en=err["msg"])
            for err in exc.errors()]


def to_contract(entry: ManifestEntry, base: Path) -> HistoricalCaseV1 | list[FieldError]:
    """The RPC contract of one entry, with its documents read from disk, or every problem found."""
    if entry.record is None:
        assert entry.problem is not None
        return [entry.problem]
    record = dict(entry.record)
    record["case_type"] = _canonical_code(record.get("case_type"), get_args(CaseType))
    record["stage"] = _canonical_code(record.get("stage"), get_args(Stage))
    errors: list[FieldError] = []
    documents = record.get("documents")
    if isinstance(documents, list):
        read = [_read_document(base, i, doc) for i, doc in enumerate(documents)]
        errors += [r for r in read if isinstance(r, FieldError)]
        record["documents"] = [r for r in read if not isinstance(r, FieldError)]
    try:
        case = HistoricalCaseV1.model_validate(record)
    except ValidationError as exc:
        return errors + [e for e in contract_errors(exc)
                         if not (errors and e.field == "documents" and e.code == "too_short")]
    return errors or case
