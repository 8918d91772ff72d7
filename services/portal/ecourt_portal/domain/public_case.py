"""A case as the public may see it, and what it says in words on a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ecourt_portal.domain.deadlines import days_remaining, display_date, remaining_words
from ecourt_portal.domain.text import Text
from ecourt_portal.domain.wording import case_type_words, stage_words, status_words

NO_JUDGE = Text("Chưa phân công", "Not yet assigned (chưa phân công)")


@dataclass(frozen=True)
class PublicCase:
    case_id: str
    case_code: str
    acceptance_number: str | None
    case_type: str | None
    stage: str | None
    status: str | None
    judge_name: str | None
    accepted_on: date | None
    deadline_on: date | None
    deadline_rule_id: str | None
    legal_basis_vi: str | None
    legal_basis_en: str | None


@dataclass(frozen=True)
class DeadlineView:
    due_on: date
    due_on_display: str
    days_remaining: int
    remaining: Text
    legal_basis: Text
    rule_id: str | None


@dataclass(frozen=True)
class CaseView:
    case: PublicCase
    case_type: Text
    stage: Text
    status: Text
    judge: Text
    accepted_on_display: str | None
    deadline: DeadlineView | None


def describe(case: PublicCase, today: date) -> CaseView:
    deadline = None
    if case.deadline_on is not None:
        days = days_remaining(case.deadline_on, today)
        deadline = DeadlineView(due_on=case.deadline_on, due_on_display=display_date(case.deadline_on),
                                days_remaining=days, remaining=remaining_words(days),
                                legal_basis=Text(case.legal_basis_vi or "", case.legal_basis_en or ""),
                                rule_id=case.deadline_rule_id)
    judge = Text(case.judge_name, case.judge_name) if case.judge_name else NO_JUDGE
    return CaseView(case=case, case_type=case_type_words(case.case_type), stage=stage_words(case.stage),
                    status=status_words(case.status), judge=judge,
                    accepted_on_display=display_date(case.accepted_on) if case.accepted_on else None,
                    deadline=deadline)


def _pair(text: Text) -> dict[str, str]:
    return {"vi": text.vi, "en": text.en}


def as_json(view: CaseView) -> dict[str, Any]:
    """The JSON API's answer: codes for programs, words in both languages for people."""
    case, deadline = view.case, view.deadline
    return {
        "case_code": case.case_code,
        "acceptance_number": case.acceptance_number,
        "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
        "case_type": {"code": case.case_type, **_pair(view.case_type)},
        "stage": {"code": case.stage, **_pair(view.stage)},
        "status": {"code": case.status, **_pair(view.status)},
        "judge_name": case.judge_name,
        "next_deadline": None if deadline is None else {
            "due_on": deadline.due_on.isoformat(), "due_on_display": deadline.due_on_display,
            "days_remaining": deadline.days_remaining, "remaining": _pair(deadline.remaining),
            "legal_basis": _pair(deadline.legal_basis), "rule_id": deadline.rule_id},
    }

