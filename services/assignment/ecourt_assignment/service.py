"""Assignment's nameko service: a thin adapter from RPC calls and events to the handlers.

Every RPC takes the caller's ``token`` first and answers only about the caller's own court.
"""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc
from pydantic import ValidationError

from ecourt_assignment.adapters.orm import metadata
from ecourt_assignment.contracts import ConflictInputV1, DrawCommittedV1, JudgeInputV1, UnavailabilityInputV1
from ecourt_assignment.dependencies import readiness_checks
from ecourt_assignment.domain.clock import utc_now
from ecourt_assignment.service_layer import (
    designation,
    drawing,
    judges,
    panel_views,
    panels,
    queries,
    receiving,
    reception,
    replacement,
    stages,
)
from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.bus.consumer import on_event
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.contracts.events import CaseProgressedV1, CaseReceivedV1
from ecourt_shared.contracts.reception import ReceptionDecidedV1, ReceptionRegisteredV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.telemetry.nameko import Tracing

ROSTER_ROLES = (Role.IT_ADMIN, Role.PRESIDENT)
STAFF = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.IT_ADMIN)
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

    @on_event(DrawCommittedV1)
    def on_draw_committed(self, payload: DrawCommittedV1, envelope: EventEnvelope) -> None:
        """Note that a seed commitment this service published came back from the broker (it was broadcast).

        Example payload: ``{"court_id": "79KV01", "draw_id": "DR-8F1E…", "case_id": "79KV01202600012365",
        "algorithm": "ecourt-draw/1", "seed_commitment": "3b9c…", "committed_by": "u-chanhan",
        "committed_at": "2026-11-27T03:00:00Z"}``
        """
        receiving.record_commitment_seen(payload, envelope, self.db, utc_now)

    @on_event(CaseProgressedV1)
    def on_case_progressed(self, payload: CaseProgressedV1, envelope: EventEnvelope) -> None:
        """A step that opens a stage (appeal, cassation, retrial) or moves the case puts it back in the inbox of
        the court now holding it; whoever sat on it before is kept out of its later draws. Other steps: nothing.

        Example payload: ``{"court_id": "79TA01", "case_id": "79KV01202600012365", "case_type": "DS",
        "stage": "PT", "status": "accepted", "deadline": null, "step": "lodge_appeal", "state": "appealed",
        "from_court_id": "79KV01"}``
        """
        stages.record_progress(payload, envelope, self.db, utc_now)

    @on_event(ReceptionRegisteredV1)
    def on_reception_registered(self, payload: ReceptionRegisteredV1, envelope: EventEnvelope) -> None:
        """An arrival in the reception register reaches the president's account (awaiting a decision).

        Example payload: ``{"court_id": "79KV01", "reception_id": "RC-1A2B", "reception_number": "125/2026/TN",
        "kind": "petition", "case_type": "DS", "stage": "ST", "channel": "post",
        "received_at": "2026-11-27T02:00:00Z", "counts_from": "2026-11-25", "counting_basis": "postmark",
        "related_case_id": null, "document_count": 2, "party_count": 2}``
        """
        reception.record_registered(payload, envelope, self.db, utc_now)

    @on_event(ReceptionDecidedV1)
    def on_reception_decided(self, payload: ReceptionDecidedV1, envelope: EventEnvelope) -> None:
        """A reception decision (who, when, why) reaches the president's account; a final one ends the wait.

        Example payload: ``{"court_id": "79KV01", "decision_id": "DC-9F", "reception_id": "RC-1A2B",
        "reception_number": "125/2026/TN", "kind": "petition", "case_type": "DS", "decision": "return",
        "decided_by": "u-tiepnhan", "decided_at": "2026-11-28T03:00:00Z", "reason": "Không thuộc thẩm quyền",
        "amendment_due_on": null, "transfer_to_court": null, "case_id": null, "acceptance_number": null}``
        """
        reception.record_decided(payload, envelope, self.db, utc_now)

    @rpc
    def reception_inbox(self, token: str) -> dict[str, Any]:
        """The reception items of the president's court: ``awaiting`` a decision (reception number, kind, counting
        date; returned-for-amendment items stay, with the decision shown) and recent ``decisions`` (Chánh án).

        Example: ``reception_inbox(token)`` -> ``{"awaiting": [{"reception_id": "RC-1A2B", "reception_number":
        "125/2026/TN", "kind": "petition", "counts_from": "2026-11-25", "counting_basis": "postmark", …}],
        "decisions": [{"decision_id": "DC-9F", "decision": "return", "decided_by": "u-tiepnhan",
        "decided_at": "…", "reason": "Không thuộc thẩm quyền", …}]}``
        """
        principal = self.auth(token, Role.PRESIDENT)
        return reception.reception_inbox(principal, self.db).model_dump(mode="json")

    @rpc
    def draw_panel(self, token: str, case_id: str, complex_case: bool = False, substitutes: bool = False,
                   reason: str | None = None, draw_id: str | None = None) -> dict[str, Any]:
        """Draw the trial panel (Hội đồng xét xử) and the clerk of a case, by its stage and type (Chánh án only).

        The presiding judge is the case's judge (drawn first if the case is not assigned). ``complex_case``
        (enlarged panel where the law allows it) and ``substitutes`` (dự khuyết) need a ``reason``.
        Example: ``draw_panel(token, case_id="79KV01202600012365")`` -> ``{"case_id": …, "stage": "ST",
        "round": 1, "draw_id": "DR-…", "seed_commitment": "…", "composition": {"judges": 1, "assessors": 2, …,
        "source": {"vi": "Khoản 1 Điều 63 BLTTDS 2015 …", …}}, "seats": [{"seat": "presiding", "kind": "judge",
        "member_id": "TP-003", "method": "assigned", …}, {"seat": "assessor-1", "kind": "assessor", …},
        {"seat": "clerk", "kind": "clerk", …}], "clerk_id": "u-thuky"}``. ``verify(token, draw_id)`` replays it.
        Refusals: ``Conflict`` ``panel.already_drawn``; ``RequestRejected`` ``panel.seat_unfilled``,
        ``panel.no_complex_composition``, ``reason.required``.
        """
        principal = self.auth(token, Role.PRESIDENT)
        return panels.draw_panel(principal, case_id, self.db, utc_now, complex_case=bool(complex_case),
                                 substitutes=bool(substitutes), reason=reason, draw_id=draw_id).model_dump(mode="json")

    @rpc
    def replace_panel_member(self, token: str, case_id: str, member_id: str, reason: str,
                             designate: str | None = None) -> dict[str, Any]:
        """Take one member off the panel (recusal, illness…) with a mandatory reason; the seat is drawn anew, or
        given to ``designate`` (the president's designation, shown as such). Loads are compensated (Chánh án).

        Example: ``replace_panel_member(token, case_id="79KV01202600012365", member_id="HT-004",
        reason="Hội thẩm nhân dân bị ốm dài ngày")`` -> the panel, as ``draw_panel``.
        """
        principal = self.auth(token, Role.PRESIDENT)
        return replacement.replace_member(principal, case_id, member_id, reason, self.db, utc_now,
                                          designate=designate).model_dump(mode="json")

    @rpc
    def panel(self, token: str, case_id: str) -> dict[str, Any]:
        """The panel and clerk of a case at its current stage, each seat with how it was filled (court staff).

        Example: ``panel(token, case_id="79KV01202600012365")`` -> as ``draw_panel``.
        """
        principal = self.auth(token, *STAFF)
        return panel_views.panel_of(principal, case_id, self.db).model_dump(mode="json")

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
    def commit_draw(self, token: str, case_id: str) -> dict[str, Any]:
        """Commit to (and publish) the seed of the coming draw for a case, before anything is drawn (Chánh án).

        Example: ``commit_draw(token, case_id="79KV01202600012365")`` -> ``{"draw_id": "DR-8F1E…",
        "case_id": "79KV01202600012365", "seed_commitment": "3b9c…", "committed_at": "…", "expires_at": "…"}``.
        Pass the ``draw_id`` to ``assign_random`` within ``commitment.max_age_seconds`` (``weights.yaml``).
        """
        principal = self.auth(token, Role.PRESIDENT)
        return drawing.commit_draw(principal, case_id, self.db, utc_now).model_dump(mode="json")

    @rpc
    def assign_random(self, token: str, case_id: str, draw_id: str | None = None) -> dict[str, Any]:
        """Assign a judge to a case of the inbox by verifiable random draw (Chánh án only).

        Without ``draw_id`` the seed commitment is made and committed first (its own transaction), then drawn.

        Example: ``assign_random(token, case_id="79KV01-2026-000123-65")`` ->
        ``{"case_id": "79KV01202600012365", "acceptance_number": "12/2026/TLST-DS", "judge_id": "TP-003",
        "judge_name": "Lê Văn Cường", "method": "random", "draw_id": "DR-8F1E…", "seed_commitment": "3b9c…",
        "weight": "1.0000", "assigned_at": "2026-11-27T03:00:00Z", "accrual": "1.0000", "escape": false,
        "reason": null, "reassigned_from": null, "related_cases": []}``

        Refusals: ``NotFound`` (no such case in this court's inbox, no such commitment), ``Conflict`` (already
        assigned, commitment already used), ``RequestRejected`` on ``case_id`` (malformed id, no competent or no
        available judge) or ``draw_id`` (commitment of another case, or older than the bound).
        """
        principal = self.auth(token, Role.PRESIDENT)
        return drawing.assign_random(principal, case_id, self.db, utc_now, draw_id=draw_id).model_dump(mode="json")

    @rpc
    def designate(self, token: str, case_id: str, judge_id: str, reason: str) -> dict[str, Any]:
        """Designate a judge for a case of the inbox, with a mandatory reason (Chánh án only).

        Example: ``designate(token, case_id="79KV01202600012365", judge_id="TP-003",
        reason="Vụ án về sở hữu trí tuệ, cần Thẩm phán đã được đào tạo chuyên sâu")`` -> as ``assign_random``,
        with ``"method": "designation"``, ``"draw_id": null`` and the ``reason``.
        Refusals name ``reason`` (missing or shorter than 10 characters) or ``judge_id`` (not on the roster,
        inactive, not competent, on leave or secondment that day, declared conflict on the case).
        """
        principal = self.auth(token, Role.PRESIDENT)
        return designation.designate(principal, case_id, judge_id, reason, self.db, utc_now).model_dump(mode="json")

    @rpc
    def reassign(self, token: str, case_id: str, reason: str, judge_id: str | None = None) -> dict[str, Any]:
        """Move an assigned case, with a mandatory reason: by a new draw, or to ``judge_id`` (a designation).

        The judge the case leaves gets its recorded accrual taken off their load total (compensation) and is
        kept out of the new draw. Example: ``reassign(token, case_id="79KV01202600012365",
        reason="Thẩm phán được điều động sang Tòa án khác")`` -> as ``assign_random`` with ``reassigned_from``.
        """
        principal = self.auth(token, Role.PRESIDENT)
        if judge_id:
            result = designation.designate(principal, case_id, judge_id, reason, self.db, utc_now, move=True)
        else:
            result = drawing.reassign(principal, case_id, reason, self.db, utc_now)
        return result.model_dump(mode="json")

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
        capacity in (0, 1] (0.5 = half-time: accrues double per case). ``"kind": "assessor"`` registers a lay
        assessor (hội thẩm nhân dân), ``"kind": "clerk"`` a clerk (thư ký; ``judge_id`` = the clerk's user id).
        """
        principal = self.auth(token, *ROSTER_ROLES)
        try:
            contract = JudgeInputV1.model_validate(judge)
        except ValidationError as exc:
            raise contract_errors(exc, prefix="judge.") from None
        entry, created = judges.register_judge(principal, contract, self.db, utc_now)
        return {**entry.model_dump(mode="json"), "created": created}

    @rpc
    def set_unavailability(self, token: str, period: dict[str, Any]) -> dict[str, Any]:
        """Record leave or secondment of a judge (Chánh án or Quản trị hệ thống): no new case on those days.

        Example payload: ``{"judge_id": "TP-003", "kind": "leave", "starts_on": "2026-12-01",
        "ends_on": "2026-12-05", "reason": "Nghỉ phép năm"}`` -> the period with its ``id``.
        """
        principal = self.auth(token, *ROSTER_ROLES)
        try:
            contract = UnavailabilityInputV1.model_validate(period)
        except ValidationError as exc:
            raise contract_errors(exc, prefix="period.") from None
        return judges.set_unavailability(principal, contract, self.db, utc_now)

    @rpc
    def declare_conflict(self, token: str, conflict: dict[str, Any]) -> dict[str, Any]:
        """Declare that a judge must not sit on a case: a recusal, or a seat at an earlier stage of the case.

        The president may declare any; a judge only their own recusal. Example payload:
        ``{"case_id": "79KV01202600012365", "judge_id": "TP-003", "kind": "recusal",
        "reason": "Là người thân thích của nguyên đơn"}`` -> ``{"case_id": …, "judge_id": …, "kind": "recusal",
        "created": true, "requires_reassignment": false}`` (true if the case is with that judge: the president
        then decides; nothing moves silently).
        """
        principal = self.auth(token, Role.PRESIDENT, Role.JUDGE)
        try:
            contract = ConflictInputV1.model_validate(conflict)
        except ValidationError as exc:
            raise contract_errors(exc, prefix="conflict.") from None
        return judges.declare_conflict(principal, contract, self.db, utc_now)

    @rpc
    def fairness(self, token: str) -> dict[str, Any]:
        """The president's fairness view: load per judge, spread, Gini, escape rate, designations vs draws.

        Example: ``fairness(token)`` -> ``{"court_id": "79KV01", "judges": [{"judge_id": "TP-003", …,
        "load_total": "4.0000", "random_cases": 3, "designated_cases": 1}], "spread": "1.2000", "gini": "0.0812",
        "max_distance": "3.0", "draws": 120, "escapes": 7, "escape_rate": "0.0583", "designations": 4,
        "reassignments": 1, "void_commitments": 2, "weight_table_version": "2026.1-draft"}``
        """
        principal = self.auth(token, Role.PRESIDENT)
        return queries.fairness(principal, self.db).model_dump(mode="json")

    @rpc
    def weight_tables(self, token: str) -> list[dict[str, Any]]:
        """Every version of the weight table with its approving act and change note (court staff).

        Example: ``weight_tables(token)`` -> ``[{"version": "2026.1-draft", "effective_from": "2026-01-01",
        "approved_by": {"vi": "Quyết định …", "en": "Decision …", "verify": true}, "changes": {…},
        "class_weights": {…}, "party_factors": […], "draw": {"max_distance": "3.0", "outsider_chance": "0.25"}}]``
        """
        self.auth(token, *STAFF)
        return queries.tables()

    @rpc
    def verify(self, token: str, draw_id: str) -> dict[str, Any]:
        """Replay a past draw of the court from its record: ``verified`` and the ``differences`` found (staff).

        Example: ``verify(token, draw_id="DR-8F1E…")`` -> ``{"draw_id": "DR-8F1E…", "committed_at": "…",
        "seen_on_bus_at": "…", "drawn_at": "…", "record": {…}, "verified": true, "differences": []}``
        """
        principal = self.auth(token, *STAFF)
        return queries.verify(principal, draw_id, self.db)

    @rpc
    def roster(self, token: str, kind: str | None = "judge") -> list[dict[str, Any]]:
        """The court's judges (or ``kind="assessor"`` / ``"clerk"``, or ``None`` for all) with their load totals
        (Chánh án only).

        Example: ``roster(token)`` -> ``[{"judge_id": "TP-003", "full_name": "Lê Văn Cường",
        "specializations": ["civil"], "capacity": "0.5", "active": true, "load_total": "4.0000",
        "assigned_cases": 2, "available_today": true, "unavailability": []}]``
        """
        principal = self.auth(token, Role.PRESIDENT)
        if kind not in (None, "judge", "assessor", "clerk"):
            raise RequestRejected.single("kind", "roster.unknown_kind", "Vai trò phải là judge, assessor hoặc clerk.",
                                         "kind must be judge, assessor or clerk")
        return [entry.model_dump(mode="json") for entry in queries.roster(principal, self.db, kind)]

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
