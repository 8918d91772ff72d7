"""What an IT administrator does with the gateway: look at sync state, reconcile, retry failures."""

from __future__ import annotations

from typing import Any

from ecourt_qlta.adapters import repository
from ecourt_qlta.adapters.qlta_client import QltaClient
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.db import UnitOfWorkFactory

MAX_RECONCILE = 10_000
MAX_LISTED = 100


def sync_summary(uows: UnitOfWorkFactory, court_id: str) -> dict[str, Any]:
    with uows() as uow:
        return repository.summary(uow, court_id)


def retry_failed(uows: UnitOfWorkFactory, court_id: str, case_id: str | None = None) -> dict[str, int]:
    with uows() as uow:
        count = repository.requeue(uow, court_id, status="failed", case_id=case_id)
        uow.commit()
    return {"requeued": count}


def reconcile(uows: UnitOfWorkFactory, client: QltaClient, court_id: str, repair: bool = False,
              limit: int = MAX_RECONCILE) -> dict[str, Any]:
    """Compare every case's content hash with what QLTA holds.

    A difference is ``in_flight`` while an unsent outbound row exists for the case, otherwise it is
    drift (``missing`` at QLTA or ``mismatched``). With ``repair`` each drifted case's current
    version is queued again.
    """
    if not isinstance(limit, int) or not 1 <= limit <= MAX_RECONCILE:
        raise RequestRejected.single("limit", "limit.range", f"limit phải từ 1 đến {MAX_RECONCILE}.",
                                     f"limit must be between 1 and {MAX_RECONCILE}")
    with uows() as uow:
        rows = repository.case_rows(uow, court_id, limit)
        unsent = repository.cases_with_unsent_changes(uow, court_id)
    in_sync = 0
    in_flight: list[str] = []
    missing: list[dict[str, Any]] = []
    mismatched: list[dict[str, Any]] = []
    for row in rows:
        remote = client.fetch(row.record["court_code"], row.record["case_code"])
        if remote is not None and remote.content_sha256 == row.content_sha256:
            in_sync += 1
        elif row.case_id in unsent:
            in_flight.append(row.case_id)
        elif remote is None:
            missing.append({"case_id": row.case_id, "version": row.version})
        else:
            mismatched.append({"case_id": row.case_id, "version": row.version, "remote_version": remote.version,
                               "content_sha256": row.content_sha256, "remote_sha256": remote.content_sha256})
    requeued = 0
    if repair and (missing or mismatched):
        with uows() as uow:
            for drift in missing + mismatched:
                requeued += repository.requeue(uow, court_id, status="sent", case_id=drift["case_id"],
                                               version=drift["version"])
            uow.commit()
    return {"checked": len(rows), "in_sync": in_sync, "in_flight": len(in_flight),
            "missing": missing[:MAX_LISTED], "mismatched": mismatched[:MAX_LISTED],
            "missing_count": len(missing), "mismatched_count": len(mismatched), "requeued": requeued}
