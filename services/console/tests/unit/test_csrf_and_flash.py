"""CSRF tokens (signed double-submit bound to the session), signed flash messages, safe redirects."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ecourt_console.http.security import (
    ConsoleKeys,
    csrf_token,
    csrf_valid,
    new_nonce,
    read_flash,
    safe_next,
    sign_flash,
)

pytestmark = pytest.mark.unit

KEYS = ConsoleKeys.from_signing_key(Ed25519PrivateKey.generate())


def test_a_token_verifies_for_its_own_nonce_and_session_only():
    nonce = new_nonce()
    token = csrf_token(KEYS.csrf_key, nonce, "session-a")
    assert csrf_valid(KEYS.csrf_key, nonce, "session-a", token)
    assert not csrf_valid(KEYS.csrf_key, nonce, "session-b", token)  # copied from another session
    assert not csrf_valid(KEYS.csrf_key, new_nonce(), "session-a", token)  # another browser's cookie
    assert not csrf_valid(KEYS.csrf_key, nonce, "", token)


@pytest.mark.parametrize("submitted", [None, "", "x", "Ünïcödé"])
def test_missing_or_garbage_tokens_are_refused(submitted):
    nonce = new_nonce()
    assert not csrf_valid(KEYS.csrf_key, nonce, "", submitted)
    assert not csrf_valid(KEYS.csrf_key, None, "", csrf_token(KEYS.csrf_key, nonce))


def test_another_signing_key_makes_other_tokens():
    other = ConsoleKeys.from_signing_key(Ed25519PrivateKey.generate())
    nonce = new_nonce()
    assert not csrf_valid(other.csrf_key, nonce, "", csrf_token(KEYS.csrf_key, nonce))
    assert KEYS.csrf_key != KEYS.flash_key  # one key per purpose


def test_keys_derived_from_the_same_signing_key_agree_across_replicas():
    key = Ed25519PrivateKey.generate()
    assert ConsoleKeys.from_signing_key(key).csrf_key == ConsoleKeys.from_signing_key(key).csrf_key


def test_flash_messages_are_signed():
    value = sign_flash(KEYS.flash_key, {"level": "success", "vi": "Đã phân công", "en": "Assigned"})
    assert read_flash(KEYS.flash_key, value) == {"level": "success", "vi": "Đã phân công", "en": "Assigned"}
    payload, _, signature = value.partition(".")
    assert read_flash(KEYS.flash_key, payload + "." + signature[::-1]) is None
    assert read_flash(KEYS.flash_key, "e30." + signature) is None  # "{}" with another message's signature
    assert read_flash(KEYS.flash_key, None) is None
    assert read_flash(KEYS.flash_key, "garbage") is None


@pytest.mark.parametrize(("target", "expected"), [
    ("/inbox", "/inbox"), ("/cases/79KV01202600000143?lang=en", "/cases/79KV01202600000143?lang=en"),
    (None, "/"), ("", "/"), ("https://evil.example/", "/"), ("//evil.example/", "/"), ("/\\evil.example", "/"),
    ("/\r\nSet-Cookie: x=y", "/"), ("inbox", "/"),
])
def test_after_login_only_paths_on_this_site(target, expected):
    assert safe_next(target) == expected
