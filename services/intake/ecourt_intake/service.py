"""Intake's nameko service: a thin adapter from the RPC contract to the filing handler."""

from __future__ import annotations

from typing import Any, TypeVar

from nameko.rpc import rpc
from pydantic import BaseModel, ValidationError

from ecourt_intake.adapters.orm import metadata
from ecourt_intake.archive.service import ArchiveEntrypoints
from ecourt_intake.dependencies import Storage, readiness_checks
from ecourt_intake.domain.clock import utc_now
from ecourt_intake.service_layer import decisions, reception, registry
from ecourt_intake.service_layer.filing import file_petition
from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.contracts.errors import FieldError, RequestRejected
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
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        return decisions.decide(parse(ReceptionDecisionV1, decision), actor, self.db, utc_now).model_dump(mode="json")

    @rpc
    def reception_register(self, token: str, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The court's register, newest first, optionally by status: ``reception_register(token, "received")``."""
        actor = self.auth(token, *RECEPTION_ROLES)
        return reception.list_register(self.db, actor, status, limit)

    @rpc
    def party(self, token: str, party_id: str) -> dict[str, Any]:
        """One party of the registry, latest version: ``party(token, "P-1A2B3C4D5E6F7A8B")``."""
        actor = self.auth(token, *RECEPTION_ROLES)
        return registry.get_party(self.db, actor, party_id).model_dump(mode="json")

    @rpc
    def search_parties(self, token: str, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Search by name without diacritics ("nguyen van an") or by an exact identifier (CCCD, tax code...)."""
        actor = self.auth(token, *RECEPTION_ROLES)
        return [p.model_dump(mode="json") for p in registry.search_parties(self.db, actor, text, limit)]

    @rpc
    def party_history(self, token: str, party_id: str) -> list[dict[str, Any]]:
        """Every version of a party, oldest first, with who changed what and why."""
        actor = self.auth(token, *RECEPTION_ROLES)
        return registry.history(self.db, actor, party_id)

    @rpc
    def correct_party(self, token: str, correction: dict[str, Any]) -> dict[str, Any]:
        """Correct a party: a new version, never an overwrite.

        Example payload::

            {"party_id": "P-1A2B3C4D5E6F7A8B", "expected_version": 1, "reason": "Sai chính tả theo CCCD",
             "changes": {"full_name": "Nguyễn Văn Ân", "phone": "0987654321"}}
        """
        actor = self.auth(token, *RECEPTION_ROLES)
        return registry.correct_party(self.db, actor, parse(PartyCorrectionV1, correction), utc_now).model_dump(
            mode="json")

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
