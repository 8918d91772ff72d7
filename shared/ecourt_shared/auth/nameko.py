"""nameko dependency that turns the caller's token into a verified :class:`Principal`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nameko.extensions import DependencyProvider

from ecourt_shared.auth.keys import load_public_key
from ecourt_shared.auth.tokens import AuthError, Principal, Role, verify_token
from ecourt_shared.contracts.errors import PermissionDenied
from ecourt_shared.settings import get_settings


def denied(message_vi: str, message_en: str) -> PermissionDenied:
    return PermissionDenied({"message_vi": message_vi, "message_en": message_en})


class Authenticator:
    def __init__(self, verify: Callable[[str], Principal]) -> None:
        self._verify = verify

    def __call__(self, token: str, *roles: Role) -> Principal:
        """Verify the token; if roles are given the principal must hold one of them."""
        try:
            principal = self._verify(token)
        except AuthError as exc:
            raise denied("Phiên đăng nhập không hợp lệ hoặc đã hết hạn.",
                         f"Invalid or expired session: {exc}") from None
        if roles and not principal.has(*roles):
            wanted = ", ".join(r.value for r in roles)
            raise denied(f"Chức năng này chỉ dành cho: {wanted}.", f"Only for: {wanted}.")
        return principal


class Auth(DependencyProvider):
    def setup(self) -> None:
        key = load_public_key(get_settings().key_file("public"))
        self.authenticator = Authenticator(lambda token: verify_token(token, key))

    def get_dependency(self, worker_ctx: Any) -> Authenticator:
        return self.authenticator
