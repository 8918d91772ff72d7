"""Failed lookups per client are limited in a sliding window, so secrets cannot be guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ecourt_portal.domain.ratelimit import RateLimitPolicy, client_key, too_many_attempts

pytestmark = pytest.mark.unit

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
POLICY = RateLimitPolicy(max_failures=10, window=timedelta(minutes=10))


def _failures(*minutes_ago: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes_ago]


def test_nine_failures_still_allow_a_tenth_try() -> None:
    assert POLICY.retry_after(_failures(*range(9)), NOW) is None


def test_ten_failures_block_until_the_oldest_leaves_the_window() -> None:
    failures = _failures(9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
    assert POLICY.retry_after(failures, NOW) == 60  # the one 9 minutes ago expires in 1 minute
    assert POLICY.retry_after(failures, NOW + timedelta(seconds=61)) is None


def test_failures_older_than_the_window_do_not_count() -> None:
    assert POLICY.retry_after(_failures(*[10 + i for i in range(20)]), NOW) is None


def test_with_more_failures_than_the_limit_enough_must_expire() -> None:
    failures = _failures(9.5, 9, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3)  # 12 in the window
    assert POLICY.retry_after(failures, NOW) == 7 * 60  # the first at 3 minutes ago must go too


def test_clients_are_keyed_by_a_hash_never_the_address() -> None:
    key = client_key("203.0.113.7")
    assert "203.0.113.7" not in key and len(key) == 64
    assert key != client_key("203.0.113.8")


def test_ipv6_clients_are_grouped_by_their_64_network() -> None:
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")


def test_refusal_says_how_long_to_wait_in_both_languages() -> None:
    text = too_many_attempts(61)
    assert text.vi.endswith("2 phút.") and text.en.endswith("2 minutes.")
    assert too_many_attempts(30).en.endswith("1 minute.")
