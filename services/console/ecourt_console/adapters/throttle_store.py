"""Login throttle rows: one per (username, client address), updated under a row lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_console.adapters.db import Target, transaction
from ecourt_console.adapters.orm import login_throttle
from ecourt_console.domain.throttle import ThrottlePolicy, ThrottleState

_KEY_LENGTH = 64


def _key(username: str, client_ip: str) -> tuple[str, str]:
    return username[:_KEY_LENGTH], client_ip[:_KEY_LENGTH]


def current_state(target: Target, username: str, client_ip: str) -> ThrottleState | None:
    user, ip = _key(username, client_ip)
    with transaction(target) as execute:
        row = execute(select(login_throttle).where(login_throttle.c.username == user,
                                                   login_throttle.c.client_ip == ip)).first()
    return ThrottleState(row.failures, row.window_started_at, row.blocked_until) if row else None


def record_failure(target: Target, username: str, client_ip: str, policy: ThrottlePolicy,
                   now: datetime) -> ThrottleState:
    user, ip = _key(username, client_ip)
    with transaction(target) as execute:
        execute(insert(login_throttle).values(username=user, client_ip=ip, failures=0, window_started_at=now)
                .on_conflict_do_nothing())
        row = execute(select(login_throttle).where(login_throttle.c.username == user,
                                                   login_throttle.c.client_ip == ip).with_for_update()).one()
        state = ThrottleState(row.failures, row.window_started_at, row.blocked_until)
        state = policy.after_failure(state if row.failures else None, now)
        execute(login_throttle.update().where(login_throttle.c.username == user, login_throttle.c.client_ip == ip)
                .values(failures=state.failures, window_started_at=state.window_started_at,
                        blocked_until=state.blocked_until))
        # rows of pairs that stopped trying stop mattering: purge them (guessed usernames must not pile up)
        execute(delete(login_throttle).where(
            login_throttle.c.window_started_at <= now - policy.window,
            or_(login_throttle.c.blocked_until.is_(None), login_throttle.c.blocked_until <= now),
            ~and_(login_throttle.c.username == user, login_throttle.c.client_ip == ip)))
    return state


def clear(target: Target, username: str, client_ip: str) -> None:
    user, ip = _key(username, client_ip)
    with transaction(target) as execute:
        execute(delete(login_throttle).where(login_throttle.c.username == user, login_throttle.c.client_ip == ip))
