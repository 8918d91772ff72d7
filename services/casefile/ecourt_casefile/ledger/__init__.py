"""The electronic ledger (sổ cái điện tử): every state change and document version of a case, tamper-evident.

For other code of casefile there is one function::

    from ecourt_casefile import ledger
    ledger.append(uow, case_id, court_id, kind, payload, at) -> LedgerEntry

Call it inside the unit of work that makes the change, before ``uow.commit()``: the entry is written if and only
if the change commits. ``kind`` names the change (``"case.received"``, ``"case.assigned"``, ``"document.version"``,
``"stage.<step>"``, …, at most 60 characters); ``payload`` is a JSON object (str/int/bool/None/list/dict, dates
and aware datetimes are written in ISO 8601) describing the change; ``at`` is when it happened (timezone-aware).
It takes the court's ledger lock until the transaction ends, so call it after your own locks
(``repository.lock_case``). Never update or delete ledger rows: the table refuses it.

What it builds (see the modules):
- ``hashing``: canonical JSON, the domain-separated SHA-256 entry hash; each entry links to its case's previous
  one (a hash chain per case) and is a leaf of its court's RFC 6962 Merkle tree.
- ``checkpoints``/``checkpointing``: signed checkpoints (Ed25519; tree size, root, time) written outside the
  database, by the worker's timer and by ``ecourt ledger checkpoint``.
- ``verifying``: ``ecourt ledger verify [--court C] [--case ID]`` names the first bad entry.
- ``proofs``: a short proof of a case's history (RPC ``ledger_proof``, ``ecourt ledger prove``) and its standalone
  checker (``ecourt ledger check-proof proof.json --public-key key.pem``).
"""

from ecourt_casefile.ledger.entries import LedgerEntry, append

__all__ = ["LedgerEntry", "append"]
