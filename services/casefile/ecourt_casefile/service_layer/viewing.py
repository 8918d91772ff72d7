"""Reading a case: the dossier in the view the caller may see, and the case's current deadline.

The case is looked up within the caller's court only, so a case of another court is ``NotFound``, exactly
like a case that does not exist (no probing). Every full view is written to ``access_log`` (with the
personal fields it showed, whose, and whether identifiers were revealed) and committed before the dossier is
returned: no full view without its trace. The essentials view carries no personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from ecourt_casefile.adapters import notes as notes_repo
from ecourt_casefile.adapters import procedure as steps_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.adapters.parties import PartyRegistry, PendingParties, RegistryUnavailable
from ecourt_casefile.contracts import (
    CaseDeadlineV1,
    CaseStandingV1,
    DeadlineViewV1,
    DossierDocumentV1,
    DossierEssentialsV1,
    DossierFullV1,
    DossierPartyV1,
    ExplanationStepV1,
    HearingViewV1,
    NoticeV1,
    StageViewV1,
    TimelineEntryV1,
)
from ecourt_casefile.domain.access import ViewKind, capacities, may_reveal, view_kind
from ecourt_casefile.domain.document_versions import versions_of
from ecourt_casefile.domain.dossier import is_complete
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import NotFound, PermissionDenied, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, format_case_id, parse_case_id
from ecourt_shared.privacy import MASKERS, reveal_reason


def canonical_case_id(case_id: str) -> str:
    try:
        return parse_case_id(case_id).canonical
    except IdentifierError as exc:
        raise RequestRejected.single("case_id", exc.code, exc.message_vi, exc.message_en) from None


def not_found(case_id: str) -> NotFound:
    return NotFound({"message_vi": f"Không tìm thấy vụ án {case_id}.", "message_en": f"No case {case_id}."})


def _state_in_court(uow: UnitOfWork, principal: Principal, case_id: str) -> repository.CaseState:
    state = repository.case_state_of(uow, case_id, court_id=principal.court_id)
    if state is None:
        raise not_found(case_id)
    return state


def _known(model: type[BaseModel], stored: dict[str, Any]) -> dict[str, Any]:
    """The stored fields the view declares (a stored document may carry more than a view shows)."""
    return {k: v for k, v in stored.items() if k in model.model_fields}


def deadline_view(deadline: repository.StoredDeadline | None) -> DeadlineViewV1 | None:
    if deadline is None:
        return None
    return DeadlineViewV1(
        rule_id=deadline.rule_id, rule_version=deadline.rule_version, due_on=deadline.due_on,
        legal_basis_vi=deadline.legal_basis_vi, legal_basis_en=deadline.legal_basis_en,
        explanation=[ExplanationStepV1(**step) for step in deadline.explanation],
        needs_verification=deadline.needs_verification, computed_at=deadline.computed_at)


def step_entry(step: dict[str, Any]) -> TimelineEntryV1:
    params = ", ".join(f"{k}={v}" for k, v in step["params"].items())
    return TimelineEntryV1(
        at=step["recorded_at"], kind=f"step:{step['step']}",
        text_vi=f"{step['on_date']:%d/%m/%Y} - cấp {step['stage']}, Tòa án {step['court_id']}: {step['step']} "
                f"({step['from_state']} → {step['to_state']}){' - ' + params if params else ''}",
        text_en=f"{step['on_date'].isoformat()} - stage {step['stage']}, court {step['court_id']}: {step['step']} "
                f"({step['from_state']} -> {step['to_state']}){' - ' + params if params else ''}")


def _reveal_denied() -> PermissionDenied:
    return PermissionDenied({
        "message_vi": "Chỉ Thẩm phán, thành viên Hội đồng xét xử và Thư ký được giao giải quyết vụ án mới được "
                      "xem đầy đủ số CCCD, số điện thoại của đương sự.",
        "message_en": "Only the judges on the case, its trial panel and its clerk may see the parties' identity "
                      "and phone numbers unmasked."})


def _party_details(refs: list[dict[str, Any]], pending: PendingParties | None, reveal: bool,
                   reason: str | None) -> tuple[list[DossierPartyV1], list[NoticeV1], repository.PersonalDataShown]:
    """The parties joined with the registry's answer, the notices about what could not be shown, and what to log."""
    try:
        if pending is None:
            raise RegistryUnavailable("no party registry configured")
        found = pending()
    except RegistryUnavailable:
        notice = NoticeV1(code="parties.registry_unavailable",
                          message_vi="Không tải được thông tin đương sự từ sổ đương sự (bộ phận tiếp nhận); "
                                     "hồ sơ chỉ hiển thị mã đương sự. Vui lòng thử lại sau.",
                          message_en="The party registry (intake) could not be reached; the dossier shows party "
                                     "references only. Please try again later.")
        return ([DossierPartyV1(party_id=r["party_id"], role=r["role"], is_minor=r["is_minor"]) for r in refs],
                [notice], repository.PersonalDataShown())
    details, fields, notices = [], set(), []
    for ref in refs:
        entry = found.get(ref["party_id"], {})
        detail = DossierPartyV1(party_id=ref["party_id"], role=ref["role"], is_minor=ref["is_minor"],
                                kind=entry.get("kind"), full_name=entry.get("full_name"), cccd=entry.get("cccd"),
                                phone=entry.get("phone"), masked=not (entry and reveal))
        details.append(detail)
        if detail.full_name:
            fields.add("full_name")
        for name in MASKERS:  # the identifiers masked unless revealed
            if getattr(detail, name):
                fields.add(name if reveal else f"{name}_masked")
    missing = [r["party_id"] for r in refs if r["party_id"] not in found]
    if missing:
        notices.append(NoticeV1(code="parties.not_in_registry",
                                message_vi=f"Không tìm thấy trong sổ đương sự: {', '.join(missing)}.",
                                message_en=f"Not found in the party registry: {', '.join(missing)}."))
    shown_ids = tuple(r["party_id"] for r in refs if r["party_id"] in found)
    revealed = reveal and bool(shown_ids)
    return details, notices, repository.PersonalDataShown(
        fields=tuple(sorted(fields)), party_ids=shown_ids, revealed=revealed,
        reveal_reason=reason if revealed else None)


