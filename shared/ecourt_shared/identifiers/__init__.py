"""Identifiers entered once and standardized: citizen ID, phone, names, case identifiers and numbers."""

from .case_id import CaseId, format_case_id, make_case_id, parse_case_id
from .case_number import (
    OfficialNumber,
    case_type_names,
    format_acceptance_number,
    parse_official_number,
    stage_names,
)
from .cccd import CccdInfo, is_valid_cccd, parse_cccd
from .errors import IdentifierError
from .names import normalize_name, search_key
from .phone import normalize_phone
from .professional import parse_bar_number, parse_procuracy_code
from .tax_code import TaxCode, parse_tax_code, tax_check_digit

__all__ = [
    "CaseId",
    "CccdInfo",
    "IdentifierError",
    "OfficialNumber",
    "TaxCode",
    "case_type_names",
    "format_acceptance_number",
    "format_case_id",
    "is_valid_cccd",
    "make_case_id",
    "normalize_name",
    "normalize_phone",
    "parse_bar_number",
    "parse_case_id",
    "parse_cccd",
    "parse_official_number",
    "parse_procuracy_code",
    "parse_tax_code",
    "search_key",
    "stage_names",
    "tax_check_digit",
]
