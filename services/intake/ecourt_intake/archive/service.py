"""The archive import entrypoint, mixed into ``IntakeService`` (which provides db, store and auth)."""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc
from pydantic import ValidationError

from ecourt_intake.archive.contract import HistoricalCaseV1
from ecourt_intake.archive.importer import import_historical_case
from ecourt_intake.archive.manifest import contract_errors
from ecourt_intake.domain.clock import utc_now
from ecourt_shared.auth import Role
from ecourt_shared.contracts.errors import RequestRejected
from ecourt_shared.settings import get_settings

ARCHIVE_ROLES = (Role.IT_ADMIN, Role.PRESIDENT)


class ArchiveEntrypoints:
    """Mix into a nameko service that declares ``db`` (ServiceDatabase), ``store`` (Storage), ``auth`` (Auth)."""

    db: Any
    store: Any
    auth: Any

    @rpc
    def import_historical_case(self, token: str, case: dict[str, Any]) -> dict[str, Any]:
        """Import one case accepted before ecourt, keeping its original official number and dates.

        Only the court's IT administrator or president may import, into their own court. Example payload::

            {"original_court": "79KV01", "year": 2019, "acceptance_number": "12/2019/TLST-DS",
             "case_type": "DS", "stage": "ST", "accepted_on": "2019-03-14",
             "subject": "Tranh chấp hợp đồng vay tài sản",
             "parties": [{"role": "plaintiff", "full_name": "Nguyễn Văn An", "cccd": "079090001234",
                          "date_of_birth": "1990-05-01", "sex": "male"},
                         {"role": "defendant", "full_name": "Trần Thị Bình", "cccd": "079185004321"}],
             "documents": [{"filename": "don.pdf", "title": "Đơn khởi kiện", "content_base64": "JVBERi0..."}]}

        Returns an ``ArchiveImportResultV1``; the identical case imported again returns the first result
        with ``replayed: true``. A number the court already used for another case is refused
        (``acceptance_number``, ``archive.acceptance_number.already_used``).
        """
        actor = self.auth(token, *ARCHIVE_ROLES)
        try:
            contract = HistoricalCaseV1.model_validate(case)
        except ValidationError as exc:
            raise RequestRejected.of(contract_errors(exc)) from None
        result = import_historical_case(contract, actor, self.db, self.store, utc_now,
                                        get_settings().max_attachment_bytes)
        return result.model_dump(mode="json")
