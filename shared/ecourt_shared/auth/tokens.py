"""Signed bearer tokens carrying a principal: who, which court, which roles."""

from __future__ import annotations

import secrets
import time
from enum import StrEnum

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel

ISSUER = "ecourt-console"


class Role(StrEnum):
    PRESIDENT = "president"  # Chánh án
    JUDGE = "judge"  # Thẩm phán
    CLERK = "clerk"  # Thư ký Tòa án
    RECEPTION = "reception"  # Cán bộ tiếp nhận đơn
    IT_ADMIN = "it_admin"  # Quản trị hệ thống
    CITIZEN = "citizen"  # Công dân
    LAWYER = "lawyer"  # Luật sư


class Principal(BaseModel):
    user_id: str
    court_id: str
    roles: list[Role]
    display_name: str
    judge_id: str | None = None

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)


class AuthError(Exception):
    """The token is missing, malformed, expired or not signed by ecourt."""


def issue_token(principal: Principal, key: Ed25519PrivateKey, ttl_seconds: int) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": principal.user_id, "iat": now, "exp": now + ttl_seconds,
              "jti": secrets.token_hex(8),  # two logins in the same second still get distinct sessions
              "principal": principal.model_dump(mode="json")}
    return jwt.encode(claims, key, algorithm="EdDSA")


def verify_token(token: str, key: Ed25519PublicKey) -> Principal:
    try:
        claims = jwt.decode(token, key, algorithms=["EdDSA"], issuer=ISSUER,
                            options={"require": ["exp", "iat", "sub"]})
    except jwt.PyJWTError as exc:
        raise AuthError(str(exc)) from exc
    return Principal.model_validate(claims["principal"])
