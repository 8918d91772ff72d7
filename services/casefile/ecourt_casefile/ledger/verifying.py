"""``ecourt ledger verify``: recompute every hash from PostgreSQL and hold it against the signed checkpoints.

For a court, entries are read in tree order and each one is checked, stopping at the first fault, which is
therefore the first bad entry:

1. its index follows the previous one (a gap is a deleted entry);
2. its hash, recomputed from its content, is the stored one (an edited, moved or reordered entry);
3. it links to its case's previous entry (sequence and previous hash);
4. its leaf is the leaf the checkpoint store holds for that index (names an entry even when an attacker
   recomputed every hash after it; a stored segment is trusted only once it rebuilds its signed root);
5. at each checkpoint's size, the recomputed root is the signed root.

At the end the database must hold at least every checkpointed entry and every entry the court's counter counted
(truncation). Entries appended after the last checkpoint are protected by the chain and the counter only; the
worker's periodic checkpoint bounds that window.
"""

from __future__ import annotations

import bisect
import time
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine, text

from ecourt_casefile.ledger.checkpointing import builder_from, stream
from ecourt_casefile.ledger.checkpoints import CheckpointError, CheckpointRecord, CheckpointStore, split_leaves
from ecourt_casefile.ledger.entries import LedgerEntry
from ecourt_casefile.ledger.hashing import leaf_hash
from ecourt_casefile.ledger.merkle import TreeBuilder
from ecourt_casefile.ledger.report import Problem, Report

NO_END = 2 ** 62


def checked_records(court_id: str, store: CheckpointStore, public_key: Ed25519PublicKey,
                    report: Report) -> list[CheckpointRecord]:
    """The court's checkpoints, each signed by the key and continuing the one before; else a problem."""
    try:
        records = store.records(court_id)
    except CheckpointError as exc:
        report.problem = Problem("checkpoint", court_id, None, str(exc))
        return []
    previous = 0
    for record in records:
        cp = record.checkpoint
        try:
            cp.verify(public_key)
        except CheckpointError as exc:
            report.problem = Problem("signature", court_id, None, str(exc))
            return []
        if cp.court_id != court_id or record.previous_size != previous or cp.tree_size <= previous:
            report.problem = Problem("checkpoint", court_id, None,
                                     f"checkpoint of size {cp.tree_size} does not continue the one of size {previous}")
            return []
        previous = cp.tree_size
    report.checkpoints = len(records)
    report.checkpointed_size = previous
    return records


def _segment(store: CheckpointStore, records: list[CheckpointRecord], position: int) -> list[bytes] | None:
    record = records[position]
    raw = store.leaves(record.checkpoint.court_id, record.checkpoint.tree_size)
    if raw is None:
        return None
    leaves = split_leaves(raw)
    return leaves if len(leaves) == record.checkpoint.tree_size - record.previous_size else None


def _segment_is_authentic(records: list[CheckpointRecord], position: int, leaves: list[bytes]) -> bool:
    try:
        builder = builder_from(records[position - 1] if position else None)
    except CheckpointError:
        return False
    for leaf in leaves:
        builder.append(leaf)
    return builder.root() == records[position].checkpoint.root


def _leaf_problem(entry: LedgerEntry, leaf: bytes, records: list[CheckpointRecord], position: int,
                  segment: list[bytes]) -> Problem | None:
    record = records[position]
    if segment[entry.court_index - record.previous_size] == leaf:
        return None
    if not _segment_is_authentic(records, position, segment):
        return Problem("checkpoint", entry.court_id, None,
                       f"the stored leaves of checkpoint {record.checkpoint.tree_size} do not rebuild its signed root")
    return Problem.at("edited", entry, f"it differs from the entry signed in the checkpoint of "
                                       f"{record.checkpoint.time} (size {record.checkpoint.tree_size}); its hashes "
                                       "were recomputed after the change")


