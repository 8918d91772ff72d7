"""What the president and the judges read: the inbox, a judge's cases, the roster, draws, fairness, tables.

Every read is scoped to the principal's court: a case or judge of another court is simply not found.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.contracts import (
    FairnessJudgeV1,
    FairnessViewV1,
    InboxCaseV1,
    JudgeCaseV1,
    RosterJudgeV1,
    UnavailabilityV1,
)
from ecourt_assignment.domain.clock import court_today
from ecourt_assignment.domain.draw import differences
from ecourt_assignment.domain.fairness import gini, spread
from ecourt_assignment.domain.panel_draw import PANEL_ALGORITHM, panel_differences
from ecourt_assignment.domain.rules import weight_table, weight_tables
from ecourt_assignment.service_layer import errors
from ecourt_assignment.service_layer.drawing import group_related
from ecourt_shared.auth import Principal, Role
from ecourt_shared.auth.nameko import denied
from ecourt_shared.contracts.errors import NotFound, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory


def awaiting_cases(principal: Principal, uows: UnitOfWorkFactory) -> list[InboxCaseV1]:
    """The inbox, each case with the other cases of the court that share a party (flagged, never moved)."""
    with uows() as uow:
        rows = repository.awaiting(uow, principal.court_id)
        related = repository.related_cases(uow, principal.court_id, [r.case_id for r in rows])
    fields = set(InboxCaseV1.model_fields) - {"related_cases"}
    return [InboxCaseV1.model_validate({**{k: v for k, v in row._mapping.items() if k in fields},
                                        "related_cases": group_related(related.get(row.case_id, []))})
            for row in rows]


def judge_cases(principal: Principal, uows: UnitOfWorkFactory, judge_id: str | None = None) -> list[JudgeCaseV1]:
    """A judge sees their own cases; the president may name any judge of the court."""
    if judge_id is not None and judge_id != principal.judge_id and not principal.has(Role.PRESIDENT):
        raise denied("Chỉ Chánh án được xem vụ án của Thẩm phán khác.",
                     "Only the court president may see another judge's cases.")
    target = judge_id or principal.judge_id
    if not target:
        raise RequestRejected.single("judge_id", "judge_id.required",
                                     "Cần chọn Thẩm phán (tài khoản không gắn với Thẩm phán nào).",
                                     "name a judge (this account is not linked to a judge)")
    with uows() as uow:
        if repository.judge(uow, principal.court_id, target) is None:
            if target == principal.judge_id:
                return []  # a judge not yet on the roster simply has no cases
            raise errors.judge_not_found(target)
        rows = repository.cases_of_judge(uow, principal.court_id, target)
    return [JudgeCaseV1.model_validate(dict(row._mapping)) for row in rows]


def roster_entry(row: Any, away: list[Any] | None = None) -> RosterJudgeV1:
    today = court_today()
    periods = [UnavailabilityV1(kind=a.kind, starts_on=a.starts_on, ends_on=a.ends_on, reason=a.reason)
               for a in away or []]
    return RosterJudgeV1(judge_id=row.judge_id, full_name=row.full_name, specializations=list(row.specializations),
                         capacity=str(Decimal(row.capacity).normalize()), active=row.active,
                         load_total=str(row.load_total), assigned_cases=int(row.assigned_cases),
                         available_today=not any(p.starts_on <= today <= p.ends_on for p in periods),
                         unavailability=periods, kind=row.kind)


def roster(principal: Principal, uows: UnitOfWorkFactory, kind: str | None = "judge") -> list[RosterJudgeV1]:
    with uows() as uow:
        rows = repository.roster(uow, principal.court_id, kind)
        away = repository.unavailability_of_court(uow, principal.court_id, court_today())
    by_judge: dict[str, list[Any]] = {}
    for a in away:
        by_judge.setdefault(a.judge_id, []).append(a)
    return [roster_entry(row, by_judge.get(row.judge_id)) for row in rows]


def record_of(row: Any) -> dict[str, Any]:
    """The replayable record of a draw row (what ``verify`` and an export hold)."""
    return {"algorithm": row.algorithm, "case_id": row.case_id, "seed_commitment": row.seed_commitment,
            "seed": row.seed, "weight": row.weight, "parameters": row.parameters, "candidates": row.candidates,
            "eligible": row.eligible, "winner": row.winner_judge_id, "accrual": str(row.accrual),
            "random_blocks_used": row.random_blocks_used, "excluded": row.excluded or []}


def export_of(row: Any) -> dict[str, Any]:
    """A draw as exported for an auditor: the record plus when the commitment was made, published and used."""
    return {"draw_id": row.draw_id, "court_id": row.court_id, "drawn_by": row.drawn_by,
            "committed_at": row.committed_at.isoformat(),
            "seen_on_bus_at": row.seen_on_bus_at.isoformat() if row.seen_on_bus_at else None,
            "drawn_at": row.drawn_at.isoformat(), "published_commitment": row.published_commitment,
            "record": record_of(row)}


def panel_export_of(row: Any) -> dict[str, Any]:
    """A panel draw (or a replacement seat's draw) as exported: its record holds a complete record per seat."""
    return {"draw_id": row.draw_id, "court_id": row.court_id, "drawn_by": row.drawn_by,
            "committed_at": row.committed_at.isoformat(),
            "seen_on_bus_at": row.seen_on_bus_at.isoformat() if row.seen_on_bus_at else None,
            "drawn_at": row.drawn_at.isoformat(), "published_commitment": row.published_commitment,
            "reason": row.reason, "record": row.record}


def audit(export: dict[str, Any]) -> list[str]:
    """Everything wrong with an exported draw: the replay, the weight table, and the order commit-then-draw."""
    record = export["record"]
    if record.get("algorithm") == PANEL_ALGORITHM:
        found = panel_differences(record, weight_tables().version)
    else:
        found = differences(record, weight_tables().version)
    published = export.get("published_commitment")
    if published is not None and published != export["record"].get("seed_commitment"):
        found.append(f"seed_commitment: the record has {export['record'].get('seed_commitment')}, the commitment "
                     f"published before the draw was {published}")
    committed, drawn = export.get("committed_at"), export.get("drawn_at")
    if committed and drawn and datetime.fromisoformat(str(committed)) > datetime.fromisoformat(str(drawn)):
        found.append(f"committed_at: the commitment ({committed}) is later than the draw ({drawn})")
    return found


def draw_by_id(uow: UnitOfWork, court_id: str | None, draw_id: str) -> dict[str, Any]:
    row = repository.draw_by_id(uow, draw_id)
    if row is None:
        panel = panel_repository.panel_draw_by_id(uow, draw_id)
        if panel is not None and (court_id is None or panel.court_id == court_id):
            return panel_export_of(panel)
    if row is None or (court_id is not None and row.court_id != court_id):
        raise NotFound({"errors": [{"field": "draw_id", "code": "draw.not_found",
                                    "message_vi": f"Không tìm thấy lần bốc thăm {draw_id} của Tòa án.",
                                    "message_en": f"draw {draw_id} is not among this court's draws"}]})
    return export_of(row)


def draw_of_case(principal: Principal, case_id: str, uows: UnitOfWorkFactory) -> dict[str, Any]:
    """The latest draw of a case as recorded, with the result of replaying it (``verified``, ``differences``)."""
    case_id = errors.canonical_case_id(case_id)
    with uows() as uow:
        row = repository.latest_draw(uow, principal.court_id, case_id)
        if row is None:
            raise errors.case_not_found(case_id)
        export = draw_by_id(uow, principal.court_id, row.draw_id)
    found = audit(export)
    return {**export, "verified": not found, "differences": found}


def verify(principal: Principal, draw_id: str, uows: UnitOfWorkFactory) -> dict[str, Any]:
    with uows() as uow:
        export = draw_by_id(uow, principal.court_id, draw_id)
    found = audit(export)
    return {**export, "verified": not found, "differences": found}


def fairness(principal: Principal, uows: UnitOfWorkFactory) -> FairnessViewV1:
    """Load per judge, spread, Gini, escape rate, designations versus draws, voided commitments."""
    with uows() as uow:
        rows = repository.roster(uow, principal.court_id)
        counts = repository.fairness_counts(uow, principal.court_id)
        methods = repository.methods_per_judge(uow, principal.court_id)
    active = [Decimal(r.load_total) for r in rows if r.active]
    table = weight_table()
    draws = counts["draws"]
    return FairnessViewV1(
        court_id=principal.court_id,
        judges=[FairnessJudgeV1(judge_id=r.judge_id, full_name=r.full_name,
                                capacity=str(Decimal(r.capacity).normalize()), load_total=str(r.load_total),
                                random_cases=methods.get((r.judge_id, "random"), 0),
                                designated_cases=methods.get((r.judge_id, "designation"), 0)) for r in rows],
        spread=str(spread(active)), gini=str(gini(active)), max_distance=str(table.draw.max_distance),
        draws=draws, escapes=counts["escapes"],
        escape_rate=str((Decimal(counts["escapes"]) / draws).quantize(Decimal("0.0001")) if draws else Decimal(0)),
        designations=counts["designations"], reassignments=counts["reassignments"],
        void_commitments=counts["void_commitments"], weight_table_version=table.version)


def tables() -> list[dict[str, Any]]:
    """Every version of the weight table with the act that approved it and what changed (the change log)."""
    return [t.as_record() for t in weight_tables().tables]
