"""Archive import of N synthetic historical cases (3 small PDFs each), killed halfway and resumed.

Starts intake's worker on the real components in an isolated environment, writes a manifest of N cases,
runs `ecourt import` as a separate process, SIGKILLs it when about half the cases are answered, runs it
again to the end, and checks that intake's database holds exactly N cases and N `case_received` events.
Baselines measured in the same run: bare `intake.ping` RPC with the same number of threads in flight, and
sequential `import_historical_case` vs `ping` round trips (p50/p99).

    .venv/bin/python bench/archive_import.py [--cases 10000] [--jobs 4]
"""

from __future__ import annotations

import argparse
import base64
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from harness import ratio, running_system, summary
from sqlalchemy import create_engine, func, select

from ecourt_intake.adapters.orm import cases, documents, outbox
from ecourt_intake.archive.synthetic import synthetic_case, write_archive
from ecourt_shared.auth import Role
from ecourt_shared.rpc import RpcClientPool
from ecourt_shared.testing.documents import blank_pdf

CLI = "import sys; from ecourt_intake.archive.cli import main; sys.exit(main(sys.argv[1:]))"


def checkpoint_lines(path: Path) -> int:
    return len(path.read_bytes().splitlines()) if path.exists() else 0


def count(engine: Any, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def concurrent_pings(rpc: RpcClientPool, n: int, jobs: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda _: rpc.call("intake", "ping"), range(n)))
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--pings", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=200, help="sequential round trips for p50/p99")
    args = parser.parse_args()

    with running_system([("ecourt_intake", "worker")], prefix="ecourt-bench-archive-",
                        rpc_options={"size": args.jobs}) as system:
        env, rpc, base = system.env, system.rpc, system.base
        db = create_engine(env.settings.database_url("intake"))

        started = time.perf_counter()
        write_archive(base / "archive", args.cases)
        print(f"generated {args.cases} cases, {3 * args.cases} PDFs in {time.perf_counter() - started:.1f} s")

        for _ in range(100):
            rpc.call("intake", "ping")
        ping_rate_before = concurrent_pings(rpc, args.pings, args.jobs)

        state = base / "state"
        cli = [sys.executable, "-c", CLI, str(base / "archive"), "--jobs", str(args.jobs), "--state-dir", str(state)]
        child_env = {**os.environ, **env.env}
        first_started = time.perf_counter()
        first = subprocess.Popen(cli, env=child_env, stdout=subprocess.DEVNULL)
        while checkpoint_lines(state / "checkpoint.jsonl") < args.cases // 2 and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        first_seconds = time.perf_counter() - first_started
        answered = checkpoint_lines(state / "checkpoint.jsonl")
        in_db = count(db, cases)
        print(f"\nkilled (SIGKILL, exit {first.returncode}) after {first_seconds:.1f} s: "
              f"{answered} answered in the checkpoint, {in_db} cases in intake's database")

        second_started = time.perf_counter()
        second = subprocess.run(cli, env=child_env, stdout=subprocess.PIPE, text=True)
        second_seconds = time.perf_counter() - second_started
        print(second.stdout.strip())
        if second.returncode != 0:
            raise SystemExit(f"resumed run exited {second.returncode}")

        total_cases = count(db, cases)
        total_events = count(db, outbox, outbox.c.event_type == "case_received")
        total_documents = count(db, documents)
        verdict = "OK" if total_cases == total_events == args.cases else "MISMATCH"
        print(f"\nintake database: {total_cases} cases, {total_documents} documents, {total_events} case_received "
              f"events (expected {args.cases}): {verdict}")

        ping_rate_after = concurrent_pings(rpc, args.pings, args.jobs)
        ping_rate = (ping_rate_before + ping_rate_after) / 2
        wall = first_seconds + second_seconds
        rate = args.cases / wall
        resumed_rate = (args.cases - answered) / second_seconds
        print(f"\nmachine: {os.cpu_count()} cores; intake worker and CLI are separate processes; "
              f"{args.jobs} cases in flight")
        print(f"import wall time (both runs):       {wall:8.1f} s   {rate:8.1f} cases/s")
        print(f"resumed run alone:                  {second_seconds:8.1f} s   {resumed_rate:8.1f} cases/s "
              f"(includes re-reading the manifest and checkpoint)")
        print(f"bare intake.ping, {args.jobs} in flight:     {ping_rate:8.1f} calls/s "
              f"(before {ping_rate_before:.0f}, after {ping_rate_after:.0f})")
        print(f"ratio ping rate / import rate:      {ping_rate / rate:8.1f}x")

        token = system.token(Role.IT_ADMIN, user_id="u-bench")
        pdf = base64.b64encode(blank_pdf()).decode()
        sequences: Counter[tuple[int, str, str]] = Counter()
        sample, pings = [], []
        for i in range(args.sample):
            case = synthetic_case(i, sequences, first_year=1990, years=4)
            case["documents"] = [{"filename": f"{k}.pdf", "title": "Tài liệu", "content_base64": pdf} for k in range(3)]
            t = time.perf_counter()
            rpc.call("intake", "import_historical_case", token=token, case=case)
            sample.append(time.perf_counter() - t)
            t = time.perf_counter()
            rpc.call("intake", "ping")
            pings.append(time.perf_counter() - t)
        print("\nsequential round trips (one in flight):")
        print(summary("intake.ping", pings, rate_width=None))
        print(summary("import_historical_case (3 PDFs)", sample, rate_width=None))
        print(f"ratio import p50 / ping p50:        {ratio(sample, pings):8.1f}x")
        db.dispose()


if __name__ == "__main__":
    main()
