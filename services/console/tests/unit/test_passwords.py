"""Password hashing: scrypt, salted, parameters stored with the hash, constant-time comparison."""

from __future__ import annotations

import pytest

from ecourt_console.domain.passwords import (
    PasswordPolicyError,
    ScryptParams,
    check_password_policy,
    hash_password,
    needs_rehash,
    parse_hash,
    verify_password,
)

pytestmark = pytest.mark.unit

FAST = ScryptParams(n=2**10, r=8, p=1)


def test_a_hash_verifies_its_password_and_nothing_else():
    stored = hash_password("mật khẩu đúng 2026", FAST)
    assert verify_password("mật khẩu đúng 2026", stored)
    assert not verify_password("mật khẩu sai 2026", stored)
    assert not verify_password("", stored)


def test_the_hash_is_salted_and_carries_its_parameters():
    first, second = hash_password("same password", FAST), hash_password("same password", FAST)
    assert first != second  # a fresh salt each time
    parsed = parse_hash(first)
    assert parsed.params == FAST
    assert len(parsed.salt) == 16 and len(parsed.key) == 32
    assert first.startswith("scrypt$1024$8$1$")


def test_unicode_passwords_are_hashed_as_utf8_text():
    stored = hash_password("Thẩm phán Nguyễn", FAST)
    assert verify_password("Thẩm phán Nguyễn", stored)
    assert not verify_password("Tham phan Nguyen", stored)


def test_a_hash_made_with_other_parameters_still_verifies_but_asks_for_a_rehash():
    stored = hash_password("an older password", ScryptParams(n=2**9))
    assert verify_password("an older password", stored)
    assert needs_rehash(stored, FAST)
    assert not needs_rehash(hash_password("x" * 12, FAST), FAST)


@pytest.mark.parametrize("stored", ["", "plain-text", "scrypt$1024$8$1$nonbase64!$abc",
                                    "bcrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
                                    "scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA==",
                                    "scrypt$4194304$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAA=="])
def test_a_malformed_or_unreasonable_stored_hash_never_matches_and_never_raises(stored):
    assert verify_password("anything at all", stored) is False
    assert needs_rehash(stored, FAST)


def test_the_comparison_is_constant_time(monkeypatch):
    import hmac

    from ecourt_console.domain import passwords

    seen = []
    real = hmac.compare_digest

    def spy(a, b):
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(passwords.hmac, "compare_digest", spy)
    verify_password("secret password", hash_password("secret password", FAST))
    assert len(seen) == 1


def test_password_policy():
    check_password_policy("đủ mười ký tự")
    with pytest.raises(PasswordPolicyError) as short:
        check_password_policy("ngắn")
    assert "ít nhất" in short.value.message_vi and "at least" in short.value.message_en
    with pytest.raises(PasswordPolicyError):
        check_password_policy("x" * 2000)


def test_parameters_must_be_sane():
    with pytest.raises(ValueError):
        ScryptParams(n=1000)
    with pytest.raises(ValueError):
        ScryptParams(n=1024, r=0)
