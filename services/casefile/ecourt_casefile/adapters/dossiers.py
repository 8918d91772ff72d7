"""The dossier collection in MongoDB, changed by compare-and-swap on a revision number.

Every change reads the document, computes the next one with a pure function from ``domain.dossier`` and
writes it back only if nobody changed it meanwhile (``replace_one`` filtered on ``_id`` and ``revision``);
a lost race re-reads and recomputes. This uses only the common core of the MongoDB API (find, insert,
replace with a filter), which behaves the same on MongoDB and on the nx-27017 stand-in, whose array and
``$not`` operators are incomplete. An unchanged result is not written at all, so redoing an event
costs one read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pymongo.errors import DuplicateKeyError

from ecourt_casefile.domain.dossier import Dossier

log = logging.getLogger(__name__)

COLLECTION = "dossiers"
_META = ("_id", "revision")


class DossierContention(RuntimeError):
    """Too many concurrent writers on one dossier; the event is retried later."""


def _body(doc: Dossier) -> Dossier:
    return {k: v for k, v in doc.items() if k not in _META}


class DossierStore:
    def __init__(self, database: Any, max_attempts: int = 20) -> None:
        self.collection = database[COLLECTION]
        self.max_attempts = max_attempts

    def get(self, case_id: str) -> Dossier | None:
        doc: Dossier | None = self.collection.find_one({"_id": case_id})
        return doc

    def change(self, case_id: str, change: Callable[[Dossier | None], Dossier]) -> Dossier:
        """Apply ``change`` to the stored dossier atomically; returns the dossier as stored."""
        for _ in range(self.max_attempts):
            current = self.get(case_id)
            wanted = _body(change(current))
            if current is None:
                doc = {"_id": case_id, "revision": 1, **wanted}
                try:
                    self.collection.insert_one(doc)
                    return doc
                except DuplicateKeyError:
                    continue  # created concurrently: recompute on top of it
            if wanted == _body(current):
                return current
            revision = int(current.get("revision", 0))
            doc = {"_id": case_id, "revision": revision + 1, **wanted}
            result = self.collection.replace_one({"_id": case_id, "revision": current.get("revision")}, doc)
            if result.matched_count == 1:
                return doc
            log.info("dossier %s changed concurrently at revision %s; recomputing", case_id, revision)
        raise DossierContention(f"dossier {case_id}: {self.max_attempts} concurrent changes in a row")
