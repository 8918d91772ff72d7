"""Alembic, driven from code: each service keeps its revisions in ``<package>/migrations/versions``.

``python -m ecourt_<service> migrate`` calls :func:`upgrade`; a service's ``migrations/env.py`` is
just ``from ecourt_shared.db.migrate import run_env; run_env()``.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from ecourt_shared.db.engine import ensure_database

MIGRATION_LOCK_KEY = 0x0EC0_0001  # one advisory lock per database: replicas migrate one at a time


def alembic_config(package: str, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", f"{package}:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(package: str, url: str) -> None:
    """Create the database if needed and upgrade it; replicas starting together take turns."""
    try:
        ensure_database(url)
    except Exception:
        # Another replica may have created it between our check and CREATE DATABASE.
        if not _database_exists(url):
            raise
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            try:
                cfg = alembic_config(package, url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
    finally:
        engine.dispose()


def _database_exists(url: str) -> bool:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), poolclass=pool.NullPool)
    try:
        with admin.connect() as conn:
            return bool(conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                     {"n": target.database}).scalar())
    finally:
        admin.dispose()


def run_env() -> None:
    from alembic import context

    connection = context.config.attributes.get("connection")
    if connection is not None:  # upgrade() holds the advisory lock on this connection
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by ecourt_shared.db.migrate.alembic_config"
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
