"""Running a few statements in one transaction, whatever the caller holds.

Account functions accept an ``Engine`` (they open and commit their own transaction), a ``Connection``
(inside its transaction if one is open, else their own), a :class:`UnitOfWork` (the caller commits)
or a database URL (a short-lived engine, committed and disposed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

from sqlalchemy import Connection, Engine, create_engine, pool

from ecourt_shared.db import UnitOfWork

Target: TypeAlias = Engine | Connection | UnitOfWork | str
Execute: TypeAlias = Callable[..., Any]


def engine_for(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    return create_engine(url, poolclass=pool.NullPool, future=True)


@contextmanager
def transaction(target: Target) -> Iterator[Execute]:
    if isinstance(target, UnitOfWork):
        yield target.execute
    elif isinstance(target, Engine):
        with target.begin() as conn:
            yield conn.execute
    elif isinstance(target, Connection):
        if target.in_transaction():
            yield target.execute
        else:
            with target.begin():
                yield target.execute
    elif isinstance(target, str):
        engine = engine_for(target)
        try:
            with engine.begin() as conn:
                yield conn.execute
        finally:
            engine.dispose()
    else:
        raise TypeError(f"expected an Engine, Connection, UnitOfWork or database URL, got {type(target).__name__}")
