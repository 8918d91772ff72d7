"""Proving a case's history to an outside auditor, and checking such a proof with nothing but the public key.

A case proof (``ecourt.ledger.case-proof.v1``) holds the case's entries from its first, one signed checkpoint of
the court the latest entry lives in, and the RFC 9162 inclusion path of that latest entry (about log2(n) hashes).
Because every entry's hash covers the previous one, proving the latest entry is in the signed tree proves the
whole chain. Optionally it carries an older checkpoint the auditor already holds and the consistency path from it,
proving the court's log only grew in between. :func:`check_case_proof` needs only this module, :mod:`hashing`,
:mod:`merkle` and the checkpoint key; it reads no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ecourt_casefile.ledger.checkpoints import (
    Checkpoint,
    CheckpointError,
    CheckpointRecord,
    CheckpointStore,
    split_leaves,
)
from ecourt_casefile.ledger.entries import LedgerEntry, case_entries
from ecourt_casefile.ledger.hashing import GENESIS, leaf_hash
from ecourt_casefile.ledger.merkle import (
    ProofError,
    consistency_path,
    inclusion_path,
    root_of,
    verify_consistency,
    verify_inclusion,
)
from ecourt_shared.db import UnitOfWorkFactory

PROOF_FORMAT = "ecourt.ledger.case-proof.v1"


class ProofUnavailable(Exception):
    """The case has no entries yet, or none of its latest court's checkpoints covers its latest entry yet."""


def court_leaves(store: CheckpointStore, records: list[CheckpointRecord], upto: int) -> list[bytes]:
    """The leaves of the court's tree up to the checkpoint ``records[upto]``, checked against its signed root."""
    leaves: list[bytes] = []
    for record in records[:upto + 1]:
        raw = store.leaves(record.checkpoint.court_id, record.checkpoint.tree_size)
        if raw is None:
            raise ProofUnavailable(f"the leaves of checkpoint {record.checkpoint.tree_size} are not stored")
        leaves.extend(split_leaves(raw))
    target = records[upto].checkpoint
    if len(leaves) != target.tree_size or root_of(leaves) != target.root:
        raise CheckpointError(f"the stored leaves of court {target.court_id} do not rebuild checkpoint "
                              f"{target.tree_size}")
    return leaves


def build_case_proof(uows: UnitOfWorkFactory, store: CheckpointStore, case_id: str,
                     old_size: int | None = None) -> dict[str, Any]:
    with uows() as uow:
        entries = case_entries(uow, case_id)
    if not entries:
        raise ProofUnavailable(f"case {case_id} has no ledger entries")
    head = entries[-1]
    records = store.records(head.court_id)
    position = next((i for i, r in enumerate(records) if r.checkpoint.tree_size > head.court_index), None)
    if position is None:
        raise ProofUnavailable(f"the latest entry of case {case_id} is not checkpointed yet")
    position = len(records) - 1  # prove against the newest checkpoint
    leaves = court_leaves(store, records, position)
    if leaves[head.court_index] != leaf_hash(head.entry_hash):
        raise CheckpointError(f"{head.label()} differs from the checkpointed leaf: run `ecourt ledger verify`")
    checkpoint = records[position].checkpoint
    proof: dict[str, Any] = {
        "format": PROOF_FORMAT, "case_id": case_id, "entries": [e.to_json() for e in entries],
        "checkpoint": checkpoint.to_json(),
        "inclusion": {"leaf_index": head.court_index, "tree_size": checkpoint.tree_size,
                      "path": [h.hex() for h in inclusion_path(leaves, head.court_index, checkpoint.tree_size)]}}
    if old_size is not None:
        old = next((r for r in records if r.checkpoint.tree_size == old_size), None)
        if old is None or old_size > checkpoint.tree_size:
            raise ProofUnavailable(f"court {head.court_id} has no checkpoint of size {old_size}")
        proof["consistency"] = {"old_checkpoint": old.checkpoint.to_json(),
                                "path": [h.hex() for h in consistency_path(leaves, old_size, checkpoint.tree_size)]}
    return proof


