"""Console's tables: staff accounts, live sessions and login throttling.

Passwords are stored only as scrypt hashes (:mod:`ecourt_console.domain.passwords`); sessions only
by the SHA-256 of their token, so the table cannot be replayed as a list of valid tokens.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import JSONB

from ecourt_shared.db import add_bus_tables

metadata = MetaData()

accounts = Table(
    "accounts", metadata,
    Column("username", String(64), primary_key=True),
    Column("user_id", String(40), nullable=False, unique=True),  # the Principal's user_id; never changes
    Column("display_name", String(200), nullable=False),
    Column("roles", JSONB, nullable=False),  # ["president", "judge"]
    Column("court_id", String(20), nullable=False),
    Column("judge_id", String(40)),  # the judge's id in assignment's roster
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("session_id", String(64), primary_key=True),  # sha256 hex of the token
    Column("user_id", String(40), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index("ix_sessions_expires_at", "expires_at"),
)

login_throttle = Table(
    "login_throttle", metadata,
    Column("username", String(64), primary_key=True),
    Column("client_ip", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started_at", DateTime(timezone=True), nullable=False),
    Column("blocked_until", DateTime(timezone=True)),
)

outbox, processed_events = add_bus_tables(metadata)
