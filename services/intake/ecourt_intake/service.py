"""Intake's nameko service: a thin adapter from the RPC contract to the filing handler."""

from __future__ import annotations

from typing import Any, TypeVar

from nameko.rpc import ServiceRpc, rpc
from pydantic import BaseModel, ValidationError

from ecourt_intake.adapters.casefile import CasefileLodging
from ecourt_intake.adapters.orm import metadata
from ecourt_intake.archive.service import ArchiveEntrypoints
from ecourt_intake.dependencies import Storage, readiness_checks
from ecourt_intake.domain.clock import utc_now
from ecourt_intake.service_layer import case_staff, decisions, party_views, reception, register_entry, registry
from ecourt_intake.service_layer.filing import file_petition
from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.bus.consumer import on_event
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.contracts.events import CaseAssignedV1, CaseProgressedV1
from ecourt_shared.contracts.intake import PetitionV1
from ecourt_shared.contracts.reception import PartyCorrectionV1, PartyMergeV1, ReceptionDecisionV1, ReceptionV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.settings import get_settings
from ecourt_shared.telemetry.nameko import Tracing

M = TypeVar("M", bound=BaseModel)
RECEPTION_ROLES = (Role.RECEPTION, Role.CLERK, Role.PRESIDENT)
MERGE_ROLES = (Role.CLERK, Role.PRESIDENT)  # merging people is a deliberate act, not a reception shortcut


