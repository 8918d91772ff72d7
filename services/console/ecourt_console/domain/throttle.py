"""Login throttling per (username, client address): a few failures in a window, then a pause.

Plain rules, no storage: :mod:`ecourt_console.adapters.throttle_store` keeps one row per pair and
applies :meth:`ThrottlePolicy.after_failure` under a row lock, so replicas of the console agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    window_started_at: datetime
    blocked_until: datetime | None = None


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    block: timedelta = timedelta(minutes=15)

    def blocked_until(self, state: ThrottleState | None, now: datetime) -> datetime | None:
        """When the pair may try again, or None if it may try now."""
        if state is not None and state.blocked_until is not None and state.blocked_until > now:
            return state.blocked_until
        return None

    def after_failure(self, state: ThrottleState | None, now: datetime) -> ThrottleState:
        if state is None or state.window_started_at + self.window <= now or (
                state.blocked_until is not None and state.blocked_until <= now):
            state = ThrottleState(failures=0, window_started_at=now)  # a new window (or a served pause)
        failures = state.failures + 1
        blocked = now + self.block if failures >= self.max_failures else None
        return ThrottleState(failures=failures, window_started_at=state.window_started_at, blocked_until=blocked)
