"""The gateway's nameko service: events -> canonical records + outbound changes; admin RPC.

The HTTP API for the SPC is the ``web`` process (``http/app.py``); it reads the same database.
"""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc

from ecourt_qlta.adapters.orm import metadata
from ecourt_qlta.dependencies import QltaLink, readiness_checks
from ecourt_qlta.domain.sync import Fact
from ecourt_qlta.service_layer import operations, projection
from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.bus.consumer import on_event
from ecourt_shared.contracts.casefile import CaseTransferredV1
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.telemetry.nameko import Tracing


class QltaService(HealthEndpoints):
    name = "qlta"

    db = ServiceDatabase("qlta", metadata)
    link = QltaLink()
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)

    def _project(self, event_id: str, fact: Fact) -> None:
        if projection.project(self.db, event_id, fact).version is not None:
            self.link.wake()  # committed: let the sender push it now rather than at the next poll

    # --- consumers -------------------------------------------------------------------------------

    @on_event(CaseReceivedV1)
    def on_case_received(self, payload: CaseReceivedV1, envelope: EventEnvelope) -> None:
        """Acceptance data (số thụ lý, ngày thụ lý, loại án, cấp xét xử, trích yếu) and status ĐÃ THỤ LÝ.

        Example payload (abridged)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS",
             "case_type": "DS", "stage": "ST", "subject": "Tranh chấp hợp đồng vay tài sản",
             "accepted_at": "2026-03-02T02:15:00Z", "accepted_on": "2026-03-02", ...}

        A case id that fails its check digits is dead-lettered (never sent to QLTA).
        """
        self._project(envelope.event_id, projection.received_fact(payload, envelope))

    @on_event(CaseAssignedV1)
    def on_case_assigned(self, payload: CaseAssignedV1, envelope: EventEnvelope) -> None:
        """The assigned judge and how (NGAU_NHIEN / CHI_DINH); the latest assignment wins.

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "judge_id": "J-0007",
             "judge_name": "Lê Văn Cường", "method": "random", "draw_id": "DR-2026-0042",
             "assigned_by": "u-president", "assigned_at": "2026-03-02T03:00:00Z"}
        """
        self._project(envelope.event_id, projection.assigned_fact(payload, envelope))

    @on_event(CaseProgressedV1)
    def on_case_progressed(self, payload: CaseProgressedV1, envelope: EventEnvelope) -> None:
        """Procedural status and current deadline from casefile (wins over intake's ĐÃ THỤ LÝ).

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "case_type": "DS", "stage": "ST",
             "status": "preparing",
             "deadline": {"rule_id": "BLTTDS-203-1", "due_on": "2026-07-02",
                          "legal_basis_vi": "Điều 203 khoản 1 BLTTDS 2015",
                          "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)"}}
        """
        self._project(envelope.event_id, projection.progressed_fact(payload, envelope))

    @on_event(CaseTransferredV1)
    def on_case_transferred(self, payload: CaseTransferredV1, envelope: EventEnvelope) -> None:
        """Report to QLTA that the case (same mã vụ án) is now held by another court: a transfer or a merger.

        The record's ``court_code`` becomes the new court, with ``transferred_from_court_code``,
        ``transfer_reason`` (CHUYEN_VU_AN | SAP_NHAP_TOA_AN) and ``transfer_date``. Example payload::

            {"court_id": "79KV01", "case_id": "79Q00120250000427", "from_court_id": "79Q001", "stage": "ST",
             "reason": "merger", "transferred_on": "2025-07-01"}
        """
        self._project(envelope.event_id, projection.transferred_fact(payload, envelope))

    # --- administration (IT admin of the caller's court) -----------------------------------------

    @rpc
    def sync_summary(self, token: str) -> dict[str, Any]:
        """How far QLTA is in step with the caller's court.

        Example result::

            {"cases": 120, "in_sync": 118, "outbound": {"pending": 2, "sent": 310, "failed": 0},
             "oldest_pending_at": "2026-03-02T03:00:01.204+00:00"}
        """
        principal = self.auth(token, Role.IT_ADMIN)
        return operations.sync_summary(self.db, principal.court_id)

    @rpc
    def reconcile(self, token: str, repair: bool = False, limit: int = 10_000) -> dict[str, Any]:
        """Compare each case's content hash with what QLTA holds; ``repair`` re-queues drifted cases.

        Example call ``reconcile(token, repair=True)`` returns::

            {"checked": 120, "in_sync": 117, "in_flight": 2,
             "missing": [{"case_id": "79KV01202600012365", "version": 3}], "mismatched": [],
             "missing_count": 1, "mismatched_count": 0, "requeued": 1}
        """
        principal = self.auth(token, Role.IT_ADMIN)
        return operations.reconcile(self.db, self.link.client, principal.court_id, repair=repair, limit=limit)

    @rpc
    def retry_failed(self, token: str, case_id: str | None = None) -> dict[str, int]:
        """Put ``failed`` outbound rows of the caller's court (or of one case) back to ``pending``.

        Example call ``retry_failed(token, case_id="79KV01202600012365")`` returns ``{"requeued": 1}``.
        """
        principal = self.auth(token, Role.IT_ADMIN)
        result = operations.retry_failed(self.db, principal.court_id, case_id)
        self.link.wake()
        return result
