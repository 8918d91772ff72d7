"""Stats' nameko service: event consumers fold events into ``case_status``; RPC queries read it."""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc

from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.bus.consumer import on_event
from ecourt_shared.contracts.casefile import CaseTransferredV1, DeadlineApproachingV1, DeadlineMissedV1
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1, CaseReceivedV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.telemetry.nameko import Tracing
from ecourt_stats.adapters.orm import metadata
from ecourt_stats.dependencies import readiness_checks
from ecourt_stats.service_layer import projection, queries

STAFF_ROLES = (Role.PRESIDENT, Role.JUDGE, Role.CLERK, Role.IT_ADMIN)


class StatsService(HealthEndpoints):
    name = "stats"

    db = ServiceDatabase("stats", metadata)
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)

    # --- consumers -------------------------------------------------------------------------------

    @on_event(CaseReceivedV1)
    def on_case_received(self, payload: CaseReceivedV1, envelope: EventEnvelope) -> None:
        """Intake accepted a case: it exists, with its type, stage, acceptance day and status ``accepted``.

        Example envelope (abridged)::

            {"event_id": "6f1c...", "event_type": "case_received", "version": 1, "source": "intake",
             "court_id": "79KV01", "occurred_at": "2026-03-02T02:15:00Z",
             "payload": {"court_id": "79KV01", "case_id": "79KV01202600012365", "case_type": "DS",
                         "stage": "ST", "accepted_on": "2026-03-02", "acceptance_number": "12/2026/TLST-DS", ...}}
        """
        projection.project(self.db, envelope.event_id, projection.received_fact(payload, envelope))

    @on_event(CaseAssignedV1)
    def on_case_assigned(self, payload: CaseAssignedV1, envelope: EventEnvelope) -> None:
        """A judge was assigned: sets the judge (latest ``assigned_at`` wins), never the status.

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "judge_id": "J-0007",
             "judge_name": "Lê Văn Cường", "method": "random", "draw_id": "DR-2026-0042",
             "assigned_by": "u-president", "assigned_at": "2026-03-02T03:00:00Z"}
        """
        projection.project(self.db, envelope.event_id, projection.assigned_fact(payload, envelope))

    @on_event(CaseProgressedV1)
    def on_case_progressed(self, payload: CaseProgressedV1, envelope: EventEnvelope) -> None:
        """Casefile changed the procedural status; it wins over intake's ``accepted`` (see domain.status).

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "case_type": "DS", "stage": "ST",
             "status": "preparing",
             "deadline": {"rule_id": "BLTTDS-203-1", "due_on": "2026-07-02",
                          "legal_basis_vi": "Điều 203 khoản 1 BLTTDS 2015",
                          "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)"}}
        """
        projection.project(self.db, envelope.event_id, projection.progressed_fact(payload, envelope))

    @on_event(CaseTransferredV1)
    def on_case_transferred(self, payload: CaseTransferredV1, envelope: EventEnvelope) -> None:
        """The case (same id) is now held by ``court_id``: it leaves the old court's counts, joins the new one's.

        Example payload::

            {"court_id": "79KV01", "case_id": "79Q00120250000427", "from_court_id": "79Q001", "stage": "ST",
             "reason": "merger", "transferred_on": "2025-07-01"}
        """
        projection.project(self.db, envelope.event_id, projection.transferred_fact(payload, envelope))

    @on_event(DeadlineApproachingV1)
    def on_deadline_approaching(self, payload: DeadlineApproachingV1, envelope: EventEnvelope) -> None:
        """A running deadline falls due within casefile's warning period: listed on the president's board.

        Example payload::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "stage": "ST", "judge_id": "J-0007",
             "deadline": {"rule_id": "blttds2015.a203.prep.civil", "due_on": "2026-07-02",
                          "legal_basis_vi": "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                          "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)"}, "days_left": 7}
        """
        projection.record_alert(self.db, payload, envelope)

    @on_event(DeadlineMissedV1)
    def on_deadline_missed(self, payload: DeadlineMissedV1, envelope: EventEnvelope) -> None:
        """A running deadline passed: listed as missed until the case moves on (its next ``case_progressed``).

        Example payload: as ``deadline_approaching``, with ``"days_over": 1`` instead of ``days_left``.
        """
        projection.record_alert(self.db, payload, envelope)

    # --- queries ---------------------------------------------------------------------------------

    @rpc
    def counts(self, token: str, group_by: list[str] | None = None) -> list[dict[str, Any]]:
        """Number of cases of the caller's court, grouped (staff: president, judge, clerk, IT admin).

        ``group_by`` is a list drawn from ``case_type``, ``stage``, ``status``, ``judge_id``; default
        ``["case_type", "status"]``. A ``null`` value means "not known yet" (for instance only the
        assignment of a case has arrived so far).

        Example call: ``counts(token, group_by=["case_type", "status"])`` returns::

            [{"case_type": "DS", "status": "accepted", "count": 12},
             {"case_type": "DS", "status": "preparing", "count": 40},
             {"case_type": "HNGĐ", "status": "decided", "count": 7}]
        """
        principal = self.auth(token, *STAFF_ROLES)
        return queries.counts(self.db, principal.court_id, group_by)

    @rpc
    def counts_by_judge(self, token: str) -> list[dict[str, Any]]:
        """Workload per assigned judge of the caller's court (president only).

        ``pending`` = chưa giải quyết (accepted, preparing, suspended, hearing_scheduled), ``resolved`` =
        đã giải quyết (decided, in_effect, closed). Example result::

            [{"judge_id": "J-0007", "judge_name": "Lê Văn Cường", "total": 14, "pending": 11, "resolved": 3,
              "by_status": {"preparing": 9, "hearing_scheduled": 2, "decided": 3}}]
        """
        principal = self.auth(token, Role.PRESIDENT)
        return queries.counts_by_judge(self.db, principal.court_id)

    @rpc
    def overdue(self, token: str, on_date: str, limit: int = 500) -> list[dict[str, Any]]:
        """Cases of the caller's court whose current deadline is before ``on_date`` (president only).

        Only cases whose time limit is running count (accepted, preparing, hearing_scheduled; a
        suspended case's limit is paused). Oldest deadline first. Example call:
        ``overdue(token, on_date="2026-08-01")`` returns::

            [{"case_id": "79KV01202600012365", "case_type": "DS", "stage": "ST", "status": "preparing",
              "judge_id": "J-0007", "judge_name": "Lê Văn Cường", "deadline_on": "2026-07-02",
              "days_overdue": 30}]
        """
        principal = self.auth(token, Role.PRESIDENT)
        return queries.overdue(self.db, principal.court_id, on_date, limit)

    @rpc
    def deadline_alerts(self, token: str, on_date: str | None = None, within_days: int = 7,
                        limit: int = 500) -> dict[str, Any]:
        """The president's deadline board for the caller's court (president only).

        ``approaching``: deadlines due from ``on_date`` (default: today, court time) to ``within_days`` later;
        ``missed``: deadlines casefile saw pass, listed until the case moves on. A transferred case is listed
        by the court that holds it now. Example call ``deadline_alerts(token, on_date="2026-06-28")``::

            {"on_date": "2026-06-28", "within_days": 7,
             "approaching": [{"case_id": "79KV01202600012365", "case_code": "79KV01-2026-000123-65",
                              "stage": "ST", "rule_id": "blttds2015.a203.prep.civil", "due_on": "2026-07-02",
                              "legal_basis_vi": "khoản 1 Điều 203 Bộ luật Tố tụng dân sự 2015",
                              "legal_basis_en": "Civil Procedure Code 2015, art. 203(1)",
                              "judge_id": "J-0007", "judge_name": "Lê Văn Cường", "days_left": 4}],
             "missed": []}
        """
        principal = self.auth(token, Role.PRESIDENT)
        return queries.deadline_alerts(self.db, principal.court_id, on_date, within_days, limit)
