"""Benchmark: verifying a court ledger of 1,000,000 entries (``ecourt ledger verify``'s code path).

Builds a throwaway casefile database (prefix ``ecourtbench<pid>``, migrated with the real revisions), writes N
synthetic entries (N/10 cases of 10 chained entries each, interleaved, valid hashes) with COPY in batches, signs a
checkpoint, then times:

- the full court verification (read in tree order, recompute every entry hash, chain link, leaf, tree root, compare
  with the checkpoint's leaves and signed root): entries/s;
- the baseline measured in the same run: raw SHA-256 of the very same entry encodings (one hash per entry, no
  database, no tree) and streaming the same rows from PostgreSQL without checking anything;
- ``verify --case`` for 200 random cases: p50/p99.

Usage: ``.venv/bin/python bench/ledger_verify.py [--entries 1000000] [--keep]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from harness import percentile
from sqlalchemy import create_engine, pool, text

from ecourt_casefile.ledger.checkpointing import stream, write_checkpoint
from ecourt_casefile.ledger.checkpoints import FileCheckpointStore, load_or_create_key
from ecourt_casefile.ledger.hashing import GENESIS, entry_encoding, format_time
from ecourt_casefile.ledger.verifying import NO_END, verify_case, verify_court
from ecourt_shared.db.migrate import upgrade
from ecourt_shared.identifiers import make_case_id
from ecourt_shared.settings import Settings

COURT = "79KV01"
PER_CASE = 10
BATCH = 100_000


def build(engine, n: int) -> tuple[list[str], float]:
    cases = max(1, n // PER_CASE)
    case_ids = [make_case_id(COURT, 2026, i + 1) for i in range(cases)]
    heads = [GENESIS] * cases
    t0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    started = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for lo in range(0, n, BATCH):
            buf = io.StringIO()
            for i in range(lo, min(n, lo + BATCH)):
                c, seq = i % cases, i // cases + 1
                at = format_time(t0 + timedelta(seconds=i))
                payload = f'{{"judge_id":"J-{c % 40:04d}","status":"step-{seq}","note":"bước {seq}"}}'
                kind = "case.received" if seq == 1 else "stage.progressed"
                digest = hashlib.sha256(entry_encoding(COURT, i, case_ids[c], seq, kind, at, heads[c],
                                                       payload)).digest()
                buf.write(f"{COURT}\t{i}\t{case_ids[c]}\t{seq}\t{kind}\t{at}\t{payload}\t"
                          f"\\\\x{heads[c].hex()}\t\\\\x{digest.hex()}\n")
                heads[c] = digest
            buf.seek(0)
            cur.copy_expert("COPY ledger_entries (court_id, court_index, case_id, case_seq, kind, at, payload, "
                            "prev_hash, entry_hash) FROM STDIN", buf)
        cur.execute("INSERT INTO ledger_courts (court_id, size) VALUES (%s, %s)", (COURT, n))
        raw.commit()
        cur.execute("ANALYZE ledger_entries")
        raw.commit()
    finally:
        raw.close()
    return case_ids, time.perf_counter() - started


def baseline_sha256(engine, n: int) -> float:
    """Raw SHA-256 over the same entry encodings, read back from the database first (not timed)."""
    encodings = []
    with engine.connect() as conn:
        for r in conn.execute(text("SELECT * FROM ledger_entries WHERE court_id = :c ORDER BY court_index"),
                              {"c": COURT}).yield_per(50_000):
            encodings.append(entry_encoding(r.court_id, r.court_index, r.case_id, r.case_seq, r.kind,
                                            format_time(r.at), bytes(r.prev_hash), r.payload))
    sha = hashlib.sha256
    started = time.perf_counter()
    for e in encodings:
        sha(e).digest()
    return len(encodings) / (time.perf_counter() - started)


def read_only_rate(engine) -> float:
    started = time.perf_counter()
    count = 0
    with engine.connect() as conn:
        for _ in stream(conn, COURT, 0, NO_END):
            count += 1
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    prefix = f"ecourtbench{os.getpid()}"
    settings = Settings(db_prefix=prefix)
    url = settings.database_url("casefile")
    upgrade("ecourt_casefile", url)
    engine = create_engine(url, poolclass=pool.NullPool)
    work = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    try:
        n = args.entries
        print(f"ledger bench: {n:,} entries, {n // PER_CASE:,} cases, court {COURT}, PostgreSQL {url.split('@')[-1]}")
        case_ids, built = build(engine, n)
        print(f"build (hash + COPY):        {built:8.2f} s  {n / built:>12,.0f} entries/s")
        store, key = FileCheckpointStore(work / "checkpoints"), load_or_create_key(work / "key.pem")
        started = time.perf_counter()
        record = write_checkpoint(engine, COURT, store, key, lambda: datetime.now(UTC))
        signed = time.perf_counter() - started
        assert record is not None and record.checkpoint.tree_size == n
        print(f"checkpoint (check + sign):  {signed:8.2f} s  {n / signed:>12,.0f} entries/s")

        report = verify_court(engine, COURT, store, key.public_key())
        assert report.ok and report.entries == n, report.to_json()
        verify_rate = n / report.seconds
        print(f"verify court (full):        {report.seconds:8.2f} s  {verify_rate:>12,.0f} entries/s")
        read_rate = read_only_rate(engine)
        print(f"baseline: stream rows only:            {read_rate:>12,.0f} rows/s")
        sha_rate = baseline_sha256(engine, n)
        print(f"baseline: raw SHA-256 same bytes:      {sha_rate:>12,.0f} hashes/s")
        print(f"ratio verify / raw SHA-256:            {verify_rate / sha_rate:12.3f}")
        print(f"ratio verify / row streaming:          {verify_rate / read_rate:12.3f}")

        times = []
        for case_id in random.Random(7).sample(case_ids, min(200, len(case_ids))):
            started = time.perf_counter()
            case_report = verify_case(engine, case_id, store, key.public_key())
            times.append((time.perf_counter() - started) * 1000)
            assert case_report.ok, case_report.to_json()
        p99 = percentile(times, 0.99, rank="floor")
        print(f"verify --case ({len(times)} cases):   p50 {statistics.median(times):7.1f} ms   p99 {p99:7.1f} ms")
    finally:
        engine.dispose()
        if not args.keep:
            admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", poolclass=pool.NullPool,
                                  isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_casefile"'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
