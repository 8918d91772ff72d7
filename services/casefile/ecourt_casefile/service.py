"""Casefile's nameko service: a thin adapter from events and RPC contracts to the handlers."""

from __future__ import annotations

from datetime import date
from typing import Any

from nameko.rpc import rpc
from nameko.timer import timer

from ecourt_casefile.adapters.orm import metadata
from ecourt_casefile.dependencies import SERVICE, Dossiers, Storage, readiness_checks
from ecourt_casefile.domain.access import STAFF_ROLES
from ecourt_casefile.domain.clock import utc_now
from ecourt_casefile.ledger.runtime import LedgerEndpoints
from ecourt_casefile.service_layer import assigning, receiving, stepping, viewing, watching
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.bus.consumer import on_event
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1, CaseReceivedV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.telemetry.nameko import Tracing

# Answers to the caller, not faults of the service: nameko logs them without a traceback.
EXPECTED = (NotFound, PermissionDenied, RequestRejected)


class CasefileService(HealthEndpoints, LedgerEndpoints):
    name = SERVICE

    db = ServiceDatabase(SERVICE, metadata)
    dossiers = Dossiers()
    store = Storage()
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)

    @on_event(CaseReceivedV1)
    def on_case_received(self, payload: CaseReceivedV1, envelope: EventEnvelope) -> None:
        """Open the dossier of an accepted case, record its state and first deadline, emit ``case_progressed``.

        Example payload (in an ``EventEnvelope`` from ``intake.events``, routing key ``case_received``)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS",
             "case_type": "DS", "stage": "ST", "subject": "Tranh chấp hợp đồng vay tài sản",
             "accepted_at": "2026-01-15T02:30:00Z", "accepted_on": "2026-01-15",
             "parties": [{"party_id": "P-1A2B3C4D5E6F7A8B", "role": "plaintiff", "is_minor": false}],
             "documents": [{"document_id": "D-0123456789ABCDEF", "title": "Đơn khởi kiện",
                            "filename": "don-khoi-kien.pdf", "content_type": "application/pdf",
                            "size_bytes": 1024, "sha256": "9f86d0…", "page_count": 1, "bucket": "ecourt-79kv01",
                            "object_key": "documents/sha256/9f/9f86d0…"}],
             "receipt_secret_hash": "…"}

        Errors: a document whose bytes do not match (or outside the court's bucket) is dead-lettered at
        once; a document not yet in the store is retried, then dead-lettered.
        """
        receiving.receive_case(payload, envelope, self.db, self.dossiers, self.store, utc_now)

    @on_event(CaseAssignedV1)
    def on_case_assigned(self, payload: CaseAssignedV1, envelope: EventEnvelope) -> None:
        """Record the judge of a case, in its state and its dossier; converges if it comes before the case.

        Example payload (from ``assignment.events``, routing key ``case_assigned``)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "judge_id": "J-0007",
             "judge_name": "Lê Văn Cường", "method": "random", "draw_id": "DR-2026-0042",
             "assigned_by": "u-president", "assigned_at": "2026-01-16T03:00:00Z"}
        """
        assigning.assign_judge(payload, envelope, self.db, self.dossiers, utc_now)

    @rpc(expected_exceptions=EXPECTED)
    def get_dossier(self, token: str, case_id: str) -> dict[str, Any]:
        """The dossier of a case of the caller's court, in the view the caller may see.

        Example call: ``get_dossier(token="eyJ…", case_id="79KV01-2026-000123-65")`` (canonical or display
        form). The president and the assigned judge get ``DossierFullV1`` (``"view": "full"``: header,
        party references, documents, timeline, deadline with legal basis), logged in ``access_log``; other
        staff (judge, clerk, reception) get ``DossierEssentialsV1`` (``"view": "essentials"``). A case of
        another court, or none, is ``NotFound``; a malformed id is ``RequestRejected``.
        """
        principal = self.auth(token, *STAFF_ROLES)
        return viewing.get_dossier(principal, case_id, self.db, self.dossiers, utc_now).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def case_deadline(self, token: str, case_id: str) -> dict[str, Any]:
        """The case's current statutory deadline with its legal basis (``CaseDeadlineV1``).

        Example call: ``case_deadline(token="eyJ…", case_id="79KV01202600012365")`` ->
        ``{"case_id": "79KV01202600012365", "case_code": "79KV01-2026-000123-65", "status": "preparing",
        "deadline": {"rule_id": "civil.first_instance.preparation", "due_on": "2026-05-15",
        "legal_basis_vi": "Điểm a khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015", …}}``.
        Any staff member of the case's court may ask; another court's case is ``NotFound``.
        """
        principal = self.auth(token, *STAFF_ROLES)
        return viewing.case_deadline(principal, case_id, self.db).model_dump(mode="json")

    @rpc(expected_exceptions=EXPECTED)
    def record_step(self, token: str, case_id: str, step: str, on: str | None = None,
                    params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record a procedural step of the case, if the procedure allows it (``StepResultV1``).

        Example call: ``record_step(token="eyJ…", case_id="79KV01-2026-000123-65", step="decide_to_try",
        on="2026-04-01", params={"hearing_on": "2026-04-20", "room": "P.3", "panel": ["J-0007"]})`` ->
        ``{"stage": "ST", "state": "hearing_scheduled", "status": "hearing_scheduled", "deadlines": [{"rule_id":
        "civil.first_instance.hearing", "due_on": "2026-05-04", "legal_basis_vi": "Khoản 4 Điều 203 …"}], …}``.
        Steps and who may record them: ``domain/procedure/data/*.yaml``. An illegal step, a bad parameter or a
        filing out of time is ``RequestRejected`` naming the provision; a step the caller may not record is
        ``PermissionDenied``; a case of another court is ``NotFound`` (except for the president of the court
        competent for cassation and retrial, who records ``protest_cassation`` / ``protest_retrial``).
        """
        principal = self.auth(token, *STAFF_ROLES)
        day = None
        if on is not None:
            try:
                day = date.fromisoformat(on)
            except (TypeError, ValueError):
                raise RequestRejected.single("on", "procedure.bad_date", "ngày phải có dạng YYYY-MM-DD",
                                             "the date must be YYYY-MM-DD") from None
        result = stepping.record_step(principal, case_id, step, day, params or {}, self.db, utc_now)
        return result.model_dump(mode="json")

    @timer(interval=300)
    def watch_deadlines(self) -> None:
        """Every 5 minutes: announce deadlines falling due within 7 days, and deadlines missed (once each)."""
        watching.scan_deadlines(self.db, utc_now)
