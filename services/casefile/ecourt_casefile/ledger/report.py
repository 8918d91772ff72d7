"""What verification found: the first bad entry, named, and the numbers of what was checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecourt_casefile.ledger.entries import LedgerEntry
from ecourt_casefile.ledger.hashing import GENESIS


@dataclass(frozen=True)
class Problem:
    code: str  # edited | missing | chain | checkpoint | signature | extra
    court_id: str
    court_index: int | None
    detail: str
    case_id: str | None = None
    case_seq: int | None = None

    def describe(self) -> str:
        where = f"entry #{self.court_index} of court {self.court_id}" if self.court_index is not None \
            else f"court {self.court_id}"
        if self.case_id is not None:
            where += f" (case {self.case_id}, sequence {self.case_seq})"
        return f"{self.code}: {where}: {self.detail}"

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "court_id": self.court_id, "court_index": self.court_index,
                "case_id": self.case_id, "case_seq": self.case_seq, "detail": self.detail,
                "message": self.describe()}

    @classmethod
    def missing(cls, court_id: str, index: int, why: str) -> Problem:
        return cls("missing", court_id, index, f"this entry is missing (deleted or truncated): {why}")

    @classmethod
    def at(cls, code: str, entry: LedgerEntry, detail: str) -> Problem:
        return cls(code, entry.court_id, entry.court_index, detail, entry.case_id, entry.case_seq)

    @classmethod
    def of_entry(cls, entry: LedgerEntry, predecessor_hash: bytes | None) -> Problem | None:
        """An entry's own faults: its hash against its content, its link to the case's previous entry."""
        if entry.computed_hash() != entry.entry_hash:
            return cls.at("edited", entry, "its stored hash does not match its content (edited or moved)")
        if entry.case_seq == 1:
            if entry.prev_hash != GENESIS:
                return cls.at("chain", entry, "the first entry of a case must link to the zero hash")
        elif predecessor_hash is None:
            return cls.at("chain", entry, f"the case's entry {entry.case_seq - 1} is missing")
        elif bytes(predecessor_hash) != entry.prev_hash:
            return cls.at("chain", entry, f"its previous hash is not the hash of the case's entry {entry.case_seq - 1}")
        return None


@dataclass
class Report:
    scope: str
    entries: int = 0
    checkpoints: int = 0
    checkpointed_size: int = 0
    seconds: float = 0.0
    problem: Problem | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_json(self) -> dict[str, Any]:
        return {"scope": self.scope, "ok": self.ok, "entries": self.entries, "checkpoints": self.checkpoints,
                "checkpointed_size": self.checkpointed_size, "seconds": round(self.seconds, 3),
                "problem": None if self.problem is None else self.problem.to_json(), "notes": self.notes}
