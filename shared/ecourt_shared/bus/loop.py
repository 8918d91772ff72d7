"""A background loop that does one unit of work whenever it is woken, and every ``poll_seconds`` regardless.

The outbox relay (``ecourt_shared.bus.relay.RelayLoop``) and the QLTA gateway's outbound sender run on it::

    loop = WakeableLoop(relay.drain, poll_seconds=0.5, max_backoff=10.0, name="outbox relay")
    container.spawn_managed_thread(loop.run)   # or threading.Thread(target=loop.run)
    uow_factory.on_commit.append(loop.wake)    # a commit runs a step now rather than at the next poll
    loop.stop()                                # run() returns at its next wake-up, which stop() triggers

``step`` does one unit of work (typically "drain everything that is due") and raises on failure. A
failure is logged and the loop backs off: the pause doubles after every consecutive failure, capped at
``max_backoff``, and returns to ``poll_seconds`` after the first success. A wake-up cuts any pause short,
including a back-off pause. The loop only ever catches ``Exception``: whatever the step left undone is
still there (in the database) for the next step.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class WakeableLoop:
    def __init__(self, step: Callable[[], object], poll_seconds: float, max_backoff: float, name: str,
                 logger: logging.Logger | None = None) -> None:
        self.step = step
        self.poll_seconds = poll_seconds
        self.max_backoff = max_backoff
        self.name = name
        self._log = logger or log
        self._wake = threading.Event()
        self._stopped = threading.Event()

    def wake(self) -> None:
        """Run a step as soon as possible (safe to call from any thread, any number of times)."""
        self._wake.set()

    def stop(self) -> None:
        """Make :meth:`run` return; a step in progress finishes first."""
        self._stopped.set()
        self._wake.set()

    def run(self) -> None:
        pause = self.poll_seconds
        while not self._stopped.is_set():
            self._pause(pause)
            if self._stopped.is_set():
                break
            try:
                self.step()
                pause = self.poll_seconds
            except Exception:  # the broker or a database is down: the work stays pending, retry with back-off
                self._log.exception("%s failed; will retry", self.name)
                pause = min(pause * 2, self.max_backoff)

    def _pause(self, seconds: float) -> None:
        """Wait until woken or ``seconds`` have passed."""
        self._wake.wait(seconds)
        self._wake.clear()
