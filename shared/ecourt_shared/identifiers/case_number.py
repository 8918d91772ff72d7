"""Official case numbers as courts write them: ``01/2022/LĐ-ST``, ``03/2021/TLST-LĐ``, ``37/2023/QĐST-HNGĐ``.

Two shapes share ``sequence/year/``: TYPE-STAGE for judgments and cassation or retrial decisions, and
KIND-TYPE for acceptance notices (TLST, TLPT) and decisions (QĐST...). The codes and their names live in
``data/case_number_codes.yaml``. Parsing forgives what people type: "D" for "Đ", lowercase, spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ._data import load_table
from .errors import IdentifierError

_SHAPE = re.compile(r"(\d{1,6})/(\d{4})/([A-ZĐ]+)-([A-ZĐ]+)")


def _key(token: str) -> str:
    return token.upper().replace("Đ", "D")


def _codes(section: str) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = load_table("case_number_codes.yaml")[section]
    return table


def _lookup(section: str, token: str) -> str | None:
    """Canonical spelling (with Đ) of ``token`` in ``section``, or None."""
    return next((code for code in _codes(section) if _key(code) == _key(token)), None)


@dataclass(frozen=True)
class OfficialNumber:
    sequence: int
    year: int
    kind: str  # a stage code (ST, PT, GĐT, TT) for judgments, else a marker such as TLST or QĐST
    case_type: str

    @property
    def stage(self) -> str:
        kinds = _codes("kinds")
        return str(kinds[self.kind]["stage"]) if self.kind in kinds else self.kind

    @property
    def is_acceptance(self) -> bool:
        return bool(_codes("kinds").get(self.kind, {}).get("acceptance", False))

    def __str__(self) -> str:
        judgment_shape = self.kind in _codes("stages")
        suffix = f"{self.case_type}-{self.kind}" if judgment_shape else f"{self.kind}-{self.case_type}"
        return f"{self.sequence:02d}/{self.year:04d}/{suffix}"


def _fail(code: str, vi: str, en: str) -> IdentifierError:
    return IdentifierError("official_number", code, vi, en)


def _require(section: str, token: str, vi_what: str, en_what: str) -> str:
    code = _lookup(section, token)
    if code is None:
        known = ", ".join(_codes(section))
        raise _fail(f"official_number.unknown_{section}",
                    f"{vi_what} '{token}' không có trong danh mục ({known})",
                    f"{en_what} '{token}' is not one of {known}")
    return code


def format_acceptance_number(seq: int, year: int, stage: str, case_type: str) -> str:
    """``format_acceptance_number(1, 2026, "ST", "DS")`` -> ``"01/2026/TLST-DS"``."""
    stage_code = _require("stages", stage, "cấp xét xử", "stage")
    type_code = _require("case_types", case_type, "loại vụ án", "case type")
    kinds = _codes("kinds").items()
    marker = next((k for k, v in kinds if v["acceptance"] and v["stage"] == stage_code), None)
    if marker is None:
        raise _fail("official_number.no_acceptance_marker", f"cấp {stage_code} không có số thụ lý riêng",
                    f"stage {stage_code} has no acceptance number")
    if seq < 1:
        raise _fail("official_number.sequence", f"số thứ tự {seq} phải từ 1 trở lên",
                    f"sequence {seq} must be 1 or more")
    return str(OfficialNumber(seq, year, marker, type_code))


def parse_official_number(text: str) -> OfficialNumber:
    """Read any real-world spelling; e.g. ``"03/2021/tlst - ld"`` -> ``03/2021/TLST-LĐ``."""
    match = _SHAPE.fullmatch(re.sub(r"\s+", "", text).upper())
    if match is None:
        raise _fail("official_number.format",
                    f"'{text}' không đúng dạng số/năm/ký hiệu, ví dụ 01/2026/TLST-DS",
                    f"'{text}' is not of the form sequence/year/code, e.g. 01/2026/TLST-DS")
    seq, year, left, right = int(match[1]), int(match[2]), match[3], match[4]
    if seq < 1:
        raise _fail("official_number.sequence", f"số thứ tự trong '{text}' phải từ 1 trở lên",
                    f"sequence in '{text}' must be 1 or more")
    case_type, stage = _lookup("case_types", left), _lookup("stages", right)
    if case_type and stage:
        return OfficialNumber(seq, year, stage, case_type)
    kind, case_type = _lookup("kinds", left), _lookup("case_types", right)
    if kind and case_type:
        return OfficialNumber(seq, year, kind, case_type)
    raise _fail("official_number.unknown_code",
                f"ký hiệu '{left}-{right}' trong '{text}' không phải dạng LOẠI VỤ-CẤP (DS-ST) "
                f"hay VĂN BẢN-LOẠI VỤ (TLST-DS)",
                f"code '{left}-{right}' in '{text}' is neither TYPE-STAGE (DS-ST) nor KIND-TYPE (TLST-DS)")


def case_type_names(code: str) -> tuple[str, str]:
    """Vietnamese and English names of a case type code, e.g. ``"HNGD"`` -> ("Hôn nhân và gia đình", ...)."""
    entry = _codes("case_types")[_require("case_types", code, "loại vụ án", "case type")]
    return str(entry["vi"]), str(entry["en"])


def stage_names(code: str) -> tuple[str, str]:
    entry = _codes("stages")[_require("stages", code, "cấp xét xử", "stage")]
    return str(entry["vi"]), str(entry["en"])
