"""A real ledger on casefile's migrated PostgreSQL database, a file checkpoint store and a key per module."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from ecourt_casefile import ledger
from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.ledger.checkpointing import write_checkpoint
from ecourt_casefile.ledger.checkpoints import FileCheckpointStore, load_or_create_key
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import make_case_id

_courts = itertools.count(1)
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def uows(casefile_engine):
    return UnitOfWorkFactory(casefile_engine, metadata)


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return load_or_create_key(tmp_path_factory.mktemp("ledger-key") / "checkpoint-key.pem")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return FileCheckpointStore(tmp_path_factory.mktemp("ledger-checkpoints"))


class Ledger:
    """A court of its own (each test gets a fresh one), cases appended round-robin, checkpoints on demand."""

    def __init__(self, uows, store, key) -> None:
        self.uows, self.store, self.key = uows, store, key
        self.court = f"99LT{next(_courts):02d}"
        self.clock = itertools.count()

    def case(self, n: int) -> str:
        return make_case_id(self.court, 2026, n + 1)

    def append(self, cases: int, per_case: int) -> None:
        with self.uows() as uow:
            for step in range(per_case):
                for n in range(cases):
                    ledger.append(uow, self.case(n), self.court, "test.step",
                                  {"step": step, "note": f"bước {step} của vụ {n}"},
                                  T0 + timedelta(seconds=next(self.clock)))
            uow.commit()

    def checkpoint(self):
        return write_checkpoint(self.uows.engine, self.court, self.store, self.key,
                                lambda: T0 + timedelta(hours=1, seconds=next(self.clock)))

    def tamper(self, sql: str, **params: Any) -> None:
        """As a database superuser would: with triggers off, in one transaction."""
        with self.uows.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(sql), {"court": self.court, **params})

    def row(self, index: int):
        with self.uows.engine.connect() as conn:
            return conn.execute(text("SELECT * FROM ledger_entries WHERE court_id = :c AND court_index = :i"),
                                {"c": self.court, "i": index}).one()


@pytest.fixture
def book(uows, store, key):
    return Ledger(uows, store, key)
