"""Keys, CSRF tokens and signed flash messages.

The console's secrets all derive from its token signing key (the only secret it holds), so every
replica agrees without a second secret to distribute, and rotating the signing key rotates them too.

CSRF: signed double-submit. A random nonce lives in an HttpOnly, SameSite=Strict cookie; each form
carries ``HMAC(key, nonce | session)``, where ``session`` is the SHA-256 of the session token (empty on
the login form). A forged form has neither the nonce nor the key; a token copied from another
session does not verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CSRF_COOKIE = "ecourt_csrf"
CSRF_FIELD = "csrf_token"
FLASH_COOKIE = "ecourt_flash"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class ConsoleKeys:
    signing_key: Ed25519PrivateKey
    public_key: Ed25519PublicKey
    csrf_key: bytes
    flash_key: bytes

    @classmethod
    def from_signing_key(cls, key: Ed25519PrivateKey) -> ConsoleKeys:
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        return cls(signing_key=key, public_key=key.public_key(),
                   csrf_key=hmac.new(raw, b"ecourt-console/csrf/v1", hashlib.sha256).digest(),
                   flash_key=hmac.new(raw, b"ecourt-console/flash/v1", hashlib.sha256).digest())


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(key: bytes, nonce: str, session_id: str = "") -> str:
    return _b64(hmac.new(key, f"csrf/v1|{nonce}|{session_id}".encode(), hashlib.sha256).digest())


def csrf_valid(key: bytes, nonce: str | None, session_id: str, submitted: str | None) -> bool:
    if not nonce or not submitted:
        return False
    return hmac.compare_digest(csrf_token(key, nonce, session_id).encode(), submitted.encode("utf-8", "replace"))


def sign_flash(key: bytes, message: dict[str, Any]) -> str:
    payload = _b64(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode())
    return f"{payload}.{_b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())}"


def read_flash(key: bytes, value: str | None) -> dict[str, Any] | None:
    """The flash message in a cookie, or None if absent or not signed by this console."""
    if not value or "." not in value:
        return None
    payload, _, signature = value.partition(".")
    expected = _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return None
    try:
        message = json.loads(_unb64(payload))
    except (ValueError, binascii.Error):
        return None
    return message if isinstance(message, dict) else None


def safe_next(target: str | None) -> str:
    """Where to go after login: a path on this site only (no ``//host`` or ``\\`` tricks), else the dashboard."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(ch) < 32 for ch in target):
        return "/"
    return target
