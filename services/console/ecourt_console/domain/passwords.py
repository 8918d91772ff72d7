"""Password hashing with scrypt (hashlib), salted, its parameters stored with the hash.

Stored form: ``scrypt$<n>$<r>$<p>$<salt, base64>$<key, base64>``. Storing the parameters lets them be
raised later: a login with an older hash succeeds and :func:`needs_rehash` says to store a new one.
Comparison is constant-time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

SCHEME = "scrypt"
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # scrypt's cost does not depend on it, but a megabyte "password" is not one


@dataclass(frozen=True)
class ScryptParams:
    """n: CPU/memory cost (a power of two), r: block size, p: parallelism. Memory is about 128 * n * r bytes."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if self.n < 2 or self.n & (self.n - 1):
            raise ValueError("scrypt n must be a power of two greater than 1")
        if self.r < 1 or self.p < 1:
            raise ValueError("scrypt r and p must be positive")

    @property
    def maxmem(self) -> int:
        return 2 * 128 * self.n * self.r * self.p + 1024 * 1024


DEFAULT_PARAMS = ScryptParams()

# Each hash holds about 32 MiB at the default cost: bound how many run at once, so that a burst of logins
# cannot exhaust the pod's memory (the excess waits instead).
_CONCURRENT_HASHES = threading.BoundedSemaphore(4)


class PasswordPolicyError(ValueError):
    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.",
                                  f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"Mật khẩu không được dài quá {MAX_PASSWORD_LENGTH} ký tự.",
                                  f"the password must not be longer than {MAX_PASSWORD_LENGTH} characters")


def _derive(password: str, salt: bytes, params: ScryptParams, length: int = KEY_BYTES) -> bytes:
    with _CONCURRENT_HASHES:
        return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=params.n, r=params.r, p=params.p,
                              maxmem=params.maxmem, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, params: ScryptParams = DEFAULT_PARAMS) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, params)
    return f"{SCHEME}${params.n}${params.r}${params.p}${_b64(salt)}${_b64(key)}"


@dataclass(frozen=True)
class ParsedHash:
    params: ScryptParams
    salt: bytes
    key: bytes


def parse_hash(stored: str) -> ParsedHash:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise ValueError("not an ecourt scrypt password hash")
    try:
        params = ScryptParams(n=int(parts[1]), r=int(parts[2]), p=int(parts[3]))
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"malformed password hash: {exc}") from None
    if params.n > 2**20 or params.r > 32 or params.p > 16:
        raise ValueError("password hash parameters are beyond what this console computes")
    if len(salt) < 8 or len(key) < 16:
        raise ValueError("password hash has a too short salt or key")
    return ParsedHash(params=params, salt=salt, key=key)


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches; a malformed stored hash never matches (and never raises)."""
    try:
        parsed = parse_hash(stored)
    except ValueError:
        return False
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    candidate = _derive(password, parsed.salt, parsed.params, len(parsed.key))
    return hmac.compare_digest(candidate, parsed.key)


def needs_rehash(stored: str, params: ScryptParams = DEFAULT_PARAMS) -> bool:
    try:
        parsed = parse_hash(stored)
    except ValueError:
        return True
    return parsed.params != params or len(parsed.key) != KEY_BYTES or len(parsed.salt) != SALT_BYTES


_DUMMY_HASHES: dict[ScryptParams, str] = {}


def dummy_hash(params: ScryptParams = DEFAULT_PARAMS) -> str:
    """A hash of a random password, to verify against when the username is unknown (same time spent)."""
    if params not in _DUMMY_HASHES:
        _DUMMY_HASHES[params] = hash_password(secrets.token_urlsafe(24), params)
    return _DUMMY_HASHES[params]
