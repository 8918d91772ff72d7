"""Trial panels on the real database (handlers called in-process): the panel draw and its replay, the clerk,
loads, earlier-stage exclusion when a case opens a new stage, replacing a member, and concurrent draws.

Each test works in its own court.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from ecourt_assignment import cli
from ecourt_assignment.adapters.orm import draw_commitments, metadata, outbox
from ecourt_assignment.contracts import ConflictInputV1, JudgeInputV1, PanelV1, UnavailabilityInputV1
from ecourt_assignment.domain.clock import court_day
from ecourt_assignment.service_layer import (
    designation,
    drawing,
    panel_views,
    panels,
    queries,
    receiving,
    replacement,
    stages,
)
from ecourt_assignment.service_layer import judges as roster_handlers
from ecourt_shared.auth import Principal, Role
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import Conflict, NotFound, RequestRejected
from ecourt_shared.contracts.events import CaseProgressedV1, CaseReceivedV1, PartyRefV1
from ecourt_shared.db import UnitOfWorkFactory
from ecourt_shared.identifiers import make_case_id

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def uows(ecourt_env: Any, migrated: Callable[[str], None]) -> Iterator[UnitOfWorkFactory]:
    migrated("ecourt_assignment")
    engine = create_engine(ecourt_env.settings.database_url("assignment"), pool_size=12)
    yield UnitOfWorkFactory(engine, metadata)
    engine.dispose()


class Court:
    def __init__(self, uows: UnitOfWorkFactory) -> None:
        self.uows = uows
        self.court_id = f"P{uuid.uuid4().hex[:5].upper()}"
        self.president = Principal(user_id=f"chanhan-{self.court_id}", court_id=self.court_id,
                                   roles=[Role.PRESIDENT], display_name="Chánh án")
        self.serial = 0
        self.clock = datetime.now(UTC)

    def now(self) -> datetime:
        return self.clock

    def member(self, kind: str, n: int, specializations: tuple[str, ...] = ("civil",), capacity: str = "1") -> str:
        prefix = {"judge": "TP", "assessor": "HT", "clerk": "TK"}[kind]
        member_id = f"{self.court_id}-{prefix}-{n}"
        roster_handlers.register_judge(self.president, JudgeInputV1(
            judge_id=member_id, full_name=f"{prefix} Số {n}", specializations=list(specializations),
            capacity=Decimal(capacity), kind=kind), self.uows, self.now)
        return member_id

    def staff(self, judges: int = 5, assessors: int = 4, clerks: int = 2) -> None:
        for n in range(1, judges + 1):
            self.member("judge", n)
        for n in range(1, assessors + 1):
            self.member("assessor", n, capacity="0.5" if n == 1 else "1")
        for n in range(1, clerks + 1):
            self.member("clerk", n)

    def case(self, case_type: str = "DS", minor: bool = False) -> str:
        self.serial += 1
        case_id = make_case_id(self.court_id, 2026, self.serial)
        payload = CaseReceivedV1(
            court_id=self.court_id, case_id=case_id, acceptance_number=f"{self.serial:02d}/2026/TLST-{case_type}",
            case_type=case_type, stage="ST", subject="Tranh chấp hợp đồng", accepted_at=self.clock,
            accepted_on=date.today(), documents=[], receipt_secret_hash="0" * 64,
            parties=[PartyRefV1(party_id=f"P-{self.court_id}-{self.serial}-{i}", role="plaintiff",
                                is_minor=minor and i == 0) for i in range(2)])
        receiving.record_received_case(payload, EventEnvelope.wrap(payload), self.uows, self.now)
        return case_id

    def progressed(self, case_id: str, stage: str, court_id: str | None = None, from_court_id: str | None = None,
                   step: str = "lodge_appeal") -> bool:
        payload = CaseProgressedV1(court_id=court_id or self.court_id, case_id=case_id, case_type="DS", stage=stage,
                                   status="accepted", deadline=None, step=step, from_court_id=from_court_id)
        return stages.record_progress(payload, EventEnvelope.wrap(payload), self.uows, self.now)

    def loads(self) -> dict[str, Decimal]:
        return {m.judge_id: Decimal(m.load_total) for m in queries.roster(self.president, self.uows, None)}


@pytest.fixture
def court(uows: UnitOfWorkFactory) -> Court:
    return Court(uows)


def seat(panel: PanelV1, label: str) -> Any:
    return next(s for s in panel.seats if s.seat == label)


def test_a_first_instance_civil_panel_is_a_judge_two_assessors_and_a_clerk_and_every_seat_replays(court: Court):
    court.staff()
    case_id = court.case()
    before = court.loads()
    panel = panels.draw_panel(court.president, case_id, court.uows, court.now)

    assert [s.seat for s in panel.seats] == ["presiding", "assessor-1", "assessor-2", "clerk"]
    assert [s.kind for s in panel.seats] == ["judge", "assessor", "assessor", "clerk"]
    assert seat(panel, "presiding").method == "assigned" and panel.clerk_id == seat(panel, "clerk").member_id
    assert "Điều 63 BLTTDS 2015" in panel.composition["source"]["vi"]
    checked = queries.verify(court.president, panel.draw_id or "", court.uows)
    assert checked["verified"] is True and checked["differences"] == []
    assert cli.main(["verify", panel.draw_id or ""]) == 0

    after = court.loads()  # every member's load counts the case: weight / capacity, the judge through the assignment
    for s in panel.seats[1:]:
        assert after[s.member_id] - before[s.member_id] == Decimal(s.accrual) > 0
    half_time = f"{court.court_id}-HT-1"
    if half_time in {s.member_id for s in panel.seats}:
        assert Decimal(seat(panel, next(s.seat for s in panel.seats if s.member_id == half_time)).accrual) == 2
    presiding = seat(panel, "presiding").member_id
    assert after[presiding] - before[presiding] == Decimal("1.0000")  # the single draw's accrual, not twice

    with court.uows() as uow:  # casefile and the portal learn the panel and the clerk
        events = [e for (e,) in uow.execute(select(outbox.c.envelope)).all()
                  if e["event_type"] == "case_assigned" and e["payload"]["case_id"] == case_id]
    announced = events[-1]["payload"]
    assert [m["seat"] for m in announced["panel"]] == ["presiding", "assessor-1", "assessor-2"]
    assert announced["clerk_id"] == panel.clerk_id and announced["panel_draw_id"] == panel.draw_id
    assert announced["judge_id"] == presiding

    with pytest.raises(Conflict) as again:
        panels.draw_panel(court.president, case_id, court.uows, court.now)
    assert again.value.detail["errors"][0]["code"] == "panel.already_drawn"


def test_a_complex_panel_with_substitutes_needs_a_reason_and_follows_the_enlarged_composition(court: Court):
    court.staff(judges=4, assessors=5)
    case_id = court.case()
    with pytest.raises(RequestRejected) as missing:
        panels.draw_panel(court.president, case_id, court.uows, court.now, complex_case=True)
    assert missing.value.detail["errors"][0]["field"] == "reason"
    panel = panels.draw_panel(court.president, case_id, court.uows, court.now, complex_case=True,
                              substitutes=True, reason="Vụ án có nhiều đương sự, xét xử kéo dài nhiều ngày")
    assert [s.seat for s in panel.seats] == ["presiding", "judge-2", "assessor-1", "assessor-2", "assessor-3",
                                             "substitute-judge-1", "substitute-assessor-1", "clerk"]
    assert all(s.substitute == s.seat.startswith("substitute-") for s in panel.seats)
    assert queries.verify(court.president, panel.draw_id or "", court.uows)["verified"] is True


def test_a_panel_that_cannot_be_filled_is_refused_and_its_commitment_voided(court: Court):
    court.staff(assessors=1)
    case_id = court.case()
    with pytest.raises(RequestRejected) as caught:
        panels.draw_panel(court.president, case_id, court.uows, court.now)
    assert caught.value.detail["errors"][0]["code"] == "panel.seat_unfilled"
    with court.uows() as uow:
        rows = uow.execute(select(draw_commitments).where(draw_commitments.c.case_id == case_id,
                                                          draw_commitments.c.purpose == "panel")).all()
    assert [r.status for r in rows] == ["void"]
    assert panel_views.panel_of(court.president, case_id, court.uows).seats == []


def test_an_appellate_panel_of_three_judges_excludes_who_sat_at_first_instance(court: Court):
    court.staff(judges=6)
    case_id = court.case()
    first = panels.draw_panel(court.president, case_id, court.uows, court.now)
    st_judge = seat(first, "presiding").member_id
    st_members = {s.member_id for s in first.seats}

    assert court.progressed(case_id, "ST", step="decide_to_try") is False  # an ordinary step changes nothing
    assert court.progressed(case_id, "PT") is True  # the appeal opens at this court: back in the inbox
    assert court.progressed(case_id, "PT") is False  # the same stage again is no new round
    waiting = {c.case_id: c for c in queries.awaiting_cases(court.president, court.uows)}
    assert waiting[case_id].stage == "PT" and waiting[case_id].round == 2

    court.clock += timedelta(seconds=1)
    appeal = panels.draw_panel(court.president, case_id, court.uows, court.now)
    assert [s.seat for s in appeal.seats] == ["presiding", "judge-2", "judge-3", "clerk"]
    assert st_judge not in {s.member_id for s in appeal.seats}
    assert not {s.member_id for s in appeal.seats if s.kind == "judge"} & st_members
    record = queries.verify(court.president, appeal.draw_id or "", court.uows)
    assert record["verified"] is True
    kept_out = {e["judge_id"]: e["reason"] for sd in record["record"]["seats"] for e in sd["record"]["excluded"]}
    assert kept_out[st_judge] == f"earlier_stage:ST@{court.court_id}"
    single = queries.draw_of_case(court.president, case_id, court.uows)  # the presiding judge's own draw
    assert {e["judge_id"]: e["reason"] for e in single["record"]["excluded"]}[st_judge].startswith("earlier_stage")
    with pytest.raises(RequestRejected) as designated:  # nor may the president designate them
        designation.designate(court.president, case_id, st_judge, "Chỉ định lại Thẩm phán sơ thẩm cũ", court.uows,
                              court.now, move=True)
    assert designated.value.detail["errors"][0]["code"] == "judge.earlier_stage"
    member = seat(appeal, "judge-2").member_id  # a panel member cannot also preside
    with pytest.raises(RequestRejected) as on_panel:
        designation.designate(court.president, case_id, member, "Chỉ định thành viên Hội đồng làm chủ tọa",
                              court.uows, court.now, move=True)
    assert on_panel.value.detail["errors"][0]["code"] == "judge.on_panel"
    court.clock += timedelta(seconds=1)
    moved = drawing.reassign(court.president, case_id, "Thẩm phán chủ tọa phải đi công tác dài ngày", court.uows,
                             court.now)
    assert moved.judge_id not in {s.member_id for s in appeal.seats} | {st_judge}
    assert seat(panel_views.panel_of(court.president, case_id, court.uows), "presiding").member_id == moved.judge_id


def test_a_case_moving_to_the_appellate_court_leaves_one_inbox_for_the_other(court: Court, uows: UnitOfWorkFactory):
    court.staff(judges=2, assessors=2, clerks=1)
    case_id = court.case()
    panels.draw_panel(court.president, case_id, court.uows, court.now)
    appellate = Court(uows)
    appellate.member("judge", 1)
    assert court.progressed(case_id, "PT", court_id=appellate.court_id, from_court_id=court.court_id) is True
    assert case_id not in {c.case_id for c in queries.awaiting_cases(court.president, court.uows)}
    moved = next(c for c in queries.awaiting_cases(appellate.president, uows) if c.case_id == case_id)
    assert (moved.stage, moved.stage_opened_from, moved.acceptance_number) == ("PT", court.court_id, "01/2026/TLST-DS")
    # a stale event from the court the case left opens nothing
    assert court.progressed(case_id, "GĐT", court_id=court.court_id, from_court_id=None) is False


def test_a_stage_opening_before_the_case_was_received_converges(court: Court):
    court.member("judge", 1)
    case_id = make_case_id(court.court_id, 2026, 77)
    assert court.progressed(case_id, "PT", from_court_id="79KV01") is True
    payload = CaseReceivedV1(
        court_id="79KV01", case_id=case_id, acceptance_number="77/2026/TLST-DS", case_type="DS", stage="ST",
        subject="Tranh chấp đất đai", accepted_at=court.clock, accepted_on=date.today(), documents=[],
        receipt_secret_hash="0" * 64, parties=[PartyRefV1(party_id="P-77", role="plaintiff", is_minor=False)])
    receiving.record_received_case(payload, EventEnvelope.wrap(payload), court.uows, court.now)
    row = next(c for c in queries.awaiting_cases(court.president, court.uows) if c.case_id == case_id)
    assert (row.stage, row.subject, row.party_count, row.acceptance_number) == (
        "PT", "Tranh chấp đất đai", 1, "77/2026/TLST-DS")


def test_replacing_an_assessor_compensates_the_loads_exactly_and_the_new_seat_replays(court: Court):
    court.staff(assessors=5)
    case_id = court.case()
    panel = panels.draw_panel(court.president, case_id, court.uows, court.now)
    leaving = seat(panel, "assessor-1")
    before = court.loads()

    with pytest.raises(RequestRejected) as no_reason:
        replacement.replace_member(court.president, case_id, leaving.member_id, "ốm", court.uows, court.now)
    assert no_reason.value.detail["errors"][0]["field"] == "reason"
    with pytest.raises(RequestRejected) as presiding:
        replacement.replace_member(court.president, case_id, seat(panel, "presiding").member_id,
                                   "Thẩm phán bị ốm dài ngày", court.uows, court.now)
    assert presiding.value.detail["errors"][0]["code"] == "panel.presiding_by_reassign"

    answer = roster_handlers.declare_conflict(court.president, ConflictInputV1(
        case_id=case_id, judge_id=leaving.member_id, kind="recusal", reason="Hội thẩm là người thân thích của bị đơn"),
        court.uows, court.now)
    assert answer["requires_reassignment"] is True  # sits on the panel: the president decides, nothing moves alone
    changed = replacement.replace_member(court.president, case_id, leaving.member_id,
                                         "Hội thẩm nhân dân bị ốm dài ngày", court.uows, court.now)
    newcomer = seat(changed, "assessor-1")
    after = court.loads()
    assert newcomer.member_id not in {s.member_id for s in panel.seats}
    assert after[leaving.member_id] == before[leaving.member_id] - Decimal(leaving.accrual)
    assert after[newcomer.member_id] == before[newcomer.member_id] + Decimal(newcomer.accrual)
    assert sum(after.values()) == sum(before.values()) - Decimal(leaving.accrual) + Decimal(newcomer.accrual)
    assert newcomer.method == "random" and newcomer.reason == "Hội thẩm nhân dân bị ốm dài ngày"
    replayed = queries.verify(court.president, newcomer.draw_id or "", court.uows)
    assert replayed["verified"] is True
    reasons = {e["judge_id"]: e["reason"] for e in replayed["record"]["seats"][0]["record"]["excluded"]}
    assert reasons[leaving.member_id] == "leaving_seat"
    assert reasons[seat(panel, "assessor-2").member_id] == "seated:assessor-2"

    # the president designates the clerk's replacement by name: shown as a designation, with the reason
    clerk = seat(changed, "clerk")
    other_clerk = next(m for m in (f"{court.court_id}-TK-1", f"{court.court_id}-TK-2") if m != clerk.member_id)
    with pytest.raises(RequestRejected) as wrong_kind:
        replacement.replace_member(court.president, case_id, clerk.member_id, "Thư ký được điều động công tác",
                                   court.uows, court.now, designate=f"{court.court_id}-HT-5")
    assert wrong_kind.value.detail["errors"][0]["code"] == "member.wrong_kind"
    designated = replacement.replace_member(court.president, case_id, clerk.member_id,
                                            "Thư ký được điều động công tác", court.uows, court.now,
                                            designate=other_clerk)
    assert seat(designated, "clerk").member_id == other_clerk == designated.clerk_id
    assert seat(designated, "clerk").method == "designation"
    final = court.loads()
    assert final[clerk.member_id] == after[clerk.member_id] - Decimal(clerk.accrual)
    assert sum(final.values()) == sum(after.values()) - Decimal(clerk.accrual) + Decimal(
        seat(designated, "clerk").accrual)
    with pytest.raises(NotFound):
        replacement.replace_member(court.president, case_id, leaving.member_id, "Đã rời Hội đồng xét xử trước đó",
                                   court.uows, court.now)


def test_a_recused_or_absent_member_is_kept_out_of_the_panel(court: Court):
    court.staff(judges=2, assessors=3, clerks=1)
    case_id = court.case()
    recused = f"{court.court_id}-HT-2"
    roster_handlers.declare_conflict(court.president, ConflictInputV1(
        case_id=case_id, judge_id=recused, kind="recusal", reason="Là người thân thích của nguyên đơn"),
        court.uows, court.now)
    today = court_day(court.clock)
    roster_handlers.set_unavailability(court.president, UnavailabilityInputV1(
        judge_id=f"{court.court_id}-HT-3", kind="leave", starts_on=today, ends_on=today, reason="Nghỉ phép"),
        court.uows, court.now)
    with pytest.raises(RequestRejected) as caught:  # two assessor seats, one assessor left
        panels.draw_panel(court.president, case_id, court.uows, court.now)
    message = caught.value.detail["errors"][0]["message_en"]
    assert f"{recused} (conflict:recusal)" in message and "unavailable:leave" in message


def test_two_concurrent_panel_draws_for_one_case_make_one_panel(court: Court):
    court.staff(assessors=6, clerks=3)
    case_id = court.case()
    drawing.assign_random(court.president, case_id, court.uows, court.now)
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        try:
            results.append(panels.draw_panel(court.president, case_id, court.uows, court.now))
        except Conflict as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    won = [r for r in results if isinstance(r, PanelV1)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].detail["errors"][0]["code"] in ("panel.already_drawn", "assignment.busy")
    assert len(panel_views.panel_of(court.president, case_id, court.uows).seats) == 4
    with court.uows() as uow:
        statuses = sorted(r.status for r in uow.execute(select(draw_commitments).where(
            draw_commitments.c.case_id == case_id, draw_commitments.c.purpose == "panel")).all())
    assert statuses in (["used", "void"], ["used"])


def test_assessors_and_clerks_stay_off_the_judges_roster_and_a_role_is_fixed(court: Court):
    court.staff(judges=1, assessors=1, clerks=1)
    assert [m.judge_id for m in queries.roster(court.president, court.uows)] == [f"{court.court_id}-TP-1"]
    assessors = queries.roster(court.president, court.uows, "assessor")
    assert [(m.judge_id, m.kind) for m in assessors] == [(f"{court.court_id}-HT-1", "assessor")]
    with pytest.raises(RequestRejected) as caught:
        roster_handlers.register_judge(court.president, JudgeInputV1(
            judge_id=f"{court.court_id}-HT-1", full_name="Hội thẩm", specializations=["civil"], kind="judge"),
            court.uows, court.now)
    assert caught.value.detail["errors"][0]["code"] == "roster.kind_fixed"
    case_id = court.case()
    result = drawing.assign_random(court.president, case_id, court.uows, court.now)
    assert result.judge_id == f"{court.court_id}-TP-1"  # the single-judge draw never picks an assessor


def test_a_juvenile_criminal_panel_has_an_assessor_versed_in_minors_on_its_first_assessor_seat(court: Court):
    court.member("judge", 1, ("juvenile", "criminal"))
    court.member("assessor", 1, ("criminal",))
    court.member("assessor", 2, ("criminal",))
    court.member("clerk", 1, ("criminal",))
    case_id = court.case("HS", minor=True)
    with pytest.raises(RequestRejected) as caught:  # khoản 2 Điều 423 BLTTHS 2015: nobody qualified yet
        panels.draw_panel(court.president, case_id, court.uows, court.now)
    assert "assessor-1" in caught.value.detail["errors"][0]["message_en"]
    teacher = court.member("assessor", 3, ("juvenile",))
    panel = panels.draw_panel(court.president, case_id, court.uows, court.now)
    assert seat(panel, "assessor-1").member_id == teacher
    assert seat(panel, "assessor-2").member_id in {f"{court.court_id}-HT-1", f"{court.court_id}-HT-2"}
    assert queries.verify(court.president, panel.draw_id or "", court.uows)["verified"] is True
    other = next(m for m in (f"{court.court_id}-HT-1", f"{court.court_id}-HT-2")
                 if m != seat(panel, "assessor-2").member_id)
    with pytest.raises(RequestRejected) as designated:  # the seat keeps its rule when the president designates
        replacement.replace_member(court.president, case_id, teacher, "Hội thẩm nhân dân bị ốm dài ngày",
                                   court.uows, court.now, designate=other)
    assert designated.value.detail["errors"][0]["code"] == "member.not_competent"
