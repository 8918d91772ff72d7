"""Progress of one manifest's import, kept as an append-only JSON Lines file under the data folder.

One line per entry the service has answered (imported, already imported, or refused), flushed as it is
written: a killed run loses at most the lines being written, and those entries are simply sent again,
which the service answers idempotently. Entries are identified by content (``ManifestEntry.fingerprint``),
not by position, so answers may arrive in any order and an edited entry is imported afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO, Any


def state_dir(data_dir: Path, manifest: Path, court_id: str) -> Path:
    digest = hashlib.sha256(f"{court_id}\n{manifest.resolve()}".encode()).hexdigest()[:16]
    return data_dir / "archive-import" / f"{manifest.stem}-{digest}"


class Checkpoint:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: dict[str, dict[str, Any]] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the line a kill cut short: that entry is sent again
                self.done[record["entry"]] = record
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = path.open("a", encoding="utf-8")
        self._unsynced = 0

    def record(self, entry: str, outcome: dict[str, Any]) -> None:
        line = {"entry": entry, **outcome}
        self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._file.flush()
        self.done[entry] = line
        self._unsynced += 1
        if self._unsynced >= 200:
            self.sync()

    def forget_rejected(self) -> None:
        """For ``--retry-rejected``: refused entries are sent again (their old lines are superseded)."""
        self.done = {k: v for k, v in self.done.items() if v["status"] != "rejected"}

    def sync(self) -> None:
        os.fsync(self._file.fileno())
        self._unsynced = 0

    def close(self) -> None:
        self.sync()
        self._file.close()
