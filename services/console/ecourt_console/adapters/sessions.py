"""Live console sessions, so that logging out (or disabling an account) ends a session at once.

A token stays cryptographically valid until it expires; the console additionally requires its
session row to be live and the account active. Rows are keyed by the SHA-256 of the token.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from ecourt_console.adapters.db import Target, transaction
from ecourt_console.adapters.orm import accounts, sessions

KEEP_EXPIRED = timedelta(days=7)  # expired rows are kept a while for investigation, then purged


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def open_session(target: Target, token: str, user_id: str, now: datetime, expires_at: datetime) -> str:
    sid = session_id(token)
    with transaction(target) as execute:
        execute(delete(sessions).where(sessions.c.expires_at < now - KEEP_EXPIRED))
        # Tokens have one-second resolution and no nonce: the same account logging in twice within a second
        # gets the same token. It is one credential, so it is one session row (re-opened if it was closed).
        execute(insert(sessions).values(session_id=sid, user_id=user_id, created_at=now, expires_at=expires_at)
                .on_conflict_do_update(index_elements=["session_id"],
                                       set_={"revoked_at": None, "expires_at": expires_at}))
    return sid


def session_is_live(target: Target, token: str, now: datetime) -> bool:
    stmt = (select(sessions.c.session_id)
            .select_from(sessions.join(accounts, accounts.c.user_id == sessions.c.user_id))
            .where(sessions.c.session_id == session_id(token), sessions.c.revoked_at.is_(None),
                   sessions.c.expires_at > now, accounts.c.active.is_(True)))
    with transaction(target) as execute:
        return execute(stmt).first() is not None


def revoke_session(target: Target, token: str, now: datetime) -> None:
    with transaction(target) as execute:
        execute(update(sessions).where(sessions.c.session_id == session_id(token), sessions.c.revoked_at.is_(None))
                .values(revoked_at=now))


def revoke_user_sessions(target: Target, user_id: str, now: datetime) -> int:
    with transaction(target) as execute:
        result = execute(update(sessions).where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
                         .values(revoked_at=now))
        return int(result.rowcount or 0)
