"""Masking of personal identifiers, one rule for every service that shows a person to staff or the public.

A masked value keeps just enough to tell two people apart on screen and to check a document in hand
against it (the CCCD's province and century/sex digits, the phone's network prefix, the last digits of
both), and hides the rest: ``079203001221`` -> ``0792******21``, ``+84901234567`` -> ``+8490****567``.
Legal ground: personal data is processed only as far as the purpose needs (nguyên tắc hạn chế, Điều 3
Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân [verify]); the CCCD number is basic personal data
(Khoản 3 Điều 2 of the same decree [verify]).

Who may see an unmasked value is decided by the service that owns the view (casefile: the judges and the
clerk handling the case, on an explicit, logged request); this module only knows how to hide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecourt_shared.contracts.errors import RequestRejected

MASK = "*"

# Identifiers a view masks unless the viewer asked to reveal them (and may).
REVEALABLE_FIELDS: tuple[str, ...] = ("cccd", "phone")


def _mask_middle(value: str, keep_start: int, keep_end: int) -> str:
    """Hide all but the first ``keep_start`` and last ``keep_end`` characters; a value too short to keep
    both ends is hidden entirely (better to show nothing than most of a short identifier)."""
    if len(value) <= keep_start + keep_end + 1:
        return MASK * len(value)
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def mask_cccd(cccd: str | None) -> str | None:
    """``079203001221`` -> ``0792******21``: province code and century/sex digit, then the last two digits."""
    if not cccd:
        return None
    return _mask_middle(cccd.strip(), 4, 2)


def mask_phone(phone: str | None) -> str | None:
    """``+84901234567`` -> ``+8490****567`` (E.164); ``0901234567`` -> ``090****567`` (national form)."""
    if not phone:
        return None
    phone = phone.strip()
    return _mask_middle(phone, 5 if phone.startswith("+") else 3, 3)


MASKERS = {"cccd": mask_cccd, "phone": mask_phone}


def mask_party(party: Mapping[str, Any], reveal: bool = False) -> dict[str, Any]:
    """The party with each of ``REVEALABLE_FIELDS`` masked (unless ``reveal``), and ``masked`` saying which way."""
    shown = dict(party)
    if not reveal:
        for name, masker in MASKERS.items():
            if name in shown:
                shown[name] = masker(shown[name])
    shown["masked"] = not reveal
    return shown


REASON_MIN, REASON_MAX = 5, 500  # a reveal's reason, as written to the access logs


def reveal_reason(reveal: object, reason: object) -> str | None:
    """The reason to keep for a request to see identifiers unmasked: None without a reveal; refused (on ``reveal``
    or ``reason``) when ``reveal`` is not a boolean (over RPC anything may come: "false" must not mean True) or
    when a reveal does not say why in 5-500 characters. Casefile and intake apply the same rule."""
    if not isinstance(reveal, bool):
        raise RequestRejected.single("reveal", "reveal.not_boolean", "Trường reveal phải là true hoặc false.",
                                     "reveal must be true or false")
    if not reveal:
        return None
    text = reason.strip() if isinstance(reason, str) else ""
    if not REASON_MIN <= len(text) <= REASON_MAX:
        raise RequestRejected.single(
            "reason", "reveal.reason_required",
            f"Phải ghi lý do xem số CCCD, số điện thoại của đương sự ({REASON_MIN}-{REASON_MAX} ký tự).",
            f"revealing identity and phone numbers needs a reason ({REASON_MIN}-{REASON_MAX} characters)")
    return text
