"""Synthetic historical archives for tests and benchmarks: real-format numbers, CCCDs and PDFs.

Every case gets its own PDFs. They are made from one pypdf-written template whose fixed-width title is
overwritten in place (same length, so the cross-reference offsets stay valid): tens of thousands of
distinct, readable PDFs in seconds instead of minutes.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

_PLACEHOLDER = "ECOURTSYNTHETIC" + "X" * 33  # 48 letters (pypdf escapes punctuation)
_TYPES = ("DS", "HNGĐ", "KDTM", "LĐ")
_TITLES = ("Đơn khởi kiện", "Thông báo thụ lý vụ án", "Biên bản lấy lời khai")
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi")
_GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hoa", "Đức Khánh", "Thị Lan", "Hữu Nghĩa")


def _template() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": _PLACEHOLDER})
    buf = io.BytesIO()
    writer.write(buf)
    data = buf.getvalue()
    assert data.count(_PLACEHOLDER.encode()) == 1
    return data


def _person(serial: int, born: int, female: bool) -> dict[str, Any]:
    century = (0 if born < 2000 else 2) + (1 if female else 0)
    dob = date(born, 1, 1) + timedelta(days=serial % 360)
    name = f"{_SURNAMES[serial % 8]} {_GIVEN[(serial // 8) % 8]}"
    return {"full_name": name, "cccd": f"079{century}{born % 100:02d}{serial % 1_000_000:06d}",
            "date_of_birth": dob.isoformat(), "sex": "female" if female else "male"}


def synthetic_case(index: int, sequences: Counter[tuple[int, str, str]], first_year: int = 2016,
                   years: int = 8) -> dict[str, Any]:
    """The ``index``-th case of an archive; ``sequences`` hands out gap-free numbers per year and series."""
    year = first_year + index % years
    case_type = _TYPES[(index // years) % len(_TYPES)]
    stage = "PT" if index % 10 == 9 else "ST"
    kind = f"TL{stage}"
    sequences[(year, kind, case_type)] += 1
    seq = sequences[(year, kind, case_type)]
    plaintiff = _person(2 * index, 1950 + index % 50, female=index % 2 == 1)
    defendant = _person(2 * index + 1, 1960 + index % 40, female=index % 3 == 0)
    return {
        "original_court": "79KV01", "year": year, "acceptance_number": f"{seq:02d}/{year}/{kind}-{case_type}",
        "case_type": case_type, "stage": stage,
        "accepted_on": (date(year, 1, 2) + timedelta(days=seq % 360)).isoformat(),
        "subject": f"Tranh chấp hợp đồng số {index}",
        "parties": [{"role": "plaintiff", **plaintiff, "phone": f"09{index % 100_000_000:08d}"},
                    {"role": "defendant", **defendant}],
        "documents": [{"path": f"docs/{year}/{kind}-{case_type.replace('Đ', 'D')}-{seq:05d}/{k + 1}.pdf",
                       "title": title} for k, title in enumerate(_TITLES)],
    }


def write_archive(folder: Path, count: int, extra_lines: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Write ``folder/manifest.jsonl`` with ``count`` valid cases (3 PDFs each), then ``extra_lines`` as given."""
    template = _template()
    sequences: Counter[tuple[int, str, str]] = Counter()
    records = [synthetic_case(i, sequences) for i in range(count)]
    for record in records:
        for k, document in enumerate(record["documents"]):
            path = folder / document["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            stamp = f"{record['acceptance_number']}#{k}".replace("Đ", "D").encode().ljust(len(_PLACEHOLDER), b" ")
            path.write_bytes(template.replace(_PLACEHOLDER.encode(), stamp))
    lines = records + list(extra_lines or [])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    return lines
