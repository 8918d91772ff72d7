"""Lawyers' bar numbers and procuracy codes: format checks only (no check digit is published).

Formats and sources: ``data/organization_codes.yaml``.
"""

from __future__ import annotations

import re

from ._data import load_table
from .errors import IdentifierError


def _table() -> dict[str, dict[str, object]]:
    return load_table("organization_codes.yaml")


def parse_bar_number(raw: str) -> str:
    """``" 12345 / tp / ls-cchn"`` -> ``"12345/TP/LS-CCHN"``; the number must be at least 1."""
    compact = re.sub(r"\s+", "", raw).upper()
    patterns = _table()["bar_number"]["patterns"]
    assert isinstance(patterns, list)
    for pattern in patterns:
        match = re.fullmatch(pattern["regex"], compact)
        if match and int(match[1]) >= 1:
            return compact
    examples = ", ".join(p["example"] for p in patterns)
    raise IdentifierError("bar_number", "bar_number.format",
                          f"số chứng chỉ hành nghề/thẻ luật sư '{raw}' không đúng dạng ({examples})",
                          f"lawyer's certificate or card number '{raw}' is not of the form {examples}")


def parse_procuracy_code(raw: str) -> str:
    """``"vks79kv01"`` -> ``"VKS79KV01"``: VKS + the paired court's 6-character code, or VKSTC."""
    compact = re.sub(r"[\s\-]+", "", raw).upper()
    if compact == _table()["procuracy"]["supreme"] or re.fullmatch(r"VKS[A-Z0-9]{6}", compact):
        return compact
    raise IdentifierError("procuracy_code", "procuracy_code.format",
                          f"mã viện kiểm sát '{raw}' phải là VKS và mã 6 ký tự của tòa án tương ứng "
                          "(ví dụ VKS79KV01) hoặc VKSTC",
                          f"procuracy code '{raw}' must be VKS plus the paired court's 6-character code "
                          "(e.g. VKS79KV01) or VKSTC")
