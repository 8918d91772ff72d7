"""Ctrl-C and SIGTERM as one exception, raised once; later signals are ignored while we clean up."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class StopRequested(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class StopSignals:
    def __init__(self) -> None:
        self.fired: int | None = None
        self._shielded = False

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self.fired is not None or self._shielded:
            if self.fired is None:
                self.fired = signum
            return
        self.fired = signum
        raise StopRequested(signum)

    def shield(self) -> None:
        """From now on a signal is only recorded, never raised (cleanup must not be interrupted)."""
        self._shielded = True


@contextmanager
def stop_signals() -> Iterator[StopSignals]:
    state = StopSignals()
    previous = {sig: signal.signal(sig, state._handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield state
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