def _counter(conn: Connection, court_id: str) -> int | None:
    value = conn.execute(text("SELECT size FROM ledger_courts WHERE court_id = :c"), {"c": court_id}).scalar()
    return None if value is None else int(value)


def _tail_problem(court_id: str, held: int, records: list[CheckpointRecord], counter: int | None) -> Problem | None:
    if records and held < records[-1].checkpoint.tree_size:
        cp = records[-1].checkpoint
        return Problem.missing(court_id, held, f"the checkpoint of {cp.time} covers {cp.tree_size} entries, "
                                               f"the database holds {held} (truncated)")
    if counter is not None and counter > held:
        return Problem.missing(court_id, held, f"the court's counter says {counter} entries, the database "
                                               f"holds {held}")
    if counter is not None and counter < held:
        return Problem("extra", court_id, counter, f"entries from #{counter} on were never counted (inserted)")
    return None


def verify_court(engine: Engine, court_id: str, store: CheckpointStore, public_key: Ed25519PublicKey) -> Report:
    report = Report(scope=f"court {court_id}")
    started = time.perf_counter()
    records = checked_records(court_id, store, public_key, report)
    if report.problem is None:
        with engine.connect() as conn, conn.begin():
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            report.problem, report.entries = _walk_court(conn, court_id, store, records)
            if report.problem is None:
                report.problem = _tail_problem(court_id, report.entries, records, _counter(conn, court_id))
    report.seconds = time.perf_counter() - started
    return report


def _walk_court(conn: Connection, court_id: str, store: CheckpointStore,
                records: list[CheckpointRecord]) -> tuple[Problem | None, int]:
    builder = TreeBuilder()
    position, segment, loaded = 0, None, False
    index = 0
    for row in stream(conn, court_id, 0, NO_END):
        entry = LedgerEntry.from_row(row)
        if entry.court_index != index:
            return Problem.missing(court_id, index, f"the next stored entry is #{entry.court_index}"), index
        problem = Problem.of_entry(entry, row.pred_hash)
        if problem is not None:
            return problem, index
        leaf = leaf_hash(entry.entry_hash)
        if position < len(records):
            if not loaded:
                segment, loaded = _segment(store, records, position), True
            if segment is not None:
                problem = _leaf_problem(entry, leaf, records, position, segment)
                if problem is not None:
                    return problem, index
        builder.append(leaf)
        index += 1
        if position < len(records) and index == records[position].checkpoint.tree_size:
            record = records[position]
            if builder.root() != record.checkpoint.root:
                first = record.previous_size
                return Problem("checkpoint", court_id, first,
                               f"entries #{first} to #{index - 1} do not rebuild the root signed at "
                               f"{record.checkpoint.time} (its leaf segment is missing, so the entry can not be "
                               "narrowed further)"), index
            position, segment, loaded = position + 1, None, False
    return None, index


_CASE_ENTRIES = text("""
    SELECT e.court_id, e.court_index, e.case_id, e.case_seq, e.kind, e.at, e.payload, e.prev_hash, e.entry_hash,
           p.entry_hash AS pred_hash
    FROM ledger_entries e
    LEFT JOIN ledger_entries p ON p.case_id = e.case_id AND p.case_seq = e.case_seq - 1
    WHERE e.case_id = :case ORDER BY e.case_seq
""")

_FIRST_GAP = text("""
    SELECT min(x) FROM (
        SELECT 0 AS x WHERE NOT EXISTS (SELECT 1 FROM ledger_entries WHERE court_id = :c AND court_index = 0)
        UNION ALL
        SELECT e.court_index + 1 FROM ledger_entries e
        WHERE e.court_id = :c AND e.court_index < :last AND NOT EXISTS (
            SELECT 1 FROM ledger_entries n WHERE n.court_id = :c AND n.court_index = e.court_index + 1)
    ) gaps
""")