def get_dossier(principal: Principal, case_id: str, uows: UnitOfWorkFactory, dossiers: DossierStore,
                now: Callable[[], datetime], registry: PartyRegistry | None = None, token: str = "",
                reveal: bool = False, reason: str | None = None) -> DossierEssentialsV1 | DossierFullV1:
    """The view ``principal`` may see; a full view carries the parties from ``registry`` and is logged.

    ``reveal`` (with a ``reason``) asks for CCCD and phone unmasked: only for those ``may_reveal`` allows,
    else ``PermissionDenied``, decided before the registry is asked. The registry's answer is awaited after
    the reading transaction ends (the look-up starts as soon as the party ids are known, so the two overlap);
    the log row is committed before the view is returned.
    """
    case_id = canonical_case_id(case_id)
    reason = reveal_reason(reveal, reason)
    with uows() as uow:
        state = _state_in_court(uow, principal, case_id)
        deadline = repository.current_deadline(uow, case_id)
        essentials = {
            "case_id": state.case_id, "case_code": format_case_id(state.case_id), "court_id": state.court_id,
            "case_type": state.case_type, "stage": state.stage, "status": state.status, "judge_id": state.judge_id,
            "next_deadline_on": deadline.due_on if deadline else None}
        kind = view_kind(principal, state.judge_id, state.panel, state.clerk_id)
        if kind is ViewKind.ESSENTIALS:
            if reveal:
                raise _reveal_denied()
            return DossierEssentialsV1.model_validate(essentials)
        if reveal and not may_reveal(principal, state.judge_id, state.panel, state.clerk_id):
            raise _reveal_denied()
        doc = dossiers.get(case_id)
        stages = steps_repo.stages_of(uow, case_id)
        if doc is None or not is_complete(doc) or doc.get("court_id") not in {s["court_id"] for s in stages}:
            raise not_found(case_id)  # cannot happen: the dossier is written before the case state commits
        pending = None if registry is None else registry.request(
            token, [p["party_id"] for p in doc.get("parties", [])], reveal)  # answered while the reads go on
        steps = steps_repo.steps_of(uow, case_id)
        header = doc["header"]
        full: dict[str, Any] = dict(
            **essentials, judge_name=doc.get("judge_name"), acceptance_number=header["acceptance_number"],
            subject=header["subject"],
            accepted_at=header["accepted_at"], accepted_on=date.fromisoformat(header["accepted_on"]),
            parties=doc.get("parties", []),
            documents=[DossierDocumentV1.model_validate({**_known(DossierDocumentV1, d), "versions": versions_of(d)})
                       for d in doc["documents"]],
            timeline=sorted([*(TimelineEntryV1(at=e["at"], kind=e["kind"], text_vi=e["text_vi"], text_en=e["text_en"])
                                for e in doc.get("timeline", [])), *(step_entry(s) for s in steps)],
                            key=lambda e: e.at),
            deadline=deadline_view(deadline), state=state.state, panel=list(state.panel), clerk_id=state.clerk_id,
            stages=[StageViewV1(**{k: s[k] for k in StageViewV1.model_fields}) for s in stages],
            hearings=[HearingViewV1(stage=s["stage"], court_id=s["court_id"],
                                    hearing_on=date.fromisoformat(s["params"]["hearing_on"]),
                                    room=s["params"].get("room", ""), panel=s["params"].get("panel", []))
                      for s in steps if "hearing_on" in s["params"]],
            deadlines=[v for v in map(deadline_view, repository.running_deadline_rows(uow, case_id)) if v],
            case_notes=notes_repo.notes_of(uow, case_id, state.judge_id))
    details, notices, shown = _party_details(full["parties"], pending, reveal, reason)
    view = DossierFullV1(**full, party_details=details, notices=notices, revealed=shown.revealed)
    with uows() as uow:
        repository.log_access(uow, principal, case_id, kind.value, now(), shown)
        uow.commit()
    return view


def case_deadline(principal: Principal, case_id: str, uows: UnitOfWorkFactory) -> CaseDeadlineV1:
    case_id = canonical_case_id(case_id)
    with uows() as uow:
        state = _state_in_court(uow, principal, case_id)
        deadline = repository.current_deadline(uow, case_id)
    return CaseDeadlineV1(case_id=case_id, case_code=format_case_id(case_id), status=state.status,
                          deadline=deadline_view(deadline))


def case_standing(principal: Principal, case_id: str, uows: UnitOfWorkFactory) -> CaseStandingV1:
    """Who ``principal`` is for the case: an access answer for other services, without any personal data and
    without an access-log row (nothing of the dossier is shown)."""
    case_id = canonical_case_id(case_id)
    with uows() as uow:
        state = _state_in_court(uow, principal, case_id)
    held = capacities(principal, state.court_id, state.judge_id, state.panel, state.clerk_id, None)
    return CaseStandingV1(case_id=case_id, case_code=format_case_id(case_id), court_id=state.court_id,
                          involved=view_kind(principal, state.judge_id, state.panel, state.clerk_id) is ViewKind.FULL,
                          capacities=sorted(held))