def parse(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise contract_errors(exc) from None


def contract_errors(exc: ValidationError, prefix: str = "") -> RequestRejected:
    return RequestRejected.of([
        FieldError(field=prefix + ".".join(str(p) for p in err["loc"]), code=err["type"],
                   message_vi=f"Giá trị không hợp lệ: {err['msg']}", message_en=err["msg"])
        for err in exc.errors()])


class IntakeService(HealthEndpoints, ArchiveEntrypoints):
    name = "intake"

    db = ServiceDatabase("intake", metadata)
    store = Storage()
    auth = Auth()
    tracing = Tracing()
    readiness = Readiness(readiness_checks)
    casefile_rpc = ServiceRpc("casefile")  # lodging accepted appeals, protests and petitions on their case

    @rpc
    def file_petition(self, token: str, petition: dict[str, Any]) -> dict[str, Any]:
        """File a first-instance petition and accept it (thụ lý).

        Example payload::

            {"idempotency_key": "rcpt-2026-11-27-0001", "case_type": "DS",
             "subject": "Tranh chấp hợp đồng vay tài sản", "channel": "counter",
             "parties": [{"role": "plaintiff", "full_name": "Nguyễn Văn An", "cccd": "079090001234",
                          "date_of_birth": "1990-05-01", "sex": "male", "phone": "0912345678"},
                         {"role": "defendant", "full_name": "Trần Thị Bình", "cccd": "079185004321"}],
             "attachment": {"filename": "don-khoi-kien.pdf", "content_base64": "JVBERi0..."}}

        Returns a ``FilingResultV1`` (case id and code, acceptance number, receipt secret); a replay
        with the same ``idempotency_key`` returns the first result with ``replayed: true``.
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        try:
            contract = PetitionV1.model_validate(petition)
        except ValidationError as exc:
            raise contract_errors(exc) from None
        settings = get_settings()
        result = file_petition(contract, actor, self.db, self.store, utc_now, settings.max_attachment_bytes)
        return result.model_dump(mode="json")

    @rpc
    def register_reception(self, token: str, item: dict[str, Any]) -> dict[str, Any]:
        """Enter anything that arrives in the reception register (công văn, petitions, indictments, appeals...).

        Example payload::

            {"idempotency_key": "rcpt-2026-11-27-0002", "kind": "appeal", "case_type": "DS",
             "subject": "Kháng cáo bản án sơ thẩm", "channel": "post", "postmark_date": "2026-11-20",
             "related_case": "12/2026/DS-ST",
             "parties": [{"role": "appellant", "full_name": "Nguyễn Văn An", "cccd": "079090001234"}],
             "attachments": [{"filename": "khang-cao.pdf", "content_base64": "JVBERi0..."}]}

        Returns a ``ReceptionResultV1`` (reception number, legal counting date and its basis, party ids,
        duplicate suggestions); a replay with the same key returns the first result.
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        result = reception.register_reception(parse(ReceptionV1, item), actor, self.db, self.store, utc_now,
                                               get_settings().max_attachment_bytes)
        return result.model_dump(mode="json")

    @rpc
    def decide_reception(self, token: str, decision: dict[str, Any]) -> dict[str, Any]:
        """Record a reception decision: accept (thụ lý), request_amendment, return or transfer.

        Example payload::

            {"reception_id": "R-1A2B3C4D5E6F7A8B", "decision": "request_amendment",
             "reason": "Đơn chưa ghi địa chỉ bị đơn", "amendment_due_on": "2026-12-27"}

        Accepting an appeal, protest, cassation petition or retrial request lodges it on its case in casefile
        first (``{"reception_id": "R-…", "decision": "accept", "protest_level": "higher_level"}``; add
        ``"related_case_id"`` when the register names only the judgment's number): casefile's refusal (out of
        time, naming the provision) is the answer and nothing is recorded; ``lodging`` in the result tells what
        casefile recorded (step, legal filing date, the court now holding the case).
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        lodging = CasefileLodging(self.casefile_rpc, token, get_settings().rpc_timeout_seconds)
        return decisions.decide(parse(ReceptionDecisionV1, decision), actor, self.db, utc_now,
                                lodging).model_dump(mode="json")

    @rpc
    def reception_register(self, token: str, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The court's register, newest first, optionally by status: ``reception_register(token, "received")``."""
        actor = self.auth(token, *RECEPTION_ROLES)
        return reception.list_register(self.db, actor, status, limit)

    @rpc
    def party(self, token: str, party_id: str) -> dict[str, Any]:
        """One party of the registry, latest version: ``party(token, "P-1A2B3C4D5E6F7A8B")``.

        Reception staff and clerks see CCCD, phone, date of birth and address in full (the view is logged in
        ``personal_data_views``); the president sees them masked (``"masked": true``). See
        ``domain.need_to_know``.
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        return party_views.show_party(self.db, actor, party_id, utc_now)

    @rpc
    def search_parties(self, token: str, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Search by name without diacritics ("nguyen van an") or by an exact identifier (CCCD, tax code...).

        Results are masked for every role; an exact identifier search echoes the matched identifier
        (``"matched_by": "cccd"``), logged. Open ``party`` for the rest.
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        return party_views.show_search(self.db, actor, text, limit, utc_now)

    @rpc
    def party_history(self, token: str, party_id: str) -> list[dict[str, Any]]:
        """Every version of a party, oldest first, with who changed what and why (masked as ``party`` is)."""
        actor = self.auth(token, *RECEPTION_ROLES)
        return party_views.show_history(self.db, actor, party_id, utc_now)

    @rpc
    def correct_party(self, token: str, correction: dict[str, Any]) -> dict[str, Any]:
        """Correct a party: a new version, never an overwrite.

        Example payload::

            {"party_id": "P-1A2B3C4D5E6F7A8B", "expected_version": 1, "reason": "Sai chính tả theo CCCD",
             "changes": {"full_name": "Nguyễn Văn Ân", "phone": "0987654321"}}
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        return party_views.show_correction(self.db, actor, parse(PartyCorrectionV1, correction), utc_now)

    @rpc
    def merge_parties(self, token: str, merge: dict[str, Any]) -> dict[str, Any]:
        """Merge a duplicate into the surviving party (Thư ký, Chánh án); logged and reversible.

        Example payload: ``{"survivor_id": "P-AAA", "merged_id": "P-BBB", "reason": "Cùng một người"}``
        """
        actor = self.auth(token, *MERGE_ROLES)
        return registry.merge_parties(self.db, actor, parse(PartyMergeV1, merge), utc_now)

    @rpc
    def revert_merge(self, token: str, merge_id: str, reason: str) -> dict[str, Any]:
        """Undo a merge: ``revert_merge(token, "M-1A2B3C4D5E6F7A8B", "Hai người khác nhau")``."""
        actor = self.auth(token, *MERGE_ROLES)
        if len(reason.strip()) < 3:
            raise RequestRejected.single("reason", "reason.required", "Phải ghi lý do hoàn tác.",
                                         "reverting a merge needs a reason")
        return registry.revert_merge(self.db, actor, merge_id, reason, utc_now)

    @rpc
    def dossier_parties(self, token: str, party_ids: list[str], reveal: bool = False, case_id: str | None = None,
                        reason: str | None = None) -> list[dict[str, Any]]:
        """The parties of a case, for casefile's full dossier view: names, and CCCD / phone masked unless ``reveal``.

        Example call: ``dossier_parties(token, ["P-1A2B3C4D5E6F7A8B"], case_id="79KV01202600012365")`` ->
        ``[{"party_id": "P-1A2B3C4D5E6F7A8B", "kind": "person", "full_name": "Nguyễn Văn An",
        "cccd": "0792******21", "phone": "+8490****567", "masked": true}]``. Ids that are not parties of the case
        are left out. The judge, sitting panel members and clerk of the case (known from ``case_assigned``, at the
        court holding it) see them and may reveal with a ``reason`` (5-500 characters, logged); the president of a
        court holding the case sees them masked; anyone else is ``PermissionDenied``, and a case the caller's court
        does not hold is ``NotFound``.
        """
        actor = self.auth(token, Role.PRESIDENT, Role.JUDGE, Role.CLERK)
        return case_staff.dossier_parties(self.db, actor, case_id, party_ids, reveal, reason, utc_now)

    @on_event(CaseAssignedV1)
    def on_case_assigned(self, payload: CaseAssignedV1, envelope: EventEnvelope) -> None:
        """Keep who sits on the case at the assigning court (judge; panel and clerk when announced).

        Example payload (from ``assignment.events``, routing key ``case_assigned``)::

            {"court_id": "79TA00", "case_id": "79KV01202600012365", "judge_id": "J-0101",
             "judge_name": "Trần Văn Bình", "method": "random", "draw_id": "DR-2026-0099",
             "assigned_by": "u-president", "assigned_at": "2026-03-02T03:00:00Z",
             "panel": [{"member_id": "J-0101", "full_name": "Trần Văn Bình", "kind": "judge", "seat": "presiding"}],
             "clerk_id": "u-clerk-7"}
        """
        case_staff.record_assignment(payload, envelope, self.db)

    @on_event(CaseProgressedV1)
    def on_case_progressed(self, payload: CaseProgressedV1, envelope: EventEnvelope) -> None:
        """Keep a clerk or panel a casefile step set, and the court a step moved the case to.

        Example payload (from ``casefile.events``, routing key ``case_progressed``)::

            {"court_id": "79KV01", "case_id": "79KV01202600012365", "case_type": "DS", "stage": "ST",
             "status": "preparing", "deadline": null, "step": "assign_clerk", "state": "preparing",
             "clerk_id": "u-clerk-7"}
        """
        case_staff.record_progress(payload, envelope, self.db)

    @rpc
    def personal_data_views(self, token: str, party_id: str) -> list[dict[str, Any]]:
        """Who saw a party's personal data unmasked, when, which fields and why (the president audits it).

        Example: ``personal_data_views(token, "P-1A2B3C4D5E6F7A8B")`` -> ``[{"viewer_id": "u-…", "fields":
        ["cccd", "phone"], "purpose": "dossier_reveal", "ground": "case_judge", "reason": "Tống đạt …",
        "case_id": "79KV01…", "viewed_at": "…"}]``. Only the views made at the caller's court.
        """
        actor = self.auth(token, Role.PRESIDENT)
        return party_views.views_of(self.db, actor, party_id)

    @rpc
    def reception(self, token: str, reception_id: str) -> dict[str, Any]:
        """One register entry in full: ``reception(token, "R-1A2B3C4D5E6F7A8B")``.

        Returns the entry with its parties (registry references with names; CCCD and phone masked unless the
        caller is reception staff or a clerk), documents (title, pages, size, sha256), counting date with its
        basis and provision, and every decision, oldest first (who, when, why, deadline, receiving court, case
        and acceptance number, and for a lodged appeal, protest or petition what casefile recorded)::

            {"reception_id": "R-…", "reception_number": "TN2026-000012", "kind": "appeal", "status": "accepted",
             "counting": {"counts_from": "2026-11-20", "basis": "postmark", "citation": "Khoản 2 Điều 190 …"},
             "parties": [{"party_id": "P-…", "role": "appellant", "full_name": "Phạm Thị Lan",
                          "cccd": "0011******45", "masked": true, …}],
             "documents": [{"title": "Tài liệu", "page_count": 1, "size_bytes": 612, "sha256": "…", …}],
             "decisions": [{"decision": "accept", "decided_by": "u-…", "lodging": {"step": "lodge_appeal", …}}]}

        Another court's entry is ``NotFound``.
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        if not isinstance(reception_id, str) or not 1 <= len(reception_id) <= 40:
            raise RequestRejected.single("reception_id", "reception_id.invalid", "Mã mục tiếp nhận không hợp lệ.",
                                         "reception_id must be a string of 1 to 40 characters")
        return register_entry.get_entry(self.db, actor, reception_id, utc_now).model_dump(mode="json")