def _court_continuity(conn: Connection, court_id: str, records: list[CheckpointRecord]) -> Problem | None:
    count, last = conn.execute(text("SELECT count(*), coalesce(max(court_index), -1) FROM ledger_entries "
                                    "WHERE court_id = :c"), {"c": court_id}).one()
    if count != last + 1:
        gap = conn.execute(_FIRST_GAP, {"c": court_id, "last": last}).scalar_one()
        return Problem.missing(court_id, int(gap), "a later entry of the court is still stored")
    return _tail_problem(court_id, int(count), records, _counter(conn, court_id))


def verify_case(engine: Engine, case_id: str, store: CheckpointStore, public_key: Ed25519PublicKey) -> Report:
    """One case's chain from its first entry, each entry against its court's checkpoints, and the courts' continuity."""
    report = Report(scope=f"case {case_id}")
    started = time.perf_counter()
    records_of: dict[str, list[CheckpointRecord]] = {}
    segments: dict[tuple[str, int], list[bytes] | None] = {}
    with engine.connect() as conn, conn.begin():
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        rows = conn.execute(_CASE_ENTRIES, {"case": case_id}).all()
        known = conn.execute(text("SELECT court_id FROM case_state WHERE case_id = :c"), {"c": case_id}).scalar()
        if not rows:
            if known is not None:
                report.problem = Problem("missing", known, None, f"case {case_id} has no ledger entries",
                                         case_id, 1)
            else:
                report.notes.append(f"no ledger entries for case {case_id}")
        for expected_seq, row in enumerate(rows, start=1):
            entry = LedgerEntry.from_row(row)
            problem = Problem.of_entry(entry, row.pred_hash)
            if problem is None and entry.case_seq != expected_seq:
                problem = Problem.at("chain", entry, f"the case's entry {expected_seq} is missing")
            if problem is None:
                problem = _case_leaf_problem(entry, store, public_key, report, records_of, segments)
            if problem is not None:
                report.problem = problem
                break
            report.entries += 1
        if report.problem is None:
            for court_id in sorted({row.court_id for row in rows}):
                problem = _court_continuity(conn, court_id, records_of.get(court_id, []))
                if problem is not None:
                    report.problem = problem
                    break
    report.seconds = time.perf_counter() - started
    return report


def _case_leaf_problem(entry: LedgerEntry, store: CheckpointStore, public_key: Ed25519PublicKey, report: Report,
                       records_of: dict[str, list[CheckpointRecord]],
                       segments: dict[tuple[str, int], list[bytes] | None]) -> Problem | None:
    court_id = entry.court_id
    if court_id not in records_of:
        sub = Report(scope=court_id)
        records_of[court_id] = checked_records(court_id, store, public_key, sub)
        if sub.problem is not None:
            return sub.problem
        report.checkpoints += sub.checkpoints
        report.checkpointed_size = max(report.checkpointed_size, sub.checkpointed_size)
    records = records_of[court_id]
    sizes = [r.checkpoint.tree_size for r in records]
    position = bisect.bisect_right(sizes, entry.court_index)
    if position == len(records):
        return None  # appended after the last checkpoint: chain only
    key = (court_id, position)
    if key not in segments:
        segments[key] = _segment(store, records, position)
    segment = segments[key]
    if segment is None:
        report.notes.append(f"the leaves of checkpoint {sizes[position]} of court {court_id} are not stored")
        return None
    return _leaf_problem(entry, leaf_hash(entry.entry_hash), records, position, segment)


def courts_to_verify(engine: Engine, store: CheckpointStore) -> list[str]:
    with engine.connect() as conn:
        in_db = {r[0] for r in conn.execute(text("SELECT court_id FROM ledger_courts"))}
        in_db |= {r[0] for r in conn.execute(text("SELECT DISTINCT court_id FROM ledger_entries"))}
    return sorted(in_db | set(store.courts()))


def reports_json(reports: list[Report]) -> list[dict[str, Any]]:
    return [r.to_json() for r in reports]
