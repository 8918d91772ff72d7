"""Tax codes (mã số thuế, MST) of organizations: 10 digits, or 13 for a branch, with a check digit.

The structure, the weights and their sources are in ``data/organization_codes.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._data import load_table
from .errors import IdentifierError


@dataclass(frozen=True)
class TaxCode:
    number: str  # compact: 10 or 13 digits

    @property
    def parent(self) -> str:
        """The enterprise's own 10-digit code (a branch shares its first ten digits)."""
        return self.number[:10]

    @property
    def display(self) -> str:
        return self.number if len(self.number) == 10 else f"{self.number[:10]}-{self.number[10:]}"


def _fail(code: str, vi: str, en: str) -> IdentifierError:
    return IdentifierError("tax_code", code, vi, en)


def tax_check_digit(first_nine: str) -> str:
    """``tax_check_digit("010023348")`` -> ``"8"``; ``"10"`` means no valid code has these nine digits."""
    rule = load_table("organization_codes.yaml")["tax_code"]
    total = sum(w * int(d) for w, d in zip(rule["weights"], first_nine, strict=True))
    return str(10 - total % int(rule["modulus"]))


def parse_tax_code(raw: str) -> TaxCode:
    """Accept ``0314409058-002``, ``01.00.233.488`` or ``0100 233 488``; verify length, serial and check digit."""
    number = re.sub(r"[\s.\-]", "", raw)
    if not re.fullmatch(r"\d+", number) or len(number) not in (10, 13):
        raise _fail("tax_code.format", f"mã số thuế '{raw}' phải gồm 10 hoặc 13 chữ số",
                    f"tax code '{raw}' must have 10 or 13 digits")
    if number[2:9] == "0000000":
        raise _fail("tax_code.serial", f"mã số thuế '{raw}': số thứ tự (chữ số 3-9) không được toàn số 0",
                    f"tax code '{raw}': the serial (digits 3-9) cannot be all zeros")
    if len(number) == 13 and number[10:] == "000":
        raise _fail("tax_code.unit", f"mã số thuế '{raw}': số đơn vị phụ thuộc phải từ 001 đến 999",
                    f"tax code '{raw}': the branch number must be 001 to 999")
    expected = tax_check_digit(number[:9])
    if number[9] != expected:
        raise _fail("tax_code.check_digit",
                    f"chữ số kiểm tra của mã số thuế '{raw}' không đúng (chữ số thứ 10 là {number[9]})",
                    f"check digit of tax code '{raw}' does not match (10th digit is {number[9]})")
    return TaxCode(number)