def build_consistency_proof(store: CheckpointStore, court_id: str, old_size: int, new_size: int) -> dict[str, Any]:
    records = store.records(court_id)
    sizes = [r.checkpoint.tree_size for r in records]
    if old_size not in sizes or new_size not in sizes or old_size > new_size:
        raise ProofUnavailable(f"court {court_id} has no checkpoints of sizes {old_size} and {new_size}")
    leaves = court_leaves(store, records, sizes.index(new_size))
    return {"old_checkpoint": records[sizes.index(old_size)].checkpoint.to_json(),
            "new_checkpoint": records[sizes.index(new_size)].checkpoint.to_json(),
            "path": [h.hex() for h in consistency_path(leaves, old_size, new_size)]}


@dataclass(frozen=True)
class ProvenHistory:
    case_id: str
    court_id: str
    entries: int
    tree_size: int
    checkpoint_time: str
    kinds: list[str]


def check_consistency(data: dict[str, Any], public_key: Ed25519PublicKey,
                      new: Checkpoint | None = None) -> None:
    """Raise :class:`ProofError` unless both checkpoints are signed and the older is a prefix of the newer."""
    try:
        old = Checkpoint.from_json(data["old_checkpoint"])
        new = new or Checkpoint.from_json(data["new_checkpoint"])
        old.verify(public_key)
        new.verify(public_key)
        path = [bytes.fromhex(h) for h in data["path"]]
    except (CheckpointError, KeyError, TypeError, ValueError) as exc:
        raise ProofError(f"consistency: {exc}") from None
    if old.court_id != new.court_id:
        raise ProofError("consistency: the two checkpoints are of different courts")
    verify_consistency(old.tree_size, new.tree_size, old.root, new.root, path)


def check_case_proof(proof: dict[str, Any], public_key: Ed25519PublicKey) -> ProvenHistory:
    """Everything an auditor checks; raises :class:`ProofError` naming the first thing that does not hold."""
    if proof.get("format") != PROOF_FORMAT:
        raise ProofError(f"not an {PROOF_FORMAT} document")
    try:
        checkpoint = Checkpoint.from_json(proof["checkpoint"])
        entries = [LedgerEntry.from_json(e) for e in proof["entries"]]
        inclusion = proof["inclusion"]
        index, size = int(inclusion["leaf_index"]), int(inclusion["tree_size"])
        path = [bytes.fromhex(h) for h in inclusion["path"]]
        case_id = str(proof["case_id"])
    except (CheckpointError, KeyError, TypeError, ValueError) as exc:
        raise ProofError(f"malformed proof: {exc}") from None
    try:
        checkpoint.verify(public_key)
    except CheckpointError as exc:
        raise ProofError(str(exc)) from None
    if not entries:
        raise ProofError("the proof holds no entries")
    previous = GENESIS
    for seq, entry in enumerate(entries, start=1):
        if entry.case_id != case_id or entry.case_seq != seq:
            raise ProofError(f"entry {seq}: expected case {case_id} sequence {seq}")
        if entry.prev_hash != previous:
            raise ProofError(f"entry {seq}: its previous hash is not the hash of entry {seq - 1}")
        if entry.computed_hash() != entry.entry_hash:
            raise ProofError(f"entry {seq}: its hash does not match its content")
        previous = entry.entry_hash
    head = entries[-1]
    if head.court_id != checkpoint.court_id or index != head.court_index or size != checkpoint.tree_size:
        raise ProofError("the inclusion proof is not for the latest entry in this checkpoint")
    verify_inclusion(leaf_hash(head.entry_hash), index, size, path, checkpoint.root)
    if "consistency" in proof:
        check_consistency(proof["consistency"], public_key, new=checkpoint)
    return ProvenHistory(case_id=case_id, court_id=checkpoint.court_id, entries=len(entries),
                         tree_size=checkpoint.tree_size, checkpoint_time=checkpoint.time,
                         kinds=[e.kind for e in entries])


__all__ = ["ProofError", "ProofUnavailable", "build_case_proof", "build_consistency_proof", "check_case_proof",
           "check_consistency"]
