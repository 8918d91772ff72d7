"""Writing a court's next checkpoint: continue the signed tree with the entries appended since, sign, store.

The tree is continued from the previous checkpoint's frontier (checked against its signed root), never rebuilt
from the database, so a row changed after it was checkpointed can not be laundered into a new signed root. The
new entries are checked before they are signed (hash recomputed, chain link to their predecessor, no gap); if
one is wrong nothing is signed and :class:`LedgerDamaged` names it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, text

from ecourt_casefile.ledger.checkpoints import (
    CheckpointError,
    CheckpointRecord,
    CheckpointStore,
    sign,
)
from ecourt_casefile.ledger.entries import LedgerEntry
from ecourt_casefile.ledger.hashing import GENESIS, format_time, leaf_hash
from ecourt_casefile.ledger.merkle import TreeBuilder
from ecourt_casefile.ledger.report import Problem

FETCH_BATCH = 20_000

_RANGE_WITH_PREDECESSOR = text("""
    SELECT e.court_id, e.court_index, e.case_id, e.case_seq, e.kind, e.at, e.payload, e.prev_hash, e.entry_hash,
           p.entry_hash AS pred_hash
    FROM ledger_entries e
    LEFT JOIN ledger_entries p ON p.case_id = e.case_id AND p.case_seq = e.case_seq - 1
    WHERE e.court_id = :court AND e.court_index >= :lo AND e.court_index < :hi
    ORDER BY e.court_index
""")


class LedgerDamaged(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.describe())
        self.problem = problem


def builder_from(record: CheckpointRecord | None) -> TreeBuilder:
    """A tree builder positioned at a stored checkpoint, checked against its signed root."""
    if record is None:
        return TreeBuilder()
    builder = TreeBuilder.resume(record.checkpoint.tree_size, record.frontier)
    if builder.root() != record.checkpoint.root:
        raise CheckpointError(f"checkpoint {record.checkpoint.court_id}@{record.checkpoint.tree_size}: "
                              "its frontier does not rebuild its signed root")
    return builder


def stream(conn: Connection, court_id: str, lo: int, hi: int) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=FETCH_BATCH).execute(
        _RANGE_WITH_PREDECESSOR, {"court": court_id, "lo": lo, "hi": hi})
    yield from result


def checked_entry(row: Any, expected_index: int) -> LedgerEntry:
    """The entry of a row about to be signed, or :class:`LedgerDamaged` naming what is wrong with it."""
    entry = LedgerEntry.from_row(row)
    if entry.court_index != expected_index:
        raise LedgerDamaged(Problem.missing(entry.court_id, expected_index, f"the next stored is #{entry.court_index}"))
    problem = Problem.of_entry(entry, row.pred_hash)
    if problem is not None:
        raise LedgerDamaged(problem)
    return entry


def write_checkpoint(engine: Engine, court_id: str, store: CheckpointStore, key: Ed25519PrivateKey,
                     now: Callable[[], datetime]) -> CheckpointRecord | None:
    """Sign and store the court's tree if it grew since the last checkpoint; None when it did not."""
    records = store.records(court_id)
    last = records[-1] if records else None
    builder = builder_from(last)
    previous_size = builder.size
    with engine.connect() as conn, conn.begin():
        # one checkpointer per court at a time (other replicas wait, then find nothing new or continue)
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                     {"k": "ecourt-ledger-checkpoint:" + court_id})
        size = conn.execute(text("SELECT size FROM ledger_courts WHERE court_id = :c"),
                            {"c": court_id}).scalar()
        if size is None or size <= previous_size:
            return None
        leaves = bytearray()
        expected = previous_size
        for row in stream(conn, court_id, previous_size, size):
            entry = checked_entry(row, expected)
            leaf = leaf_hash(entry.entry_hash)
            builder.append(leaf)
            leaves += leaf
            expected += 1
        if expected != size:
            raise LedgerDamaged(Problem.missing(court_id, expected, f"the court's counter says {size} entries"))
    checkpoint = sign(key, court_id, builder.size, builder.root(), format_time(now()))
    record = CheckpointRecord(checkpoint=checkpoint, previous_size=previous_size, frontier=builder.frontier())
    store.append(record, bytes(leaves))
    return record


def ledger_courts(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT court_id FROM ledger_courts ORDER BY court_id"))]


__all__ = ["GENESIS", "LedgerDamaged", "builder_from", "ledger_courts", "write_checkpoint"]
