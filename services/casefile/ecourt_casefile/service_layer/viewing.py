"""Reading a case: the dossier in the view the caller may see, and the case's current deadline.

The case is looked up within the caller's court only, so a case of another court is ``NotFound``, exactly
like a case that does not exist (no probing). Every full view is written to ``access_log`` and committed
before the dossier is returned: no full view without its trace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from ecourt_casefile.adapters import procedure as steps_repo
from ecourt_casefile.adapters import repository
from ecourt_casefile.adapters.dossiers import DossierStore
from ecourt_casefile.contracts import (
    CaseDeadlineV1,
    DeadlineViewV1,
    DossierDocumentV1,
    DossierEssentialsV1,
    DossierFullV1,
    ExplanationStepV1,
    HearingViewV1,
    StageViewV1,
    TimelineEntryV1,
)
from ecourt_casefile.domain.access import ViewKind, view_kind
from ecourt_casefile.domain.dossier import is_complete
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import NotFound, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory
from ecourt_shared.identifiers import IdentifierError, format_case_id, parse_case_id


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


def get_dossier(principal: Principal, case_id: str, uows: UnitOfWorkFactory, dossiers: DossierStore,
                now: Callable[[], datetime]) -> DossierEssentialsV1 | DossierFullV1:
    case_id = canonical_case_id(case_id)
    with uows() as uow:
        state = _state_in_court(uow, principal, case_id)
        deadline = repository.current_deadline(uow, case_id)
        essentials = {
            "case_id": state.case_id, "case_code": format_case_id(state.case_id), "court_id": state.court_id,
            "case_type": state.case_type, "stage": state.stage, "status": state.status, "judge_id": state.judge_id,
            "next_deadline_on": deadline.due_on if deadline else None}
        kind = view_kind(principal, state.judge_id, state.panel, state.clerk_id)
        if kind is ViewKind.ESSENTIALS:
            return DossierEssentialsV1.model_validate(essentials)
        doc = dossiers.get(case_id)
        stages = steps_repo.stages_of(uow, case_id)
        if doc is None or not is_complete(doc) or doc.get("court_id") not in {s["court_id"] for s in stages}:
            raise not_found(case_id)  # cannot happen: the dossier is written before the case state commits
        steps = steps_repo.steps_of(uow, case_id)
        header = doc["header"]
        view = DossierFullV1(
            **essentials, judge_name=doc.get("judge_name"), acceptance_number=header["acceptance_number"],
            subject=header["subject"],
            accepted_at=header["accepted_at"], accepted_on=date.fromisoformat(header["accepted_on"]),
            parties=doc.get("parties", []),
            documents=[DossierDocumentV1.model_validate(_known(DossierDocumentV1, d)) for d in doc["documents"]],
            timeline=sorted([*(TimelineEntryV1(at=e["at"], kind=e["kind"], text_vi=e["text_vi"], text_en=e["text_en"])
                                for e in doc.get("timeline", [])), *(step_entry(s) for s in steps)],
                            key=lambda e: e.at),
            deadline=deadline_view(deadline), state=state.state, panel=list(state.panel), clerk_id=state.clerk_id,
            stages=[StageViewV1(**{k: s[k] for k in StageViewV1.model_fields}) for s in stages],
            hearings=[HearingViewV1(stage=s["stage"], court_id=s["court_id"],
                                    hearing_on=date.fromisoformat(s["params"]["hearing_on"]),
                                    room=s["params"].get("room", ""), panel=s["params"].get("panel", []))
                      for s in steps if "hearing_on" in s["params"]],
            deadlines=[v for v in map(deadline_view, repository.running_deadline_rows(uow, case_id)) if v])
        repository.log_access(uow, principal, case_id, kind.value, now())
        uow.commit()
    return view


def case_deadline(principal: Principal, case_id: str, uows: UnitOfWorkFactory) -> CaseDeadlineV1:
    case_id = canonical_case_id(case_id)
    with uows() as uow:
        state = _state_in_court(uow, principal, case_id)
        deadline = repository.current_deadline(uow, case_id)
    return CaseDeadlineV1(case_id=case_id, case_code=format_case_id(case_id), status=state.status,
                          deadline=deadline_view(deadline))
