"""Working notes on a case (ghi chú nghiệp vụ): written by the people of the case, read in its full dossier.

A note belongs to the case, not to the judge who wrote it: when the case changes judge (reassignment, recusal),
the new judge opens the dossier and finds every earlier note, marked as carried over. Notes are never edited or
deleted; each is a ledger entry holding the SHA-256 of its text (the ledger's proofs go to outside auditors,
so the text itself, which may name people, stays in the case).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import datetime

from ecourt_casefile import ledger
from ecourt_casefile.adapters import notes as notes_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.domain.access import ViewKind, view_kind
from ecourt_casefile.service_layer.viewing import canonical_case_id, not_found
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.casefile import CaseNoteV1
from ecourt_shared.contracts.errors import PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWorkFactory

MAX_NOTE = 4000


def _clean_text(text: object) -> str:
    clean = text.strip() if isinstance(text, str) else ""
    if not clean:
        raise RequestRejected.single("text", "note.empty", "Ghi chú không được để trống.", "the note is empty")
    if len(clean) > MAX_NOTE:
        raise RequestRejected.single("text", "note.too_long", f"Ghi chú dài quá {MAX_NOTE} ký tự.",
                                     f"a note holds at most {MAX_NOTE} characters")
    return clean


def add_note(principal: Principal, case_id: object, text: object, uows: UnitOfWorkFactory,
             now: Callable[[], datetime]) -> CaseNoteV1:
    if not isinstance(case_id, str):
        raise RequestRejected.single("case_id", "field.required", "Thiếu mã vụ án.", "case_id is required")
    case_id = canonical_case_id(case_id)
    clean = _clean_text(text)
    with uows() as uow:
        repository.lock_case(uow, case_id)
        state = repository.case_state_of(uow, case_id, court_id=principal.court_id)
        if state is None:
            raise not_found(case_id)
        if view_kind(principal, state.judge_id, state.panel, state.clerk_id) is not ViewKind.FULL:
            raise PermissionDenied({
                "message_vi": "Chỉ Chánh án, Thẩm phán giải quyết vụ án và Thư ký của vụ án được ghi chú vào hồ sơ.",
                "message_en": "Only the court president, the judges on the case and its clerk may add notes."})
        instant = now()
        note = CaseNoteV1(note_id=f"N-{uuid.uuid4().hex[:16].upper()}", text=clean, written_by=principal.user_id,
                          written_by_name=principal.display_name or principal.user_id, written_at=instant,
                          judge_id_then=state.judge_id)
        notes_repo.insert_note(uow, case_id, state.court_id, note)
        ledger.append(uow, case_id, state.court_id, "case.note", {
            "note_id": note.note_id, "sha256": hashlib.sha256(clean.encode("utf-8")).hexdigest(),
            "written_by": principal.user_id, "judge_id_then": state.judge_id}, instant)
        uow.commit()
    return note

