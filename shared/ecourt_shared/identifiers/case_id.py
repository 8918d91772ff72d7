"""The permanent case identifier: one opaque, check-digited code a case keeps for life.

Canonical form, 18 characters, no separators::

    79KV01 2026 000123 KK
    |      |    |      +- 2 check digits, ISO 7064 MOD 97-10 (as in IBAN: letters A=10 ... Z=35)
    |      |    +-------- serial within the issuing court and year, zero-padded to 6 digits
    |      +------------- year of issue
    +-------------------- code of the ISSUING court, 6 uppercase letters or digits

Display form: ``79KV01-2026-000123-KK``.

Why this shape: official numbers (``01/2026/TLST-DS``) restart every year per court and change with each
stage, and courts merge (District 1, 3 and 4 became Area 1) or hand cases over. This code names only the court
that issued it, never the court that holds the case now, so it survives transfers and mergers unchanged; a
successor map resolves a dissolved issuer. The check digits catch every single mistyped character and nearly
all swaps of adjacent characters before a wrong case is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import IdentifierError

_CANONICAL = re.compile(r"[A-Z0-9]{6}\d{4}\d{6}\d{2}")
_DISPLAY = re.compile(r"([A-Z0-9]{6})-(\d{4})-(\d{6})-(\d{2})")


@dataclass(frozen=True)
class CaseId:
    court_code: str
    year: int
    serial: int
    check: str

    @property
    def canonical(self) -> str:
        return f"{self.court_code}{self.year:04d}{self.serial:06d}{self.check}"

    @property
    def display(self) -> str:
        return f"{self.court_code}-{self.year:04d}-{self.serial:06d}-{self.check}"

    def __str__(self) -> str:
        return self.canonical


def _numeric(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text))


def _check_digits(body: str) -> str:
    return f"{98 - _numeric(body) * 100 % 97:02d}"


def _fail(code: str, vi: str, en: str) -> IdentifierError:
    return IdentifierError("case_id", code, vi, en)


def make_case_id(court_code: str, year: int, serial: int) -> str:
    """Issue the canonical identifier: ``make_case_id("79KV01", 2026, 123)`` -> ``"79KV01202600012365"``."""
    court = court_code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{6}", court):
        raise _fail("case_id.court_code", f"mã tòa án '{court_code}' phải gồm 6 chữ cái hoặc chữ số",
                    f"court code '{court_code}' must be 6 letters or digits")
    if not 1000 <= year <= 9999:
        raise _fail("case_id.year", f"năm {year} phải có 4 chữ số", f"year {year} must have 4 digits")
    if not 1 <= serial <= 999_999:
        raise _fail("case_id.serial", f"số thứ tự {serial} phải từ 1 đến 999999",
                    f"serial {serial} must be between 1 and 999999")
    body = f"{court}{year:04d}{serial:06d}"
    return body + _check_digits(body)


def parse_case_id(text: str) -> CaseId:
    """Accept the canonical or the hyphenated form, any case, with stray spaces; verify the check digits."""
    compact = re.sub(r"\s+", "", text).upper()
    display = _DISPLAY.fullmatch(compact)
    canonical = "".join(display.groups()) if display else compact
    if not _CANONICAL.fullmatch(canonical):
        raise _fail("case_id.format",
                    f"'{text}' không đúng dạng mã vụ án (18 ký tự, ví dụ 79KV01-2026-000123-KK)",
                    f"'{text}' is not a case identifier (18 characters, e.g. 79KV01-2026-000123-KK)")
    if _numeric(canonical) % 97 != 1:
        raise _fail("case_id.check_digits",
                    f"chữ số kiểm tra của '{text}' không đúng: có thể gõ nhầm hoặc đảo ký tự",
                    f"check digits of '{text}' do not match: a character was probably mistyped or swapped")
    return CaseId(canonical[:6], int(canonical[6:10]), int(canonical[10:16]), canonical[16:])


def format_case_id(canonical: str) -> str:
    """Display form with hyphens, after validating: ``"79KV01-2026-000123-KK"``."""
    return parse_case_id(canonical).display
