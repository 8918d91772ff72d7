"""Ledger rows in PostgreSQL and the one way to add them: :func:`append`, inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, LargeBinary, MetaData, String, Table, Text, select
from sqlalchemy.dialects.postgresql import insert

from ecourt_casefile.ledger.hashing import GENESIS, canonical_json, entry_hash, format_time, parse_time
from ecourt_shared.db import UnitOfWork

metadata = MetaData()

# Schema: migrations/versions/0002_ledger.py (append-only, enforced by a trigger).
ledger_entries = Table(
    "ledger_entries", metadata,
    Column("court_id", String(20), primary_key=True),
    Column("court_index", BigInteger, primary_key=True, autoincrement=False),
    Column("case_id", String(40), nullable=False),
    Column("case_seq", BigInteger, nullable=False),
    Column("kind", String(60), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", LargeBinary, nullable=False),
    Column("entry_hash", LargeBinary, nullable=False),
)

ledger_courts = Table(
    "ledger_courts", metadata,
    Column("court_id", String(20), primary_key=True),
    Column("size", BigInteger, nullable=False),
)

MAX_KIND = 60


@dataclass(frozen=True)
class LedgerEntry:
    court_id: str
    court_index: int  # leaf index in the court's Merkle tree
    case_id: str
    case_seq: int  # 1, 2, … within the case's hash chain
    kind: str
    at: str  # format_time(...) of the change's time
    payload: str  # canonical JSON, exactly as hashed
    prev_hash: bytes
    entry_hash: bytes

    def computed_hash(self) -> bytes:
        return entry_hash(self.court_id, self.court_index, self.case_id, self.case_seq, self.kind, self.at,
                          self.prev_hash, self.payload)

    def label(self) -> str:
        return f"entry #{self.court_index} of court {self.court_id} (case {self.case_id}, sequence {self.case_seq})"

    def to_json(self) -> dict[str, Any]:
        return {"court_id": self.court_id, "court_index": self.court_index, "case_id": self.case_id,
                "case_seq": self.case_seq, "kind": self.kind, "at": self.at, "payload": self.payload,
                "prev_hash": self.prev_hash.hex(), "entry_hash": self.entry_hash.hex()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LedgerEntry:
        return cls(court_id=str(data["court_id"]), court_index=int(data["court_index"]),
                   case_id=str(data["case_id"]), case_seq=int(data["case_seq"]), kind=str(data["kind"]),
                   at=str(data["at"]), payload=str(data["payload"]), prev_hash=bytes.fromhex(data["prev_hash"]),
                   entry_hash=bytes.fromhex(data["entry_hash"]))

    @classmethod
    def from_row(cls, row: Any) -> LedgerEntry:
        m = row._mapping
        return cls(court_id=m["court_id"], court_index=m["court_index"], case_id=m["case_id"],
                   case_seq=m["case_seq"], kind=m["kind"], at=format_time(m["at"]), payload=m["payload"],
                   prev_hash=bytes(m["prev_hash"]), entry_hash=bytes(m["entry_hash"]))


def append(uow: UnitOfWork, case_id: str, court_id: str, kind: str, payload: dict[str, Any],
           at: datetime) -> LedgerEntry:
    """Append one change of a case to its hash chain and to its court's tree, in ``uow``'s transaction.

    Locks the court's ledger row until the transaction ends, so appends of one court are serialised and
    indexes have no gaps; call it after the caller's own locks. The entry exists if and only if the caller
    commits.
    """
    if not kind or len(kind) > MAX_KIND:
        raise ValueError(f"a ledger kind has 1 to {MAX_KIND} characters: {kind!r}")
    text = canonical_json(payload)
    stamp = format_time(at)
    uow.execute(insert(ledger_courts).values(court_id=court_id, size=0).on_conflict_do_nothing())
    size = uow.execute(select(ledger_courts.c.size).where(ledger_courts.c.court_id == court_id)
                       .with_for_update()).scalar_one()
    head = uow.execute(select(ledger_entries.c.case_seq, ledger_entries.c.entry_hash)
                       .where(ledger_entries.c.case_id == case_id)
                       .order_by(ledger_entries.c.case_seq.desc()).limit(1)).first()
    seq, prev = (1, GENESIS) if head is None else (head.case_seq + 1, bytes(head.entry_hash))
    entry = LedgerEntry(court_id=court_id, court_index=size, case_id=case_id, case_seq=seq, kind=kind, at=stamp,
                        payload=text, prev_hash=prev, entry_hash=b"")
    entry = LedgerEntry(**{**entry.__dict__, "entry_hash": entry.computed_hash()})
    uow.execute(ledger_entries.insert().values(
        court_id=court_id, court_index=size, case_id=case_id, case_seq=seq, kind=kind, at=parse_time(stamp),
        payload=text, prev_hash=prev, entry_hash=entry.entry_hash))
    uow.execute(ledger_courts.update().where(ledger_courts.c.court_id == court_id).values(size=size + 1))
    return entry


def case_entries(uow: UnitOfWork, case_id: str) -> list[LedgerEntry]:
    rows = uow.execute(select(ledger_entries).where(ledger_entries.c.case_id == case_id)
                       .order_by(ledger_entries.c.case_seq)).all()
    return [LedgerEntry.from_row(r) for r in rows]
