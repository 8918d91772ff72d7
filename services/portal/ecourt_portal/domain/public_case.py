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
class Transfer:
    """The latest move of the case to another court (chuyển vụ án, or sáp nhập of its court)."""

    court_id: str
    from_court_id: str
    reason: str  # transfer | merger
    transferred_on: date
    court_name: Text | None  # the public name of court_id, when casefile sent it


@dataclass(frozen=True)
class Alert:
    """Casefile's latest deadline alert still standing for the case."""

    kind: str  # approaching | missed
    rule_id: str
    due_on: date
    legal_basis: Text


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
    court: str | None = None  # the court that holds the case now
    transfer: Transfer | None = None
    alert: Alert | None = None


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
    court: Text | None = None  # "Tòa án …" holding the case, by name when known, else by code
    transfer_note: Text | None = None
    alert: AlertView | None = None


@dataclass(frozen=True)
class AlertView:
    kind: str
    headline: Text
    due_on: date
    due_on_display: str
    days_remaining: int
    remaining: Text
    legal_basis: Text
    rule_id: str


def court_words(case: PublicCase) -> Text | None:
    if case.court is None:
        return None
    named = case.transfer is not None and case.transfer.court_id == case.court and case.transfer.court_name
    if named:
        assert case.transfer is not None and case.transfer.court_name is not None
        name = case.transfer.court_name
        return Text(f"{name.vi} (mã {case.court})", f"{name.en} (code {case.court})")
    return Text(f"Tòa án mã {case.court}", f"Court code {case.court} (mã Tòa án)")


def transfer_words(transfer: Transfer | None) -> Text | None:
    """Why the case is at another court now; the case code and the receipt secret stay the same."""
    if transfer is None:
        return None
    day = display_date(transfer.transferred_on)
    if transfer.reason == "merger":
        return Text(f"Ngày {day}, Tòa án mã {transfer.from_court_id} được sáp nhập; vụ án được chuyển sang Tòa án "
                    f"mã {transfer.court_id}. Mã vụ án và mã bí mật trên giấy biên nhận không thay đổi.",
                    f"On {transfer.transferred_on.isoformat()} court {transfer.from_court_id} was merged "
                    f"(sáp nhập) and the case moved to court {transfer.court_id}. The case code and the receipt "
                    f"secret stay the same.")
    return Text(f"Ngày {day}, vụ án được chuyển từ Tòa án mã {transfer.from_court_id} sang Tòa án mã "
                f"{transfer.court_id}. Mã vụ án và mã bí mật trên giấy biên nhận không thay đổi.",
                f"On {transfer.transferred_on.isoformat()} the case was transferred (chuyển vụ án) from court "
                f"{transfer.from_court_id} to court {transfer.court_id}. The case code and the receipt secret "
                f"stay the same.")


def alert_view(alert: Alert | None, today: date) -> AlertView | None:
    """An approaching deadline is shown until it passes; a missed one until the case moves on."""
    if alert is None:
        return None
    days = days_remaining(alert.due_on, today)
    if alert.kind == "approaching" and days < 0:
        return None  # passed: casefile's watch sends "missed" the next day
    headline = (Text("Sắp đến hạn cuối của thời hạn tố tụng", "A procedural deadline is approaching (sắp đến hạn)")
                if alert.kind == "approaching" else
                Text("Thời hạn tố tụng đã qua mà Tòa án chưa ghi nhận bước tiếp theo",
                     "A procedural deadline has passed without the court recording the next step (quá hạn)"))
    return AlertView(kind=alert.kind, headline=headline, due_on=alert.due_on, due_on_display=display_date(alert.due_on),
                     days_remaining=days, remaining=remaining_words(days), legal_basis=alert.legal_basis,
                     rule_id=alert.rule_id)


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
                    deadline=deadline, court=court_words(case), transfer_note=transfer_words(case.transfer),
                    alert=alert_view(case.alert, today))


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
        "court": None if view.court is None else {"code": case.court, **_pair(view.court)},
        "transfer": None if case.transfer is None or view.transfer_note is None else {
            "from_court": case.transfer.from_court_id, "to_court": case.transfer.court_id,
            "reason": case.transfer.reason, "transferred_on": case.transfer.transferred_on.isoformat(),
            **_pair(view.transfer_note)},
        "deadline_alert": None if view.alert is None else {
            "kind": view.alert.kind, **_pair(view.alert.headline), "due_on": view.alert.due_on.isoformat(),
            "due_on_display": view.alert.due_on_display, "days_remaining": view.alert.days_remaining,
            "remaining": _pair(view.alert.remaining), "legal_basis": _pair(view.alert.legal_basis),
            "rule_id": view.alert.rule_id},
    }

