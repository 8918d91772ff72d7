"""The ledger inside casefile's worker: its key and checkpoint store, the periodic checkpoint, the proof RPC.

``LedgerEndpoints`` is mixed into ``CasefileService``: nameko collects the timer and the RPC from it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from nameko.timer import timer

from ecourt_casefile.adapters import repository
from ecourt_casefile.domain.access import ViewKind, view_kind
from ecourt_casefile.domain.clock import utc_now
from ecourt_casefile.ledger.checkpointing import LedgerDamaged, ledger_courts, write_checkpoint
from ecourt_casefile.ledger.checkpoints import (
    CheckpointError,
    CheckpointStore,
    LedgerSettings,
    key_path,
    load_or_create_key,
    store_from_settings,
)
from ecourt_casefile.ledger.proofs import ProofUnavailable, build_case_proof
from ecourt_shared.auth import Principal, Role
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, parse_case_id
from ecourt_shared.settings import get_settings

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = LedgerSettings().checkpoint_seconds


@dataclass
class LedgerRuntime:
    key: Ed25519PrivateKey
    store: CheckpointStore

    @classmethod
    def from_settings(cls) -> LedgerRuntime:
        settings, ledger = get_settings(), LedgerSettings()
        return cls(key=load_or_create_key(key_path(settings, ledger)), store=store_from_settings(settings, ledger))


class Ledger(DependencyProvider):
    def setup(self) -> None:
        self.runtime = LedgerRuntime.from_settings()

    def get_dependency(self, worker_ctx: Any) -> LedgerRuntime:
        return self.runtime


def checkpoint_all(uows: UnitOfWorkFactory, runtime: LedgerRuntime) -> int:
    """Write a checkpoint for every court whose tree grew; returns how many were written."""
    written = 0
    for court_id in ledger_courts(uows.engine):
        try:
            if write_checkpoint(uows.engine, court_id, runtime.store, runtime.key, utc_now) is not None:
                written += 1
        except LedgerDamaged as exc:
            log.error("ledger of court %s is damaged, not signing it: %s", court_id, exc)
        except CheckpointError as exc:
            log.error("ledger checkpoint of court %s failed: %s", court_id, exc)
    return written


def case_proof(principal: Principal, case_id: str, uows: UnitOfWorkFactory, runtime: LedgerRuntime) -> dict[str, Any]:
    """The proof of a case of the caller's court, for its president or its assigned judge."""
    try:
        case_id = parse_case_id(case_id).canonical
    except IdentifierError as exc:
        raise RequestRejected.single("case_id", exc.code, exc.message_vi, exc.message_en) from None
    with uows() as uow:
        state = repository.case_state_of(uow, case_id, court_id=principal.court_id)
    if state is None:
        raise NotFound({"message_vi": f"Không tìm thấy vụ án {case_id}.", "message_en": f"No case {case_id}."})
    if view_kind(principal, state.judge_id) is not ViewKind.FULL:
        raise PermissionDenied({
            "message_vi": "Chỉ Chánh án và Thẩm phán được phân công giải quyết vụ án được lấy bằng chứng sổ cái.",
            "message_en": "Only the president and the case's assigned judge may obtain its ledger proof."})
    try:
        return build_case_proof(uows, runtime.store, case_id)
    except ProofUnavailable as exc:
        raise Conflict({"message_vi": "Lịch sử vụ án chưa được chốt (checkpoint) trong sổ cái; vui lòng thử lại sau.",
                        "message_en": f"The case's history is not checkpointed yet: {exc}"}) from None


class LedgerEndpoints:
    """Mixed into ``CasefileService`` (which provides ``db`` and ``auth``)."""

    ledger = Ledger()
    db: UnitOfWorkFactory
    auth: Any

    @timer(interval=CHECKPOINT_SECONDS)
    def ledger_checkpoint(self) -> None:
        """Every ``ECOURT_LEDGER_CHECKPOINT_SECONDS`` (300): sign and store each court's grown tree."""
        checkpoint_all(self.db, self.ledger)

    @rpc(expected_exceptions=(NotFound, PermissionDenied, RequestRejected, Conflict))
    def ledger_proof(self, token: str, case_id: str) -> dict[str, Any]:
        """A short, independently checkable proof of a case's history (``ecourt.ledger.case-proof.v1``).

        Example call: ``ledger_proof(token="eyJ…", case_id="79KV01-2026-000123-65")`` ->
        ``{"format": "ecourt.ledger.case-proof.v1", "case_id": "79KV01202600012365", "entries": [{"case_seq": 1,
        "kind": "case.received", …}], "checkpoint": {"tree_size": 812, "root": "…", "signature": "…"},
        "inclusion": {"leaf_index": 811, "tree_size": 812, "path": ["…", …]}}``; check it with
        ``ecourt ledger check-proof proof.json --public-key checkpoint-key.pub.pem``. The president or the
        assigned judge only (``PermissionDenied``); another court's case is ``NotFound``; a case not yet
        checkpointed is ``Conflict``.
        """
        principal = self.auth(token, Role.PRESIDENT, Role.JUDGE)
        return case_proof(principal, case_id, self.db, self.ledger)
