"""A court merger (sáp nhập) on casefile's real database: every open case moves, once, even across a crash."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import text

from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.domain.courts import CourtRegistry
from ecourt_casefile.service_layer import merging, receiving
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.storage import ObjectStore

pytestmark = pytest.mark.integration

EFFECTIVE = date(2026, 7, 1)
NOW = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
_courts = itertools.count(1)


def registry(*ids: str) -> CourtRegistry:
    """A registry of area courts made up for one test (the shipped one stays untouched)."""
    return CourtRegistry.from_document({
        "schema": 1, "sources": {"test": {"vi": "Nghị quyết thử nghiệm", "en": "Test resolution"}},
        "courts": [{"id": c, "level": "area", "vi": f"Tòa án nhân dân Khu vực thử {c}",
                    "en": f"People's Court of test area {c}", "source": "test"} for c in ids]})


@pytest.fixture(scope="module")
def uows(casefile_engine: Any) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(casefile_engine, metadata)


@pytest.fixture
def courts() -> tuple[str, str, str]:
    n = next(_courts)
    return f"97A{n:03d}", f"97B{n:03d}", f"97C{n:03d}"


@pytest.fixture(scope="module")
def open_case(uows: UnitOfWorkFactory, mongo_db: Any, ecourt_env: Any, events: Any) -> Callable[[str], str]:
    """A case accepted at a court, opened by casefile's real handler (dossier, state, first deadline, ledger)."""
    dossiers, store = DossierStore(mongo_db), ObjectStore.from_settings(ecourt_env.settings)

    def make(court: str) -> str:
        event = events.received([], court_id=court)
        receiving.receive_case(event, events.envelope(event), uows, dossiers, store, lambda: NOW)
        return event.case_id
    return make


def at_court(pg: Any, court: str) -> list[str]:
    return [r.case_id for r in pg("SELECT case_id FROM case_state WHERE court_id = :c ORDER BY case_id", c=court)]


def transfers(pg: Any, case_ids: list[str]) -> list[Any]:
    return pg("SELECT envelope FROM outbox WHERE event_type = 'case_transferred' "
              "AND envelope->'payload'->>'case_id' = ANY(:ids)", ids=case_ids)


def merger_entries(pg: Any, case_ids: list[str]) -> list[Any]:
    return pg("SELECT case_id, court_id, kind FROM ledger_entries WHERE kind = 'stage.court_merger' "
              "AND case_id = ANY(:ids)", ids=case_ids)


def test_merger_moves_every_case_keeping_ids_history_and_deadlines(
        uows: UnitOfWorkFactory, open_case: Callable[[str], str], pg: Any, courts: tuple[str, str, str]) -> None:
    old, successor, other = courts
    reg = registry(old, successor, other)
    moving = sorted(open_case(old) for _ in range(5))
    staying = open_case(other)
    deadlines_before = {r.case_id: (r.rule_id, r.due_on) for r in pg(
        "SELECT case_id, rule_id, due_on FROM deadlines WHERE case_id = ANY(:ids)", ids=moving)}

    dry = merging.merge_court(uows, old, successor, EFFECTIVE, lambda: NOW, courts=reg, dry_run=True)
    assert (dry.to_move, dry.moved) == (5, [])
    assert at_court(pg, old) == moving and not pg("SELECT 1 FROM court_mergers WHERE old_court_id = :c", c=old)

    report = merging.merge_court(uows, old, successor, EFFECTIVE, lambda: NOW, courts=reg)
    assert sorted(report.moved) == moving and report.moved_before == 0
    assert at_court(pg, old) == [] and at_court(pg, successor) == moving and at_court(pg, other) == [staying]

    for case_id in moving:
        stages = pg("SELECT seq, stage, court_id, opened_on, opened_by, outcome FROM case_stages "
                    "WHERE case_id = :c ORDER BY seq", c=case_id)
        assert [(s.seq, s.court_id, s.outcome, s.opened_by) for s in stages] == [
            (1, old, "merged", "case_received"), (2, successor, None, "court_merger")]
        assert stages[1].opened_on == stages[0].opened_on  # the stage goes on; its time limits do not restart
        (state,) = pg("SELECT stage_seq, status, state FROM case_state WHERE case_id = :c", c=case_id)
        assert (state.stage_seq, state.status, state.state) == (2, "preparing", "preparing")
        moved_deadlines = pg("SELECT stage_seq, rule_id, due_on, status FROM deadlines WHERE case_id = :c", c=case_id)
        assert [(d.stage_seq, d.rule_id, d.due_on, d.status) for d in moved_deadlines] == [
            (2, *deadlines_before[case_id], "open")]
    assert sorted((e.case_id, e.court_id) for e in merger_entries(pg, moving)) == [(c, successor) for c in moving]
    events = [r.envelope for r in transfers(pg, moving)]
    assert sorted(e["payload"]["case_id"] for e in events) == moving
    assert {(e["court_id"], e["payload"]["from_court_id"], e["payload"]["reason"],
             e["payload"]["transferred_on"], e["payload"]["court_name_vi"]) for e in events} == {
        (successor, old, "merger", "2026-07-01", f"Tòa án nhân dân Khu vực thử {successor}")}
    (record,) = pg("SELECT successor_id, effective_on, moved, completed_at FROM court_mergers "
                   "WHERE old_court_id = :c", c=old)
    assert (record.successor_id, record.effective_on, record.moved) == (successor, EFFECTIVE, 5)
    assert record.completed_at is not None
    # the old code now resolves to its successor (from the effective day; before it, to itself)
    assert merging.holding_court(uows, old, reg) == successor
    with uows() as uow:
        effective = merging.effective_registry(uow, reg)
    assert effective.resolve(old, date(2026, 6, 30)).id == old
    assert old in effective.predecessors(successor)

    # a rerun finds nothing left and changes nothing
    again = merging.merge_court(uows, old, successor, EFFECTIVE, lambda: NOW, courts=reg)
    assert (again.moved, again.moved_before) == ([], 5)
    assert len(transfers(pg, moving)) == 5 and len(merger_entries(pg, moving)) == 5


