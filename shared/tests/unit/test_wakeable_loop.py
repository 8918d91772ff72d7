import itertools
import threading
import time

import pytest

from ecourt_shared.bus.loop import WakeableLoop

pytestmark = pytest.mark.unit

PROMPTLY = 5.0  # generous bound for a thread to react; the polls below are 60 s, so a pass proves the wake-up


def _start(loop: WakeableLoop) -> threading.Thread:
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    return thread


def test_wake_runs_a_step_promptly_and_stop_ends_run():
    stepped = threading.Event()
    loop = WakeableLoop(stepped.set, poll_seconds=60.0, max_backoff=60.0, name="test loop")
    thread = _start(loop)
    assert not stepped.wait(0.05), "no step before the first wake-up or poll"

    loop.wake()
    assert stepped.wait(PROMPTLY)

    loop.stop()
    thread.join(PROMPTLY)
    assert not thread.is_alive()


def test_stop_ends_run_during_a_back_off_pause():
    failed = threading.Event()

    def step() -> None:
        failed.set()
        raise RuntimeError("database down")

    loop = WakeableLoop(step, poll_seconds=60.0, max_backoff=600.0, name="test loop")
    thread = _start(loop)
    loop.wake()
    assert failed.wait(PROMPTLY)  # now pausing for 120 s

    loop.stop()
    thread.join(PROMPTLY)
    assert not thread.is_alive()


def test_stop_before_run_returns_without_a_step():
    steps: list[int] = []
    loop = WakeableLoop(lambda: steps.append(1), poll_seconds=0.01, max_backoff=0.01, name="test loop")
    loop.stop()
    loop.run()
    assert steps == []


class _RecordedLoop(WakeableLoop):
    """Records each pause instead of sleeping, so the back-off sequence is checked exactly."""

    def __init__(self, outcomes: list[bool], poll_seconds: float, max_backoff: float) -> None:
        super().__init__(self._step, poll_seconds, max_backoff, name="test loop")
        self.outcomes = outcomes
        self.pauses: list[float] = []

    def _step(self) -> None:
        ok = self.outcomes.pop(0)
        if not self.outcomes:
            self.stop()
        if not ok:
            raise RuntimeError("broker down")

    def _pause(self, seconds: float) -> None:
        self.pauses.append(seconds)


def test_failing_step_backs_off_exponentially_up_to_the_cap_and_recovers(caplog):
    #             fail   fail   fail   fail   fail   ok     ok     fail   ok
    outcomes = [False, False, False, False, False, True, True, False, True]
    loop = _RecordedLoop(outcomes, poll_seconds=0.5, max_backoff=10.0)
    with caplog.at_level("ERROR", logger="ecourt_shared.bus.loop"):
        loop.run()
    assert loop.pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 0.5, 0.5, 1.0]
    assert [r.getMessage() for r in caplog.records] == ["test loop failed; will retry"] * 6


def test_failing_step_recovers_in_a_real_thread():
    calls: list[float] = []
    recovered = threading.Event()

    def step() -> None:
        calls.append(time.monotonic())
        if len(calls) <= 3:
            raise RuntimeError("database down")
        recovered.set()

    loop = WakeableLoop(step, poll_seconds=0.01, max_backoff=0.04, name="test loop")
    thread = _start(loop)
    try:
        assert recovered.wait(PROMPTLY)
    finally:
        loop.stop()
        thread.join(PROMPTLY)
    assert not thread.is_alive()
    gaps = [b - a for a, b in itertools.pairwise(calls[:4])]
    # a pause is never shorter than asked: 0.02 after the first failure, then 0.04 (the cap)
    assert gaps[0] >= 0.02 * 0.9 and gaps[1] >= 0.04 * 0.9 and gaps[2] >= 0.04 * 0.9
