"""Replacing one panel member (recusal, illness, secondment), with a mandatory reason.

The member leaves the seat and their load loses what the seat added (compensation, logged in
``assignment_moves``); the seat is then filled by a draw of that one seat (its own commitment, published first,
replayable like a panel draw) or by the president's designation of a named member (shown as such, with the
reason). The presiding judge is the case's judge and moves with ``reassign``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ecourt_assignment.adapters import panel_repository, repository
from ecourt_assignment.contracts import PanelV1
from ecourt_assignment.domain.clock import court_day
from ecourt_assignment.domain.draw import accrual, case_weight, new_seed
from ecourt_assignment.domain.panel_draw import PANEL_ALGORITHM, SeatUnfilled, candidates_of, run_panel_draw
from ecourt_assignment.domain.panel_rules import Seat
from ecourt_assignment.domain.rules import competence, weight_tables
from ecourt_assignment.service_layer import drawing, errors
from ecourt_assignment.service_layer.locking import retry_when_locked
from ecourt_assignment.service_layer.panel_views import announce_panel, panel_view
from ecourt_assignment.service_layer.panels import open_commitment, pools_for, seat_fields
from ecourt_shared.auth import Principal
from ecourt_shared.contracts.errors import Conflict, NotFound, RequestRejected
from ecourt_shared.db import UnitOfWork, UnitOfWorkFactory


def replace_member(principal: Principal, case_id: str, member_id: str, reason: str, uows: UnitOfWorkFactory,
                   now: Callable[[], datetime], *, designate: str | None = None,
                   seed_source: Callable[[], bytes] = new_seed, draw_id: str | None = None) -> PanelV1:
    """Take ``member_id`` off the case's panel and fill the seat by draw, or with ``designate`` (a named member)."""
    case_id = errors.canonical_case_id(case_id)
    reason = drawing.clean_reason(reason)
    if designate:
        return retry_when_locked(
            lambda: _replace_once(principal, case_id, member_id, reason, uows, now, designate, None),
            lambda: errors.busy("case_id", case_id))
    with uows() as uow:  # refuse the obvious before publishing a commitment
        _seat_of(uow, principal.court_id, case_id, member_id, lock=False)
    if draw_id is None:
        draw_id = drawing.commit_draw(principal, case_id, uows, now, seed_source, purpose="panel_seat").draw_id
    chosen = draw_id
    try:
        return retry_when_locked(
            lambda: _replace_once(principal, case_id, member_id, reason, uows, now, None, chosen),
            lambda: errors.busy("case_id", case_id))
    except (Conflict, NotFound, RequestRejected) as refusal:
        drawing.void_commitment(uows, principal.court_id, case_id, chosen, now, drawing.refusal_code(refusal))
        raise


def _seat_of(uow: UnitOfWork, court_id: str, case_id: str, member_id: str, lock: bool) -> tuple[Any, Any, list[Any]]:
    case = (repository.lock_inbox_case if lock else repository.inbox_case)(uow, court_id, case_id)
    if case is None:
        raise errors.case_not_found(case_id)
    seats = (panel_repository.lock_active_seats(uow, case_id, case.round) if lock
             else panel_repository.active_seats(uow, case_id, case.round))
    if not seats:
        raise errors.no_panel(case_id)
    seat = next((s for s in seats if s.member_id == member_id), None)
    if seat is None:
        raise errors.member_not_on_panel(member_id, case_id)
    if seat.seat == "presiding":
        raise errors.presiding_moves_by_reassign(case_id)
    return case, seat, seats


