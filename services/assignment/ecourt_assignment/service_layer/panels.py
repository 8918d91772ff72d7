"""Drawing the trial panel (Hội đồng xét xử) of a case, with the clerk, from one committed seed.

The presiding judge is the judge the case is assigned to (drawn first by the single-judge draw if the case is not
assigned yet). The other seats (further judges, lay assessors, substitutes, the clerk) follow ``panels.yaml``
for the case's stage and type, and are drawn exactly as a judge is: a seed committed and published in its own
transaction first (:func:`drawing.commit_draw`, purpose ``panel``), then, in a second transaction that locks the
commitment, the case and the candidates, every seat from that seed (``domain.panel_draw``). Each member's load
grows by the case weight over their capacity, as a judge's does. A refused draw voids its commitment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.contracts import PanelV1
from ecourt_assignment.domain.clock import court_day
from ecourt_assignment.domain.draw import case_weight, new_seed
from ecourt_assignment.domain.panel_draw import PANEL_ALGORITHM, SeatUnfilled, candidates_of, run_panel_draw
from ecourt_assignment.domain.panel_rules import Composition, Seat, panel_rules
from ecourt_assignment.domain.rules import competence, weight_tables
from ecourt_assignment.service_layer import drawing, errors
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_assignment.service_layer.panel_views import announce_panel, panel_view
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import Conflict, NotFound, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory


def composition_for(case: Any, complex_case: bool, substitutes: bool) -> Composition:
    try:
        return panel_rules().composition(case.case_type, case.stage, complex_case, substitutes)
    except LookupError:
        raise errors.no_panel_rule(case.case_type, case.stage) from None
    except ValueError:
        raise errors.no_complex_composition(case.case_type, case.stage) from None


def draw_panel(principal: Principal, case_id: str, uows: UnitOfWorkFactory, now: Callable[[], datetime], *,
               complex_case: bool = False, substitutes: bool = False, reason: str | None = None,
               seed_source: Callable[[], bytes] = new_seed, draw_id: str | None = None) -> PanelV1:
    """Draw the panel and the clerk of an inbox case. An enlarged (complex) panel or substitutes need a reason."""
    case_id = errors.canonical_case_id(case_id)
    if complex_case or substitutes or reason:
        reason = drawing.clean_reason(reason)
    with uows() as uow:
        case = repository.inbox_case(uow, principal.court_id, case_id)
        if case is None:
            raise errors.case_not_found(case_id)
        composition_for(case, complex_case, substitutes)  # refuse a case with no rule before committing anything
        if panel_repository.active_seats(uow, case_id, case.round):
            raise errors.panel_exists(case_id)
    if case.status != "assigned":
        drawing.assign_random(principal, case_id, uows, now, seed_source)
    if draw_id is None:
        draw_id = drawing.commit_draw(principal, case_id, uows, now, seed_source, purpose="panel").draw_id
    try:
        return retry_when_locked(
            lambda: _panel_once(principal, case_id, draw_id, uows, now, complex_case, substitutes, reason),
            lambda: errors.busy("case_id", case_id))
    except (Conflict, NotFound, RequestRejected) as refusal:
        drawing.void_commitment(uows, principal.court_id, case_id, draw_id, now, drawing.refusal_code(refusal))
        raise


def open_commitment(uow: UnitOfWork, court_id: str, case_id: str, draw_id: str, instant: datetime) -> Any:
    """The commitment ``draw_id``, locked and checked: of this court and case, open, not expired."""
    committed = repository.lock_commitment(uow, draw_id)
    if committed is None or committed.court_id != court_id:
        raise errors.commitment_not_found(draw_id)
    if committed.case_id != case_id:
        raise errors.commitment_of_other_case(draw_id, case_id)
    if committed.status != "open":
        raise errors.commitment_closed(draw_id, committed.status)
    if instant > committed.expires_at:
        raise errors.commitment_expired(draw_id, weight_tables().commitment_max_age_seconds)
    return committed


def seat_fields(case: Any, seat: Seat) -> tuple[str, ...]:
    """The specializations that make a member competent for ``seat``: judges follow the minors' rule of the case
    type (competence.yaml), assessors only on the seats ``panels.yaml`` names (khoản 2 Điều 423 BLTTHS 2015),
    clerks and the other assessors the case type's fields."""
    minors = case.has_minor and (seat.kind == "judge" or seat.label in panel_rules().minor_assessor_seats)
    return competence().fields_for(case.case_type, minors)


