"""Party registry use cases: look up, search, correct (a new version), merge and revert a merge."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from ecourt_intake.adapters import registry
from ecourt_intake.adapters.orm import parties, party_merges, party_versions
from ecourt_intake.domain.parties import CORRECTABLE, validate_party
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import Conflict, FieldError, NotFound, RequestRejected
from ecourt_shared.contracts.reception import PartyCorrectionV1, PartyInputV2, PartyMergeV1, PartyViewV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import search_key


def _not_found(party_id: str) -> NotFound:
    return NotFound({"message_vi": f"Không có đương sự {party_id}.", "message_en": f"no party {party_id}"})


def _conflict(field: str, code: str, vi: str, en: str) -> Conflict:
    return Conflict({"errors": [{"field": field, "code": code, "message_vi": vi, "message_en": en}]})


def view(row: Any) -> PartyViewV1:
    return PartyViewV1.model_validate({**registry.snapshot(row), "party_id": row.party_id, "version": row.version,
                                       "merged_into": row.merged_into})


def get_party(uows: UnitOfWorkFactory, actor: Principal, party_id: str) -> PartyViewV1:
    with uows() as uow:
        row = registry.get_visible(uow, actor.court_id, party_id)
        if row is None:
            raise _not_found(party_id)
        return view(row)


def search_parties(uows: UnitOfWorkFactory, actor: Principal, text: str, limit: int = 50) -> list[PartyViewV1]:
    with uows() as uow:
        return [view(row) for row in registry.search(uow, actor.court_id, text, min(limit, 200))]


def history(uows: UnitOfWorkFactory, actor: Principal, party_id: str) -> list[dict[str, Any]]:
    with uows() as uow:
        if registry.get_visible(uow, actor.court_id, party_id) is None:
            raise _not_found(party_id)
        rows = uow.execute(select(party_versions).where(party_versions.c.party_id == party_id)
                           .order_by(party_versions.c.version)).all()
        return [{"version": r.version, "snapshot": r.snapshot, "changed_fields": r.changed_fields, "reason": r.reason,
                 "changed_by": r.changed_by, "changed_at": r.changed_at.isoformat()} for r in rows]


def correct_party(uows: UnitOfWorkFactory, actor: Principal, correction: PartyCorrectionV1,
                  now: Callable[[], datetime]) -> PartyViewV1:
    unknown = sorted(set(correction.changes) - set(CORRECTABLE))
    if unknown:
        raise RequestRejected.single("changes", "changes.not_correctable",
                                     f"Không sửa được các trường: {', '.join(unknown)}.",
                                     f"these fields cannot be corrected: {', '.join(unknown)}")
    with uows() as uow:
        row = registry.get_visible(uow, actor.court_id, correction.party_id, lock=True)
        if row is None:
            raise _not_found(correction.party_id)
        if row.version != correction.expected_version:
            raise _conflict("expected_version", "party.version_changed",
                            f"Đương sự đã được sửa (phiên bản hiện tại {row.version}); hãy tải lại.",
                            f"the party was changed meanwhile (now version {row.version}); reload it")
        current = registry.snapshot(row)
        raw = {k: v for k, v in current.items() if k not in ("birth_year", "phone_e164")}
        raw["phone"] = current["phone_e164"]
        try:
            merged_input = PartyInputV2.model_validate({**raw, **correction.changes})
        except ValidationError as exc:
            raise RequestRejected.of([FieldError(field="changes." + ".".join(str(p) for p in e["loc"]),
                                                 code=e["type"], message_vi=f"Giá trị không hợp lệ: {e['msg']}",
                                                 message_en=e["msg"]) for e in exc.errors()]) from None
        details = validate_party(merged_input, "changes")
        if isinstance(details, list):
            raise RequestRejected.of(details)
        new = details.as_row()
        new_snapshot = {**new, "date_of_birth": new["date_of_birth"].isoformat() if new["date_of_birth"] else None}
        changed = sorted(k for k in new_snapshot if new_snapshot[k] != current[k])
        if not changed:
            return view(row)
        for column in ("cccd", "tax_code", "bar_number", "procuracy_code"):
            if column in changed and new[column] and registry.find_by_identity(uow, column, new[column]):
                raise _conflict(f"changes.{column}", "party.identifier_taken",
                                "Số định danh này đã thuộc đương sự khác: hãy dùng chức năng gộp.",
                                "this identifier belongs to another party: merge them instead")
        version, instant = row.version + 1, now()
        uow.execute(parties.update().where(parties.c.party_id == row.party_id).values(
            **new, version=version, name_search_key=search_key(new["full_name"])))
        registry.insert_version(uow, row.party_id, version, new_snapshot, changed, correction.reason,
                                actor.user_id, actor.court_id, instant)
        updated = uow.execute(select(parties).where(parties.c.party_id == row.party_id)).one()
        uow.commit()
        return view(updated)


def merge_parties(uows: UnitOfWorkFactory, actor: Principal, merge: PartyMergeV1,
                  now: Callable[[], datetime]) -> dict[str, Any]:
    if merge.survivor_id == merge.merged_id:
        raise RequestRejected.single("merged_id", "merge.same_party", "Không thể gộp một đương sự với chính nó.",
                                     "a party cannot be merged into itself")
    with uows() as uow:
        rows = {pid: registry.get_visible(uow, actor.court_id, pid, lock=True)
                for pid in sorted((merge.survivor_id, merge.merged_id))}  # lock in a fixed order
        for pid, row in rows.items():
            if row is None:
                raise _not_found(pid)
            if row.merged_into is not None:
                raise _conflict("merged_id" if pid == merge.merged_id else "survivor_id", "merge.already_merged",
                                f"Đương sự {pid} đã được gộp vào {row.merged_into}.",
                                f"party {pid} is already merged into {row.merged_into}")
        survivor, merged = rows[merge.survivor_id], rows[merge.merged_id]
        if survivor.kind != merged.kind:
            raise RequestRejected.single("merged_id", "merge.different_kinds",
                                         "Chỉ gộp được đương sự cùng loại.", "only parties of the same kind merge")
        merge_id, instant = f"M-{uuid.uuid4().hex[:16].upper()}", now()
        uow.execute(parties.update().where(parties.c.party_id == merge.merged_id).values(merged_into=survivor.party_id))
        uow.execute(party_merges.insert().values(merge_id=merge_id, court_id=actor.court_id,
                                                 survivor_id=survivor.party_id, merged_id=merge.merged_id,
                                                 reason=merge.reason, merged_by=actor.user_id, merged_at=instant))
        uow.commit()
    return {"merge_id": merge_id, "survivor_id": merge.survivor_id, "merged_id": merge.merged_id,
            "merged_by": actor.user_id, "merged_at": instant.isoformat()}


def revert_merge(uows: UnitOfWorkFactory, actor: Principal, merge_id: str, reason: str,
                 now: Callable[[], datetime]) -> dict[str, Any]:
    with uows() as uow:
        row = uow.execute(select(party_merges).where(party_merges.c.merge_id == merge_id,
                                                     party_merges.c.court_id == actor.court_id)
                          .with_for_update()).first()
        if row is None:
            raise NotFound({"message_vi": f"Không có lần gộp {merge_id}.", "message_en": f"no merge {merge_id}"})
        if row.reverted_at is not None:
            raise _conflict("merge_id", "merge.already_reverted", "Lần gộp này đã được hoàn tác.",
                            "this merge was already reverted")
        instant = now()
        uow.execute(parties.update().where(parties.c.party_id == row.merged_id).values(merged_into=None))
        uow.execute(party_merges.update().where(party_merges.c.merge_id == merge_id).values(
            reverted_by=actor.user_id, reverted_at=instant, revert_reason=reason))
        uow.commit()
    return {"merge_id": merge_id, "reverted_by": actor.user_id, "reverted_at": instant.isoformat()}
