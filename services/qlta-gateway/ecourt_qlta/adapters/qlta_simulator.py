"""A QLTA simulator: behaves like the remote system as far as the gateway can tell, and remembers.

It runs in-process but acts as a separate system: every push is its own transaction (never part of
the gateway's), it verifies the content hash the way a careful receiver would, keeps the highest
version per case as "current" and logs every receipt. Its tables (``qlta_sim_*``) are its own:
reconciliation reads them only through :meth:`QltaSimulator.fetch`, like it would ask real QLTA.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, insert

from ecourt_qlta.adapters.qlta_client import QltaAck, QltaChange, QltaRejected, QltaRemoteCase
from ecourt_qlta.domain.canonical import content_sha256

simulator_metadata = MetaData()

sim_cases = Table(
    "qlta_sim_cases", simulator_metadata,
    Column("court_code", String(20), primary_key=True),
    Column("case_code", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("record", JSONB, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # set when a later record of the case arrived from another court naming this one as where it came from
    Column("moved_to_court_code", String(20)),
)

sim_receipts = Table(
    "qlta_sim_receipts", simulator_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("receipt_id", String(40), nullable=False, unique=True),
    Column("court_code", String(20), nullable=False),
    Column("case_code", String(40), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("outcome", String(10), nullable=False),  # stored | duplicate | stale
    Column("received_at", DateTime(timezone=True), nullable=False),
)


class QltaSimulator:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def push(self, change: QltaChange) -> QltaAck:
        if content_sha256(change.record) != change.content_sha256:
            raise QltaRejected(f"content hash mismatch for {change.case_code} v{change.version}")
        if (change.record.court_code, change.record.case_code) != (change.court_code, change.case_code):
            raise QltaRejected(f"record identity differs from the change header for {change.case_code}")
        receipt = f"SIM-{uuid.uuid4().hex[:20].upper()}"
        with self._engine.begin() as conn:
            stmt = insert(sim_cases).values(
                court_code=change.court_code, case_code=change.case_code, version=change.version,
                content_sha256=change.content_sha256, record=change.record.model_dump(mode="json"),
                received_at=func.now())
            stmt = stmt.on_conflict_do_update(
                index_elements=["court_code", "case_code"],
                set_={"version": stmt.excluded.version, "content_sha256": stmt.excluded.content_sha256,
                      "record": stmt.excluded.record, "received_at": stmt.excluded.received_at},
                where=sim_cases.c.version < stmt.excluded.version)
            stored = conn.execute(stmt.returning(sim_cases.c.version)).first() is not None
            if stored:
                outcome = "stored"
                self._record_move(conn, change)
            else:
                held = conn.execute(select(sim_cases.c.version, sim_cases.c.content_sha256).where(
                    sim_cases.c.court_code == change.court_code, sim_cases.c.case_code == change.case_code)).one()
                same = (held.version, held.content_sha256) == (change.version, change.content_sha256)
                outcome = "duplicate" if same else "stale"
            conn.execute(sim_receipts.insert().values(
                receipt_id=receipt, court_code=change.court_code, case_code=change.case_code,
                version=change.version, content_sha256=change.content_sha256, outcome=outcome,
                received_at=func.now()))
        return QltaAck(receipt_id=receipt, outcome=outcome)

    @staticmethod
    def _record_move(conn: Any, change: QltaChange) -> None:
        """A transferred case: the court it left keeps its last record, marked as moved (like QLTA would)."""
        came_from = change.record.transferred_from_court_code
        if came_from is None or came_from == change.court_code:
            return
        conn.execute(sim_cases.update().where(sim_cases.c.court_code == came_from,
                                              sim_cases.c.case_code == change.case_code,
                                              sim_cases.c.version < change.version)
                     .values(moved_to_court_code=change.court_code))

    def moved_to(self, court_code: str, case_code: str) -> str | None:
        """Where the simulator knows a court's case went (None while the court still holds it)."""
        with self._engine.connect() as conn:
            return conn.execute(select(sim_cases.c.moved_to_court_code).where(
                sim_cases.c.court_code == court_code, sim_cases.c.case_code == case_code)).scalar()

    def fetch(self, court_code: str, case_code: str) -> QltaRemoteCase | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(sim_cases.c.court_code, sim_cases.c.case_code, sim_cases.c.version,
                                      sim_cases.c.content_sha256, sim_cases.c.received_at)
                               .where(sim_cases.c.court_code == court_code,
                                      sim_cases.c.case_code == case_code)).first()
        return QltaRemoteCase.model_validate(row._asdict()) if row else None

    def receipts(self, case_code: str) -> list[dict[str, Any]]:
        """Every push the simulator received for a case, oldest first (for tests and operators)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(sim_receipts).where(sim_receipts.c.case_code == case_code)
                                .order_by(sim_receipts.c.id)).all()
        return [dict(row._mapping) for row in rows]

    def current_record(self, court_code: str, case_code: str) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            return conn.execute(select(sim_cases.c.record).where(sim_cases.c.court_code == court_code,
                                                                 sim_cases.c.case_code == case_code)).scalar()
