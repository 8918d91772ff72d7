"""Pushing pending outbound rows to QLTA through the configured client, with bounded retries.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` (several gateway replicas can send side by side) in
id order, so the versions of one case leave in order. Per row:

- the client acknowledges: ``sent`` (and the case's sync state records the version QLTA has);
- :class:`QltaRejected`: ``failed`` at once (retrying the same content cannot help);
- anything else: ``attempts + 1`` and back-off ``base * 2^(attempts-1)`` (capped), until
  ``max_attempts``, then ``failed``. Failed rows wait for an operator (``retry_failed`` RPC).

A crash between the push and our commit re-sends the row later: QLTA keeps the highest version per
case, so a repeated push is harmless (the simulator logs it as ``duplicate``).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from opentelemetry.instrumentation.utils import suppress_instrumentation
from sqlalchemy import Engine, func, or_, select, update

from ecourt_qlta.adapters.orm import outbound, qlta_cases
from ecourt_qlta.adapters.qlta_client import QltaChange, QltaClient, QltaRejected
from ecourt_qlta.domain.canonical import QltaCaseRecord
from ecourt_shared.bus.loop import WakeableLoop

log = logging.getLogger(__name__)


class OutboundSender:
    def __init__(self, engine: Engine, client: QltaClient, batch_size: int = 50, max_attempts: int = 8,
                 retry_base_seconds: float = 2.0, retry_max_seconds: float = 300.0) -> None:
        self.engine = engine
        self.client = client
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self.retry_max_seconds = retry_max_seconds

    def backoff(self, attempts: int) -> float:
        return float(min(self.retry_base_seconds * 2 ** max(attempts - 1, 0), self.retry_max_seconds))

    def send_once(self) -> int:
        """Send one batch of due rows; returns how many rows were tried."""
        o = outbound.c
        with suppress_instrumentation(), self.engine.begin() as conn:
            rows = conn.execute(
                select(o.id, o.case_id, o.version, o.content_sha256, o.record, o.attempts)
                .where(o.status == "pending", o.next_attempt_at <= func.now())
                .order_by(o.id).limit(self.batch_size).with_for_update(skip_locked=True)).all()
            for row in rows:
                record = QltaCaseRecord.model_validate(row.record)
                change = QltaChange(court_code=record.court_code, case_code=record.case_code, version=row.version,
                                    content_sha256=row.content_sha256, record=record)
                attempts = row.attempts + 1
                try:
                    ack = self.client.push(change)
                except QltaRejected as exc:
                    log.error("QLTA rejected %s v%d: %s", row.case_id, row.version, exc)
                    conn.execute(update(outbound).where(o.id == row.id).values(
                        status="failed", attempts=attempts, last_error=f"rejected: {exc}"[:2000]))
                    continue
                except Exception as exc:  # unreachable, timeout, 5xx: retry with back-off, bounded
                    final = attempts >= self.max_attempts
                    log.warning("sending %s v%d to QLTA failed (attempt %d/%d): %s", row.case_id, row.version,
                                attempts, self.max_attempts, exc)
                    conn.execute(update(outbound).where(o.id == row.id).values(
                        status="failed" if final else "pending", attempts=attempts,
                        last_error=f"{type(exc).__name__}: {exc}"[:2000],
                        next_attempt_at=func.now() + timedelta(seconds=self.backoff(attempts))))
                    continue
                conn.execute(update(outbound).where(o.id == row.id).values(
                    status="sent", attempts=attempts, sent_at=func.now(), remote_receipt=ack.receipt_id,
                    last_error=None))
                c = qlta_cases.c
                conn.execute(update(qlta_cases).where(
                    c.case_id == row.case_id,
                    or_(c.last_sent_version.is_(None), c.last_sent_version < row.version)).values(
                    last_sent_version=row.version, last_sent_sha256=row.content_sha256, last_sent_at=func.now()))
        return len(rows)

    def drain(self) -> int:
        total = 0
        while (tried := self.send_once()) > 0:
            total += tried
            if tried < self.batch_size:
                break
        return total


class SenderLoop(WakeableLoop):
    """Runs the sender whenever an enqueue wakes it, and every ``poll_seconds`` regardless.

    If our database is unreachable the rows stay pending and the loop backs off (up to 10 s); QLTA's own
    failures are handled per row by :class:`OutboundSender`.
    """

    def __init__(self, sender: OutboundSender, poll_seconds: float = 0.5) -> None:
        super().__init__(sender.drain, poll_seconds=poll_seconds, max_backoff=10.0, name="QLTA sender", logger=log)
        self.sender = sender