def _replace_once(principal: Principal, case_id: str, member_id: str, reason: str, uows: UnitOfWorkFactory,
                  now: Callable[[], datetime], designate: str | None, draw_id: str | None) -> PanelV1:
    court_id = principal.court_id
    with uows() as uow:
        instant = now()
        committed = open_commitment(uow, court_id, case_id, draw_id, instant) if draw_id else None
        case, seat, seats = _seat_of(uow, court_id, case_id, member_id, lock=True)
        leaving = repository.lock_judge(uow, member_id)
        if leaving is None:
            raise errors.judge_not_found(member_id)
        seated = {s.member_id: s.seat for s in seats if s.id != seat.id}
        place = Seat(seat.seat, seat.kind)
        pools = pools_for(uow, court_id, case, [place])
        rows = pools.get(place.label, pools.get(place.kind, []))
        ids = sorted({r.judge_id for r in rows} | ({designate} if designate else set()))
        excluded = drawing.exclusions(uow, court_id, case_id, court_day(instant), ids, {member_id: "leaving_seat"})
        weight = Decimal(seat.weight)
        if committed is not None:
            table = weight_tables().in_force(court_day(instant))
            case_w = case_weight(table, case.case_type, case.stage, case.party_count)
            try:
                outcome = run_panel_draw("replacement", case_id, bytes.fromhex(committed.seed),
                                         [place], {seat.kind: candidates_of(rows)}, excluded,
                                         case_w, table.draw, seated)
            except SeatUnfilled as exc:
                raise errors.seat_unfilled(exc.seat.label, exc.seat.kind, exc.excluded) from None
            record = outcome.record()
            panel_repository.insert_panel_draw(uow, {
                "draw_id": draw_id, "case_id": case_id, "court_id": court_id, "round": case.round,
                "kind": "replacement", "algorithm": PANEL_ALGORITHM, "seed_commitment": record["seed_commitment"],
                "record": record, "reason": reason, "drawn_by": principal.user_id, "drawn_at": instant})
            repository.close_commitment(uow, draw_id or "", "used", instant)
            newcomer, accrued, method = outcome.seats[0].outcome.winner, outcome.seats[0].outcome.accrual, "random"
            weight = case_w.value
        else:
            newcomer = str(designate)
            accrued, method = _designated(uow, court_id, case, seat, newcomer, excluded, seated, weight), "designation"
        repository.add_load(uow, member_id, -Decimal(seat.accrual), instant)
        panel_repository.end_seat(uow, seat.id, instant, f"replaced: {reason}")
        repository.add_move(uow, {"case_id": case_id, "court_id": court_id, "from_judge_id": member_id,
                                  "to_judge_id": newcomer, "method": method, "draw_id": draw_id,
                                  "reason": f"{seat.seat}: {reason}", "compensation": Decimal(seat.accrual),
                                  "moved_by": principal.user_id, "moved_at": instant})
        repository.add_load(uow, newcomer, accrued, instant)
        panel_repository.insert_seat(uow, {
            "case_id": case_id, "court_id": court_id, "stage": case.stage, "round": case.round, "seat": seat.seat,
            "kind": seat.kind, "member_id": newcomer, "method": method, "draw_id": draw_id, "weight": weight,
            "accrual": accrued, "reason": reason, "assigned_by": principal.user_id, "assigned_at": instant})
        announce_panel(uow, court_id, case_id, case.round, draw_id)
        view = panel_view(uow, case)
        uow.commit()
    return view


def _designated(uow: UnitOfWork, court_id: str, case: Any, seat: Any, member_id: str, excluded: dict[str, str],
                seated: dict[str, str], weight: Decimal) -> Decimal:
    """The accrual of a designated member, after checking they may take the seat (else refused by name)."""
    member = repository.lock_judge(uow, member_id)
    if member is None or member.court_id != court_id:
        raise errors.judge_not_found(member_id)
    kind_vi = errors.KIND_VI[seat.kind]
    if member.kind != seat.kind:
        raise errors.member_refused(member_id, "member.wrong_kind", f"ghế {seat.seat} dành cho {kind_vi}.",
                                    f"seat {seat.seat} is for a {seat.kind}")
    if not member.active:
        raise errors.member_refused(member_id, "member.inactive", "không còn hoạt động.", "not active")
    fields = competence()
    wanted = seat_fields(case, Seat(seat.seat, seat.kind))
    if not set(wanted) & set(member.specializations):
        vi, en = fields.names(wanted)
        raise errors.member_refused(member_id, "member.not_competent", f"không thuộc lĩnh vực {vi}.",
                                    f"not of the {en} field")
    if member_id in seated:
        raise errors.member_refused(member_id, "member.on_panel", f"đang ngồi ghế {seated[member_id]}.",
                                    f"already holds seat {seated[member_id]}")
    if member_id in excluded:
        raise errors.member_refused(member_id, "member.excluded", f"bị loại ({excluded[member_id]}).",
                                    f"kept out ({excluded[member_id]})")
    return accrual(weight, Decimal(member.capacity))
