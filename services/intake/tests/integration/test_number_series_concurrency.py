"""Official numbers stay gap-free and unique when several OS processes take them at once (real PostgreSQL)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from typing import Any

import pytest

pytestmark = pytest.mark.integration
PROCESSES, PER_PROCESS = 6, 40


def allocate(database_url: str, start_at: float, seed: int) -> list[int]:
    """One worker process: take numbers in its own transactions; every third transaction rolls back."""
    from ecourt_intake.adapters import repository
    from ecourt_intake.adapters.orm import metadata
    from ecourt_shared.db import UnitOfWorkFactory, make_engine

    engine = make_engine(database_url)
    uows, rng, kept = UnitOfWorkFactory(engine, metadata), random.Random(seed), []
    time.sleep(max(0.0, start_at - time.time()))  # every process starts taking numbers at the same instant
    while len(kept) < PER_PROCESS:
        with uows() as uow:
            number = repository.next_number(uow, "79KV01", 2026, "TLST-DS")
            if rng.random() < 1 / 3:
                continue  # leaving the block rolls back: the number must be handed out again
            uow.commit()
            kept.append(number)
    engine.dispose()
    return kept


def test_numbers_from_several_processes_have_no_gaps_or_repeats_even_with_rollbacks(
        migrated: Any, ecourt_env: Any) -> None:
    # Separate interpreters (not multiprocessing.Pool): the test process runs under eventlet, whose green
    # threads deadlock multiprocessing's helper threads; plain OS processes are also closer to real workers.
    migrated("ecourt_intake")
    url, start_at = ecourt_env.settings.database_url("intake"), time.time() + 4
    code = (f"import json, sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); "
            "from test_number_series_concurrency import allocate; "
            "print(json.dumps(allocate(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))))")
    workers = [subprocess.Popen([sys.executable, "-c", code, url, str(start_at), str(seed)], stdout=subprocess.PIPE,
                                text=True) for seed in range(PROCESSES)]
    results = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    numbers = sorted(n for kept in results for n in kept)
    assert numbers == list(range(1, PROCESSES * PER_PROCESS + 1))
    assert all(kept == sorted(kept) for kept in results)  # each process sees the series only move forward
