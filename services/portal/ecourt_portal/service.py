"""The portal's nameko service: consumers that keep the public read model, nothing else.

Error policy (``ecourt_shared.bus.consumer``): an event whose case id is not a valid case identifier
can never apply and is dead-lettered at once (``PoisonEvent``); any other failure (database down,
deadlock) is retried through the ``.retry`` queue, then dead-lettered for an operator to replay.
A redelivered event is recognised by its id and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecourt_portal.adapters.orm import metadata
from ecourt_portal.dependencies import readiness_checks
from ecourt_portal.domain.clock import utc_now
from ecourt_portal.service_layer import judgments, projection
from ecourt_shared.bus.consumer import PoisonEvent, on_event
from ecourt_shared.contracts.casefile import (
    CaseTransferredV1,
    DeadlineApproachingV1,
    DeadlineMissedV1,
    DocumentPublishedV1,
)
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.identifiers import IdentifierError
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.telemetry.nameko import Tracing


def _apply(handler: Callable[..., bool], *args: Any) -> None:
    try:
        handler(*args, utc_now)
    except IdentifierError as exc:
        raise PoisonEvent(f"not a valid case id: {exc}") from exc


class PortalService(HealthEndpoints):
    name = "portal"

    db = ServiceDatabase("portal", metadata)
    tracing = Tracing()
    readiness = Readiness(readiness_checks)

    @on_event(CaseReceivedV1)
    def on_case_received(self, payload: CaseReceivedV1, envelope: EventEnvelope) -> None:
        """Create or complete the public row: code, acceptance number, type, stage, receipt secret hash.

        Example payload (parties, subject and documents arrive too, and are NOT stored)::

            {"court_id": "79KV01", "case_id": "79KV01202600000143", "acceptance_number": "01/2026/TLST-DS",
             "case_type": "DS", "stage": "ST", "accepted_on": "2026-03-02", "receipt_secret_hash": "5f0c…",
             "accepted_at": "2026-03-02T02:15:00Z", "subject": "…", "parties": […], "documents": […]}
        """
        _apply(projection.record_receipt, self.db, payload, envelope)

    @on_event(CaseAssignedV1)
    def on_case_assigned(self, payload: CaseAssignedV1, envelope: EventEnvelope) -> None:
        """Show the assigned judge's name; a later assignment (by ``assigned_at``) replaces an earlier one.

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600000143", "judge_id": "J-007",
             "judge_name": "Lê Thị Hoa", "method": "random", "draw_id": "DR-1", "assigned_by": "u-president",
             "assigned_at": "2026-03-03T01:00:00Z"}
        """
        _apply(projection.record_assignment, self.db, payload, envelope)

    @on_event(CaseProgressedV1)
    def on_case_progressed(self, payload: CaseProgressedV1, envelope: EventEnvelope) -> None:
        """Show casefile's status, stage and next deadline; an older step never overwrites a newer one.

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600000143", "case_type": "DS", "stage": "ST",
             "status": "preparing", "deadline": {"rule_id": "blttds2015.a203.prep.civil", "due_on": "2026-07-02",
             "legal_basis_vi": "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
             "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)"}}
        """
        _apply(projection.record_progress, self.db, payload, envelope)

    @on_event(DocumentPublishedV1)
    def on_document_published(self, payload: DocumentPublishedV1, envelope: EventEnvelope) -> None:
        """Add a released judgment or decision to the public list (encoded text and public metadata only).

        Example payload (from ``casefile.events``, routing key ``document_published``)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "case_code": "79KV01-2026-000123-65",
             "document_id": "BA-01-2026", "case_type": "DS", "stage": "ST", "kind": "judgment",
             "number": "01/2026/DS-ST", "title": "Bản án về tranh chấp hợp đồng vay tài sản",
             "issued_on": "2026-03-20", "legal_effect_on": "2026-04-20", "published_at": "2026-04-25T03:00:00Z",
             "text": "…Nguyên đơn: ông Nguyễn Văn A, địa chỉ: Thành phố Hồ Chí Minh…", "text_sha256": "…"}
        """
        _apply(judgments.record_published, self.db, payload, envelope)

    @on_event(CaseTransferredV1)
    def on_case_transferred(self, payload: CaseTransferredV1, envelope: EventEnvelope) -> None:
        """Show the court that holds the case now (same case code, same receipt secret).

        Example payload::

            {"court_id": "79KV01", "case_id": "79Q00120250000427", "from_court_id": "79Q001", "stage": "ST",
             "reason": "merger", "transferred_on": "2025-07-01",
             "court_name_vi": "Tòa án nhân dân Khu vực 1 - Thành phố Hồ Chí Minh",
             "court_name_en": "People's Court of Area 1, Ho Chi Minh City"}
        """
        _apply(projection.record_transfer, self.db, payload, envelope)

    @on_event(DeadlineApproachingV1)
    def on_deadline_approaching(self, payload: DeadlineApproachingV1, envelope: EventEnvelope) -> None:
        """Warn the citizen that a procedural deadline is near, with its legal basis (the judge id is dropped).

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600000143", "stage": "ST", "judge_id": "J-007",
             "deadline": {"rule_id": "blttds2015.a203.prep.civil", "due_on": "2026-07-02",
                          "legal_basis_vi": "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                          "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)"}, "days_left": 7}
        """
        _apply(projection.record_alert, self.db, payload, envelope)

    @on_event(DeadlineMissedV1)
    def on_deadline_missed(self, payload: DeadlineMissedV1, envelope: EventEnvelope) -> None:
        """Show that a procedural deadline passed, until the case moves on (its next ``case_progressed``).

        Example payload: as ``deadline_approaching``, with ``"days_over": 1`` instead of ``days_left``.
        """
        _apply(projection.record_alert, self.db, payload, envelope)
