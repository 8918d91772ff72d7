"""Phone numbers stored once, in E.164 (+84...), parsed by the maintained ``phonenumbers`` library."""

from __future__ import annotations

import phonenumbers

from .errors import IdentifierError


def normalize_phone(raw: str, region: str = "VN") -> str:
    """Return ``raw`` in E.164, e.g. ``"0912 345 678"`` -> ``"+84912345678"``.

    Numbers written without a leading ``+`` are read as national numbers of ``region``; the library also
    recognises a bare country code (``"84912345678"``). A foreign party's number is accepted when it is
    written with its ``+`` country code.
    """
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(
            "phone", "phone.unparseable",
            f"'{raw}' không phải là số điện thoại",
            f"'{raw}' is not a phone number",
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise IdentifierError(
            "phone", "phone.invalid",
            f"số điện thoại '{raw}' không hợp lệ (sai độ dài hoặc đầu số)",
            f"phone number '{raw}' is not valid (wrong length or prefix)",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
