"""Vietnamese personal identification numbers (CCCD), checked against the structure the law gives them.

Digits 1-3: place code where the birth was registered; digit 4: century and sex; digits 5-6: last two digits
of the birth year; digits 7-12: random. The codes live in ``data/cccd_place_codes.yaml`` with their source.
The place code is historical: it is never turned into a current province.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ._data import load_table
from .errors import IdentifierError

Sex = Literal["male", "female"]
_SEX_VI = {"male": "nam", "female": "nữ"}
_ADULT_AGE = 18  # Civil Code 2015, art. 20(1): an adult is a person aged 18 or over


@dataclass(frozen=True)
class CccdInfo:
    number: str
    place_code: str
    place_name: str
    sex: Sex
    birth_year: int
    date_of_birth: date | None = None

    def is_minor(self, on_date: date) -> bool:
        """Whether the holder is under 18 on ``on_date``.

        With only the birth year, someone turning 18 during ``on_date``'s year may still be 17, so that
        year counts as minor: wrongly hiding an adult's data is recoverable, publishing a child's is not.
        """
        if self.date_of_birth is not None:
            dob = self.date_of_birth
            age = on_date.year - dob.year - ((on_date.month, on_date.day) < (dob.month, dob.day))
            return age < _ADULT_AGE
        return on_date.year - self.birth_year <= _ADULT_AGE


def _fail(code: str, vi: str, en: str) -> IdentifierError:
    return IdentifierError("cccd", code, vi, en)


def parse_cccd(raw: str, *, date_of_birth: date | None = None, sex: Sex | None = None) -> CccdInfo:
    """Validate a 12-digit number; a given ``date_of_birth`` or ``sex`` must agree with its digits."""
    table = load_table("cccd_place_codes.yaml")
    number = re.sub(r"\s+", "", raw)
    if not re.fullmatch(r"\d{12}", number):
        raise _fail("cccd.format", f"số định danh '{raw}' phải gồm đúng 12 chữ số",
                    f"'{raw}' must be exactly 12 digits")
    place_code, century_digit, yy = number[:3], number[3], number[4:6]
    place_name = table["place_codes"].get(place_code)
    if place_name is None:
        raise _fail("cccd.unknown_place_code", f"mã nơi đăng ký khai sinh {place_code} không tồn tại",
                    f"place code {place_code} is not a known place of birth registration")
    century = table["century_sex_digits"][century_digit]
    digit_sex: Sex = century["sex"]
    birth_year = int(century["century_start"]) + int(yy)
    if date_of_birth is not None:
        _check_birth_year(century_digit, yy, birth_year, date_of_birth)
    if sex is not None and sex != digit_sex:
        raise _fail("cccd.sex_mismatch",
                    f"chữ số giới tính {century_digit} ({_SEX_VI[digit_sex]}) không khớp giới tính "
                    f"đã khai ({_SEX_VI.get(sex, sex)})",
                    f"sex digit {century_digit} ({digit_sex}) does not match declared sex {sex}")
    return CccdInfo(number, place_code, place_name, digit_sex, birth_year, date_of_birth)


def _check_birth_year(century_digit: str, yy: str, birth_year: int, dob: date) -> None:
    century = birth_year - birth_year % 100
    if century != dob.year - dob.year % 100:
        raise _fail("cccd.century_mismatch",
                    f"chữ số thế kỷ {century_digit} (năm {century}-{century + 99}) "
                    f"không khớp ngày sinh {dob.isoformat()}",
                    f"century digit {century_digit} ({century}s) "
                    f"does not match date of birth {dob.isoformat()}")
    if birth_year != dob.year:
        raise _fail("cccd.birth_year_mismatch",
                    f"hai chữ số năm sinh {yy} không khớp ngày sinh {dob.isoformat()}",
                    f"birth-year digits {yy} do not match date of birth {dob.isoformat()}")


def is_valid_cccd(raw: str) -> bool:
    try:
        parse_cccd(raw)
    except IdentifierError:
        return False
    return True
