"""The rules of a citizen's lookup: case code + receipt secret, and one answer for every miss.

- The case code is checked before anything is looked up (format and ISO 7064 check digits), so a
  typo gets a precise field error instead of "not found". That reveals nothing about any case.
- An unknown code, a case whose receipt has not arrived and a wrong secret give the SAME answer,
  so nobody can learn which case codes exist by trying them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecourt_portal.domain.text import Text
from ecourt_shared.contracts.errors import FieldError
from ecourt_shared.identifiers import IdentifierError, parse_case_id
from ecourt_shared.identifiers.receipt import receipt_secret_hash

MAX_INPUT_CHARS = 64

NOT_FOUND = Text(
    "Không tìm thấy vụ án, hoặc mã bí mật không khớp. Vui lòng kiểm tra mã vụ án và mã bí mật in trên "
    "giấy biên nhận.",
    "No case was found, or the secret does not match. Check the case code and the secret printed on your "
    "receipt.")
NOT_FOUND_CODE = "lookup.not_found"


@dataclass(frozen=True)
class LookupQuery:
    case_id: str  # canonical form
    secret_hash: str


def _error(field: str, code: str, text: Text) -> FieldError:
    return FieldError(field=field, code=code, message_vi=text.vi, message_en=text.en)


def _required(field: str, what: Text) -> FieldError:
    return _error(field, f"{field}.required", Text(f"Vui lòng nhập {what.vi}.", f"Please enter the {what.en}."))


def _too_long(field: str) -> FieldError:
    return _error(field, f"{field}.too_long", Text(f"Không được dài quá {MAX_INPUT_CHARS} ký tự.",
                                                   f"It must not be longer than {MAX_INPUT_CHARS} characters."))


def parse_lookup(case_code: str, receipt_secret: str) -> LookupQuery | list[FieldError]:
    """Validate both fields at once; the case code may be hyphenated or not, any letter case."""
    errors: list[FieldError] = []
    case_id = ""
    code = case_code.strip()
    if not code:
        errors.append(_required("case_code", Text("mã vụ án", "case code")))
    elif len(code) > MAX_INPUT_CHARS:
        errors.append(_too_long("case_code"))
    else:
        try:
            case_id = parse_case_id(code).canonical
        except IdentifierError as exc:
            errors.append(FieldError(field="case_code", code=exc.code, message_vi=exc.message_vi,
                                     message_en=exc.message_en))
    secret = receipt_secret.strip()
    if not secret:
        errors.append(_required("receipt_secret", Text("mã bí mật trên giấy biên nhận", "secret from your receipt")))
    elif len(secret) > MAX_INPUT_CHARS:
        errors.append(_too_long("receipt_secret"))
    if errors:
        return errors
    return LookupQuery(case_id=case_id, secret_hash=receipt_secret_hash(secret))


def not_found_error() -> FieldError:
    return _error("case_code", NOT_FOUND_CODE, NOT_FOUND)