def test_a_crash_halfway_then_a_rerun_moves_each_case_exactly_once(
        uows: UnitOfWorkFactory, open_case: Callable[[str], str], pg: Any, courts: tuple[str, str, str]) -> None:
    old, successor, _ = courts
    reg = registry(old, successor)
    cases = sorted(open_case(old) for _ in range(8))

    class Crash(RuntimeError):
        pass

    def crash_on_fourth(uow: Any, case_id: str) -> None:
        if case_id == cases[3]:
            raise Crash("the process died before this case committed")

    with pytest.raises(Crash):
        merging.merge_court(uows, old, successor, EFFECTIVE, lambda: NOW, courts=reg, batch=3,
                            before_commit=crash_on_fourth)
    assert at_court(pg, successor) == cases[:3] and at_court(pg, old) == cases[3:]
    assert len(transfers(pg, cases)) == 3 and len(merger_entries(pg, cases)) == 3
    (record,) = pg("SELECT moved, completed_at FROM court_mergers WHERE old_court_id = :c", c=old)
    assert (record.moved, record.completed_at) == (3, None)

    report = merging.merge_court(uows, old, successor, EFFECTIVE, lambda: NOW, courts=reg, batch=3)
    assert sorted(report.moved) == cases[3:] and report.moved_before == 3
    assert at_court(pg, old) == [] and at_court(pg, successor) == cases
    assert sorted(e.case_id for e in merger_entries(pg, cases)) == cases
    assert sorted(r.envelope["payload"]["case_id"] for r in transfers(pg, cases)) == cases
    for case_id in cases:
        assert [s.court_id for s in pg("SELECT court_id FROM case_stages WHERE case_id = :c ORDER BY seq",
                                       c=case_id)] == [old, successor]
    (record,) = pg("SELECT moved, completed_at FROM court_mergers WHERE old_court_id = :c", c=old)
    assert record.moved == 8 and record.completed_at is not None


def test_refusals_are_field_errors_and_change_nothing(
        uows: UnitOfWorkFactory, open_case: Callable[[str], str], pg: Any, courts: tuple[str, str, str]) -> None:
    old, successor, other = courts
    reg = registry(old, successor, other)
    case_id = open_case(old)

    def refused(*args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        with pytest.raises(RequestRejected) as exc:
            merging.merge_court(uows, *args, EFFECTIVE, lambda: NOW, courts=reg, **kwargs)
        return [(e.field, e.code) for e in exc.value.errors]

    assert refused(old, "97ZZZZ") == [("successor", "court.unknown")]
    assert refused("97YYYY", successor) == [("old_court", "court.unknown")]
    assert refused(old, old) == [("successor", "merger.same_court")]
    assert refused(old, old, dry_run=True) == [("successor", "merger.same_court")]
    assert at_court(pg, old) == [case_id] and not pg("SELECT 1 FROM court_mergers WHERE old_court_id = :c", c=old)

    merging.merge_court(uows, old, successor, EFFECTIVE, lambda: NOW, courts=reg)
    assert refused(old, other) == [("successor", "merger.already_recorded")]
    assert refused(other, old) == [("successor", "merger.successor_dissolved")]
    assert at_court(pg, successor) == [case_id]


def test_the_ecourt_courts_command(ecourt_env: Any, casefile_engine: Any) -> None:
    """``ecourt courts …`` through the real command-line entry point, on the shipped court registry."""
    env = {**os.environ, **ecourt_env.env}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ecourt_cli", "courts", *argv], env=env, text=True,
                              capture_output=True, timeout=120)

    unknown = run("merge", "79KV02", "--into", "99XX99", "--on", "2026-07-01")
    assert unknown.returncode == 1 and "99XX99" in unknown.stderr and "successor" in unknown.stderr
    itself = run("merge", "79KV02", "--into", "79KV02", "--on", "2026-07-01")
    assert itself.returncode == 1 and "chính nó" in itself.stderr and "itself" in itself.stderr
    assert run("merge", "79KV02", "--into", "79KV01", "--on", "01/07/2026").returncode == 2
    dry = run("merge", "79kv02", "--into", "79KV01", "--on", "2026-07-01", "--dry-run")
    assert dry.returncode == 0 and "Would move" in dry.stdout, dry.stderr
    assert run("resolve", "79KV02").stdout.strip() == "79KV02 -> 79KV02"
    done = run("merge", "79KV02", "--into", "79KV01", "--on", "2026-07-01")
    assert done.returncode == 0 and "Moved" in done.stdout, done.stderr
    assert run("resolve", "79KV02").stdout.strip() == "79KV02 -> 79KV01"
    assert run("resolve", "79Q001").stdout.strip() == "79Q001 -> 79KV01"  # the 2025 reorganisation, shipped data
    with casefile_engine.connect() as conn:
        assert conn.execute(text("SELECT successor_id FROM court_mergers WHERE old_court_id = '79KV02'")).scalar() \
            == "79KV01"
