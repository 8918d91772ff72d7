"""Taking row locks without freezing the worker.

Workers run under eventlet and psycopg2 is not cooperative: a statement blocked on a row lock blocks the
whole process, including the green thread that holds the lock and would release it, so the process would
hang. Locks are therefore taken ``NOWAIT``; when a row is busy the transaction is rolled back and run again
after a short cooperative sleep, with nothing held while sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from ecourt_assignment.adapters.repository import is_lock_not_available

T = TypeVar("T")
FIRST_PAUSE_SECONDS = 0.02
MAX_PAUSE_SECONDS = 0.5
GIVE_UP_AFTER_SECONDS = 10.0


def retry_when_locked(attempt: Callable[[], T], busy: Callable[[], Exception],
                      sleep: Callable[[float], None] | None = None) -> T:
    """Run ``attempt`` (one whole transaction) until it does not meet a locked row; then raise ``busy()``."""
    waited, pause = 0.0, FIRST_PAUSE_SECONDS
    while True:
        try:
            return attempt()
        except OperationalError as exc:
            if not is_lock_not_available(exc):
                raise
            if waited >= GIVE_UP_AFTER_SECONDS:
                raise busy() from None
        (sleep or time.sleep)(pause)  # looked up now: eventlet's patched sleep yields to the lock holder
        waited += pause
        pause = min(pause * 2, MAX_PAUSE_SECONDS)
