"""Login throttling rules: a few failures in a window, then a pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ecourt_console.domain.throttle import ThrottlePolicy

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(max_failures=3, window=timedelta(minutes=10), block=timedelta(minutes=15))


def test_the_third_failure_in_the_window_blocks_for_the_pause():
    state = None
    for i in range(2):
        state = POLICY.after_failure(state, T0 + timedelta(minutes=i))
        assert state.blocked_until is None
        assert POLICY.blocked_until(state, T0 + timedelta(minutes=i)) is None
    state = POLICY.after_failure(state, T0 + timedelta(minutes=2))
    assert state.failures == 3
    assert state.blocked_until == T0 + timedelta(minutes=17)
    assert POLICY.blocked_until(state, T0 + timedelta(minutes=16)) == T0 + timedelta(minutes=17)
    assert POLICY.blocked_until(state, T0 + timedelta(minutes=17)) is None


def test_failures_spread_beyond_the_window_do_not_add_up():
    state = POLICY.after_failure(None, T0)
    state = POLICY.after_failure(state, T0 + timedelta(minutes=5))
    state = POLICY.after_failure(state, T0 + timedelta(minutes=11))  # the first window is over
    assert state.failures == 1 and state.blocked_until is None
    assert state.window_started_at == T0 + timedelta(minutes=11)


def test_after_a_served_pause_counting_starts_again():
    state = None
    for i in range(3):
        state = POLICY.after_failure(state, T0 + timedelta(seconds=i))
    assert state is not None and state.blocked_until is not None
    state = POLICY.after_failure(state, state.blocked_until + timedelta(seconds=1))
    assert state.failures == 1 and state.blocked_until is None