def pools_for(uow: UnitOfWork, court_id: str, case: Any, seats: list[Seat]) -> dict[str, list[Any]]:
    """Roster rows, locked, per kind; and per seat label for a seat whose fields differ from its kind's."""
    rows: dict[str, list[Any]] = {}
    for seat in sorted(seats, key=lambda s: (s.kind, s.label)):
        wanted = seat_fields(case, seat)
        common = seat_fields(case, Seat("", seat.kind))
        key = seat.kind if wanted == common else seat.label
        if key not in rows:
            rows[key] = repository.lock_candidates(uow, court_id, wanted, seat.kind)
    return rows


def _panel_once(principal: Principal, case_id: str, draw_id: str, uows: UnitOfWorkFactory,
                now: Callable[[], datetime], complex_case: bool, substitutes: bool, reason: str | None) -> PanelV1:
    court_id = principal.court_id
    with uows() as uow:
        instant = now()
        committed = open_commitment(uow, court_id, case_id, draw_id, instant)
        case = repository.lock_inbox_case(uow, court_id, case_id)
        if case is None:
            raise errors.case_not_found(case_id)
        current = repository.lock_assignment(uow, court_id, case_id)
        if current is None:
            raise errors.not_assigned(case_id)
        if panel_repository.lock_active_seats(uow, case_id, case.round):
            raise errors.panel_exists(case_id)
        composition = composition_for(case, complex_case, substitutes)
        seats = [s for s in composition.seats() if s.label != "presiding"]
        rows = pools_for(uow, court_id, case, seats)
        members = {r.judge_id: r for kind_rows in rows.values() for r in kind_rows}
        day = court_day(instant)
        excluded = drawing.exclusions(uow, court_id, case_id, day, sorted(members), {})
        table = weight_tables().in_force(day)
        weight = case_weight(table, case.case_type, case.stage, case.party_count)
        try:
            outcome = run_panel_draw("panel", case_id, bytes.fromhex(committed.seed), seats,
                                     {k: candidates_of(v) for k, v in rows.items()}, excluded, weight, table.draw,
                                     {current.judge_id: "presiding"}, composition)
        except SeatUnfilled as exc:
            raise errors.seat_unfilled(exc.seat.label, exc.seat.kind, exc.excluded) from None
        record = outcome.record()
        panel_repository.insert_panel_draw(uow, {
            "draw_id": draw_id, "case_id": case_id, "court_id": court_id, "round": case.round, "kind": "panel",
            "algorithm": PANEL_ALGORITHM, "seed_commitment": record["seed_commitment"], "record": record,
            "reason": reason, "drawn_by": principal.user_id, "drawn_at": instant})
        repository.close_commitment(uow, draw_id, "used", instant)
        base = {"case_id": case_id, "court_id": court_id, "stage": case.stage, "round": case.round,
                "assigned_by": principal.user_id, "assigned_at": instant}
        # the presiding judge's load already counts the case through the assignment: the seat adds nothing
        panel_repository.insert_seat(uow, {**base, "seat": "presiding", "kind": "judge", "member_id": current.judge_id,
                                           "method": "assigned", "draw_id": current.draw_id,
                                           "weight": current.weight, "accrual": 0, "reason": None})
        for drawn in outcome.seats:
            repository.add_load(uow, drawn.outcome.winner, drawn.outcome.accrual, instant)
            panel_repository.insert_seat(uow, {
                **base, "seat": drawn.seat.label, "kind": drawn.seat.kind, "member_id": drawn.outcome.winner,
                "method": "random", "draw_id": draw_id, "weight": weight.value, "accrual": drawn.outcome.accrual,
                "reason": reason})
        announce_panel(uow, court_id, case_id, case.round, draw_id)
        view = panel_view(uow, case)
        uow.commit()
    return view
