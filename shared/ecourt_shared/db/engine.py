"""Engines and databases. Each service owns exactly one database: ``<prefix>_<service>``."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url


def make_engine(url: str, pool_size: int = 10) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True, future=True)
    from ecourt_shared.telemetry import instrument_engine

    instrument_engine(engine)
    return engine


def ensure_database(url: str) -> bool:
    """Create the service's database if it is missing. Returns True when it was created."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": target.database}).scalar()
            if exists:
                return False
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
            return True
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    """Drop a database (tests only), closing other sessions first."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": target.database})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
    finally:
        admin.dispose()
