"""Assignment's nameko service: a thin adapter from RPC calls and events to the handlers.

Every RPC takes the caller's ``token`` first and answers only about the caller's own court.
"""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc
from pydantic import ValidationError

from ecourt_assignment.adapters.orm import metadata
from ecourt_assignment.contracts import JudgeInputV1
from ecourt_assignment.dependencies import readiness_checks
from ecourt_assignment.domain.clock import utc_now
from ecourt_assignment.service_layer import drawing, judges, queries, receiving
from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.bus.consumer import on_event
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.contracts.events import CaseReceivedV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.telemetry.nameko import Tracing

ROSTER_ROLES = (Role.IT_ADMIN, Role.PRESIDENT)
DRAW_READERS = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.IT_ADMIN)


def contract_errors(exc: ValidationError, prefix: str = "") -> RequestRejected:
    return RequestRejected.of([
        FieldError(field=prefix + ".".join(str(p) for p in err["loc"]), code=err["type"],
                   message_vi=f"Giá trị không hợp lệ: {err['msg']}", message_en=err["msg"])
        for err in exc.errors()])


class AssignmentService(HealthEndpoints):
    name = "assignment"

    db = ServiceDatabase("assignment", metadata)
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)

    @on_event(CaseReceivedV1)
    def on_case_received(self, payload: CaseReceivedV1, envelope: EventEnvelope) -> None:
        """Put a case accepted by intake into the president's inbox (once, whatever the redeliveries).

        Example payload (inside the ``case_received`` v1 envelope)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS",
             "case_type": "DS", "stage": "ST", "subject": "Tranh chấp hợp đồng vay tài sản",
             "accepted_at": "2026-11-27T02:15:00Z", "accepted_on": "2026-11-27",
             "parties": [{"party_id": "P-1A2B", "role": "plaintiff", "is_minor": false}],
             "documents": [], "receipt_secret_hash": "9f86d0…"}
        """
        receiving.record_received_case(payload, envelope, self.db, utc_now)

    @rpc
    def inbox(self, token: str) -> list[dict[str, Any]]:
        """Cases of the president's court waiting for a judge, oldest acceptance first (Chánh án only).

        Example: ``inbox(token)`` ->
        ``[{"case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS", "case_type": "DS",
        "stage": "ST", "subject": "Tranh chấp hợp đồng vay tài sản", "party_count": 2,
        "accepted_at": "2026-11-27T02:15:00Z", "received_at": "2026-11-27T02:15:01.2Z"}]``
        """
        principal = self.auth(token, Role.PRESIDENT)
        return [case.model_dump(mode="json") for case in queries.awaiting_cases(principal, self.db)]

    @rpc
    def assign_random(self, token: str, case_id: str) -> dict[str, Any]:
        """Assign a judge to a case of the inbox by verifiable random draw (Chánh án only).

        Example: ``assign_random(token, case_id="79KV01-2026-000123-65")`` ->
        ``{"case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS", "judge_id": "TP-003",
        "judge_name": "Lê Văn Cường", "method": "random", "draw_id": "DR-8F1E…", "seed_commitment": "3b9c…",
        "weight": "1.0000", "assigned_at": "2026-11-27T03:00:00Z"}``

        Refusals: ``NotFound`` (no such case in this court's inbox), ``Conflict`` (already assigned),
        ``RequestRejected`` on ``case_id`` (malformed id, or no active judge competent for the case type).
        """
        principal = self.auth(token, Role.PRESIDENT)
        return drawing.assign_random(principal, case_id, self.db, utc_now).model_dump(mode="json")

    @rpc
    def judge_cases(self, token: str, judge_id: str | None = None) -> list[dict[str, Any]]:
        """Cases assigned to a judge, newest first: a judge gets their own; the president may pass ``judge_id``.

        Example: ``judge_cases(token)`` ->
        ``[{"case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS", "case_type": "DS",
        "stage": "ST", "subject": "Tranh chấp hợp đồng vay tài sản", "method": "random",
        "draw_id": "DR-8F1E…", "assigned_at": "2026-11-27T03:00:00Z"}]``
        """
        principal = self.auth(token, Role.JUDGE, Role.PRESIDENT)
        return [case.model_dump(mode="json") for case in queries.judge_cases(principal, self.db, judge_id)]

    @rpc
    def register_judge(self, token: str, judge: dict[str, Any]) -> dict[str, Any]:
        """Create or update a judge seat of the caller's court (Quản trị hệ thống or Chánh án).

        Example payload::

            {"judge_id": "TP-003", "full_name": "Lê Văn Cường", "specializations": ["civil"],
             "capacity": "1", "active": true}

        Returns the roster entry plus ``created``: ``{"judge_id": "TP-003", "full_name": "Lê Văn Cường",
        "specializations": ["civil"], "capacity": "1", "active": true, "load_total": "0.0000",
        "assigned_cases": 0, "created": true}``. Specializations: ``civil``, ``criminal``, ``administrative``;
        capacity in (0, 1] (0.5 = half-time: accrues double per case).
        """
        principal = self.auth(token, *ROSTER_ROLES)
        try:
            contract = JudgeInputV1.model_validate(judge)
        except ValidationError as exc:
            raise contract_errors(exc, prefix="judge.") from None
        entry, created = judges.register_judge(principal, contract, self.db, utc_now)
        return {**entry.model_dump(mode="json"), "created": created}

    @rpc
    def roster(self, token: str) -> list[dict[str, Any]]:
        """The court's judges with their load totals (Chánh án only).

        Example: ``roster(token)`` -> ``[{"judge_id": "TP-003", "full_name": "Lê Văn Cường",
        "specializations": ["civil"], "capacity": "0.5", "active": true, "load_total": "4.0000",
        "assigned_cases": 2}]``
        """
        principal = self.auth(token, Role.PRESIDENT)
        return [entry.model_dump(mode="json") for entry in queries.roster(principal, self.db)]

    @rpc
    def draw(self, token: str, case_id: str) -> dict[str, Any]:
        """The record of a case's draw and whether replaying it gives the same result (court staff).

        Example: ``draw(token, case_id="79KV01202600012365")`` -> ``{"draw_id": "DR-8F1E…", "court_id": "79KV01",
        "drawn_by": "u-chanhan", "committed_at": "…", "drawn_at": "…", "verified": true, "record": {"algorithm":
        "ecourt-draw/1", "seed_commitment": "3b9c…", "seed": "…", "weight": {…}, "parameters": {…},
        "candidates": [{"judge_id": "TP-001", "total": "2.0000", "distance": "1.0000", "in_band": true,
        "entered": true, …}], "eligible": ["TP-001", "TP-003"], "winner": "TP-003", "accrual": "1.0000", …}}``
        """
        principal = self.auth(token, *DRAW_READERS)
        return queries.draw_of_case(principal, case_id, self.db)
