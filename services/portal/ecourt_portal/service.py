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
from ecourt_portal.service_layer import projection
from ecourt_shared.bus.consumer import PoisonEvent, on_event
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
