"""Intake's nameko service: a thin adapter from the RPC contract to the filing handler."""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc
from pydantic import ValidationError

from ecourt_intake.adapters.orm import metadata
from ecourt_intake.dependencies import Storage, readiness_checks
from ecourt_intake.domain.clock import utc_now
from ecourt_intake.service_layer.filing import file_petition
from ecourt_shared.auth import Role
from ecourt_shared.auth.nameko import Auth
from ecourt_shared.contracts.errors import FieldError, RequestRejected
from ecourt_shared.contracts.intake import PetitionV1
from ecourt_shared.db.nameko import ServiceDatabase
from ecourt_shared.nameko_health import HealthEndpoints, Readiness
from ecourt_shared.settings import get_settings
from ecourt_shared.telemetry.nameko import Tracing

RECEPTION_ROLES = (Role.RECEPTION, Role.CLERK, Role.PRESIDENT)


def contract_errors(exc: ValidationError, prefix: str = "") -> RequestRejected:
    return RequestRejected.of([
        FieldError(field=prefix + ".".join(str(p) for p in err["loc"]), code=err["type"],
                   message_vi=f"Giá trị không hợp lệ: {err['msg']}", message_en=err["msg"])
        for err in exc.errors()])


class IntakeService(HealthEndpoints):
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
