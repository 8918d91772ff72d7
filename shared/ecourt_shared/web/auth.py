"""FastAPI dependencies for the caller's identity: a bearer token or the console's session cookie."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request

from ecourt_shared.auth import AuthError, Principal, load_public_key, verify_token
from ecourt_shared.contracts.errors import PermissionDenied
from ecourt_shared.settings import get_settings

SESSION_COOKIE = "ecourt_session"


@lru_cache(maxsize=1)
def _public_key():
    return load_public_key(get_settings().key_file("public"))


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    token = token or request.cookies.get(SESSION_COOKIE, "")
    if not token:
        raise PermissionDenied({"message_vi": "Cần đăng nhập.", "message_en": "Authentication required."})
    return token


def current_principal(request: Request) -> Principal:
    try:
        return verify_token(bearer_token(request), _public_key())
    except AuthError as exc:
        raise PermissionDenied({"message_vi": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn.",
                                "message_en": f"Invalid or expired session: {exc}"}) from None
