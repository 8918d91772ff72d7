"""Commit-then-draw, designation, conflicts, availability, related cases, reassignment, fairness and the
``ecourt assignment verify`` command, on the real database (handlers called in-process).

Each test works in its own court.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from ecourt_assignment import cli
from ecourt_assignment.adapters.orm import draw_commitments, draws, judges, metadata, outbox
from ecourt_assignment.contracts import ConflictInputV1, JudgeInputV1, UnavailabilityInputV1
from ecourt_assignment.domain.clock import court_day
from ecourt_assignment.service_layer import designation, drawing, queries, receiving
from ecourt_assignment.service_layer import judges as judge_handlers
from ecourt_shared.auth import Principal, Role
from ecourt_shared.contracts.envelope import EventEnvelope
from ecourt_shared.contracts.errors import Conflict, NotFound, PermissionDenied, RequestRejected
from ecourt_shared.contracts.events import CaseReceivedV1, PartyRefV1
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
        self.court_id = f"V{uuid.uuid4().hex[:5].upper()}"
        self.president = Principal(user_id=f"chanhan-{self.court_id}", court_id=self.court_id,
                                   roles=[Role.PRESIDENT], display_name="Chánh án")
        self.serial = 0
        self.clock = datetime.now(UTC)

    def now(self) -> datetime:
        return self.clock

    def jid(self, n: int) -> str:
        return f"{self.court_id}-TP-{n}"

    def judge(self, n: int, specializations: tuple[str, ...] = ("civil",), capacity: str = "1") -> str:
        judge_handlers.register_judge(self.president, JudgeInputV1(
            judge_id=self.jid(n), full_name=f"Thẩm phán Số {n}", specializations=list(specializations),
            capacity=Decimal(capacity)), self.uows, self.now)
        return self.jid(n)

    def case(self, case_type: str = "DS", parties: tuple[str, ...] = (), minor: bool = False,
             subject: str = "Tranh chấp") -> str:
        self.serial += 1
        case_id = make_case_id(self.court_id, 2026, self.serial)
        ids = parties or (f"P-{self.court_id}-{self.serial}-a", f"P-{self.court_id}-{self.serial}-b")
        payload = CaseReceivedV1(
            court_id=self.court_id, case_id=case_id, acceptance_number=f"{self.serial:02d}/2026/TLST-{case_type}",
            case_type=case_type, stage="ST", subject=subject, accepted_at=self.clock,
            accepted_on=date.today(), documents=[], receipt_secret_hash="0" * 64,
            parties=[PartyRefV1(party_id=p, role="plaintiff", is_minor=minor and i == 0) for i, p in enumerate(ids)])
        receiving.record_received_case(payload, EventEnvelope.wrap(payload), self.uows, self.now)
        return case_id

    def loads(self) -> dict[str, Decimal]:
        return {j.judge_id: Decimal(j.load_total) for j in queries.roster(self.president, self.uows)}


@pytest.fixture
def court(uows: UnitOfWorkFactory) -> Court:
    return Court(uows)


def test_the_commitment_is_committed_and_queued_for_publication_before_anything_is_drawn(court: Court):
    court.judge(1)
    court.judge(2)
    case_id = court.case()
    commitment = drawing.commit_draw(court.president, case_id, court.uows, court.now)
    with court.uows() as uow:  # committed, on its way to the bus, seed kept back, no draw yet
        row = uow.execute(select(draw_commitments).where(draw_commitments.c.draw_id == commitment.draw_id)).one()
        event = uow.execute(select(outbox.c.envelope).where(outbox.c.event_id == row.event_id)).scalar_one()
        assert uow.execute(select(draws).where(draws.c.draw_id == commitment.draw_id)).first() is None
    assert row.status == "open" and event["event_type"] == "draw_committed"
    assert event["payload"]["seed_commitment"] == commitment.seed_commitment
    assert "seed" not in event["payload"] and commitment.seed_commitment not in row.seed

    court.clock += timedelta(seconds=5)
    result = drawing.assign_random(court.president, case_id, court.uows, court.now, draw_id=commitment.draw_id)
    assert result.draw_id == commitment.draw_id and result.seed_commitment == commitment.seed_commitment
    checked = queries.verify(court.president, result.draw_id, court.uows)
    assert checked["verified"] is True and checked["differences"] == []
    assert checked["committed_at"] < checked["drawn_at"]
    assert checked["record"]["seed"] == row.seed  # revealed only now

    with pytest.raises(Conflict) as caught:  # a commitment is used once
        drawing.assign_random(court.president, case_id, court.uows, court.now, draw_id=commitment.draw_id)
    assert caught.value.detail["errors"][0]["code"] == "draw.commitment_closed"


def test_a_draw_without_its_own_fresh_commitment_is_refused_and_a_stale_one_is_voided(court: Court):
    court.judge(1)
    first, second = court.case(), court.case()
    with pytest.raises(NotFound) as missing:
        drawing.assign_random(court.president, first, court.uows, court.now, draw_id="DR-NOPE")
    assert missing.value.detail["errors"][0]["code"] == "draw.commitment_missing"

    other = drawing.commit_draw(court.president, second, court.uows, court.now)
    with pytest.raises(RequestRejected) as wrong_case:
        drawing.assign_random(court.president, first, court.uows, court.now, draw_id=other.draw_id)
    assert wrong_case.value.errors[0].code == "draw.commitment_other_case"

    stale = drawing.commit_draw(court.president, first, court.uows, court.now)
    court.clock += timedelta(seconds=121)
    with pytest.raises(RequestRejected) as expired:
        drawing.assign_random(court.president, first, court.uows, court.now, draw_id=stale.draw_id)
    assert expired.value.errors[0].code == "draw.commitment_expired"
    with court.uows() as uow:
        row = uow.execute(select(draw_commitments).where(draw_commitments.c.draw_id == stale.draw_id)).one()
    assert row.status == "void" and row.void_reason == "draw.commitment_expired"
    assert queries.fairness(court.president, court.uows).void_commitments == 1
    assert court.loads() == {court.jid(1): Decimal("0.0000")}


def test_judges_on_leave_or_with_a_conflict_are_kept_out_and_the_record_says_why(court: Court):
    a, b, c = court.judge(1), court.judge(2), court.judge(3)
    today = court_day(court.now())
    judge_handlers.set_unavailability(court.president, UnavailabilityInputV1(
        judge_id=b, kind="leave", starts_on=today, ends_on=today + timedelta(days=3), reason="Nghỉ phép năm"),
        court.uows, court.now)
    case_id = court.case()
    judge_handlers.declare_conflict(court.president, ConflictInputV1(
        case_id=case_id, judge_id=c, kind="earlier_stage", reason="Đã xét xử sơ thẩm vụ án này"),
        court.uows, court.now)
    result = drawing.assign_random(court.president, case_id, court.uows, court.now)
    assert result.judge_id == a
    record = queries.verify(court.president, result.draw_id, court.uows)["record"]
    assert record["excluded"] == [{"judge_id": b, "reason": "unavailable:leave"},
                                  {"judge_id": c, "reason": "conflict:earlier_stage"}]
    assert [x["judge_id"] for x in record["candidates"]] == [a]
    roster = {j.judge_id: j for j in queries.roster(court.president, court.uows)}
    assert roster[b].available_today is False and roster[b].unavailability[0].kind == "leave"

    lone = court.case()
    for judge_id in (a, c):
        judge_handlers.declare_conflict(court.president, ConflictInputV1(
            case_id=lone, judge_id=judge_id, kind="recusal", reason="Là người thân thích của đương sự"),
            court.uows, court.now)
    with pytest.raises(RequestRejected) as caught:
        drawing.assign_random(court.president, lone, court.uows, court.now)
    assert caught.value.errors[0].code == "assignment.no_available_candidates"
    assert "unavailable:leave" in caught.value.errors[0].message_en


def test_designation_needs_a_reason_and_refuses_unavailable_conflicted_or_incompetent_judges(court: Court):
    a, b = court.judge(1), court.judge(2)
    criminal = court.judge(3, ("criminal",))
    case_id = court.case()
    today = court_day(court.now())
    judge_handlers.set_unavailability(court.president, UnavailabilityInputV1(
        judge_id=b, kind="secondment", starts_on=today, ends_on=today + timedelta(days=90), reason="Biệt phái"),
        court.uows, court.now)
    judge_handlers.declare_conflict(court.president, ConflictInputV1(
        case_id=case_id, judge_id=a, kind="recusal", reason="Đã từng tư vấn cho bị đơn"), court.uows, court.now)
    refusals = {}
    for judge_id, reason in ((a, "Vụ án phức tạp cần chuyên môn"), (b, "Vụ án phức tạp cần chuyên môn"),
                             (criminal, "Vụ án phức tạp cần chuyên môn"), (a, "ngắn")):
        with pytest.raises(RequestRejected) as caught:
            designation.designate(court.president, case_id, judge_id, reason, court.uows, court.now)
        refusals[(judge_id, reason)] = (caught.value.errors[0].field, caught.value.errors[0].code)
    assert list(refusals.values()) == [("judge_id", "judge.conflicted"), ("judge_id", "judge.unavailable"),
                                       ("judge_id", "judge.not_competent"), ("reason", "reason.required")]

    d = court.judge(4)
    reason = "Vụ án tranh chấp sở hữu trí tuệ, cần Thẩm phán đã được đào tạo chuyên sâu"
    result = designation.designate(court.president, case_id, d, reason, court.uows, court.now)
    assert result.method == "designation" and result.reason == reason and result.draw_id is None
    [listed] = queries.judge_cases(court.president, court.uows, d)
    assert listed.method == "designation" and listed.reason == reason  # shown as such to the judge too
    assert court.loads()[d] == Decimal("1.0000")  # a designation accrues like a draw
    with pytest.raises(Conflict):
        designation.designate(court.president, case_id, court.judge(5), reason, court.uows, court.now)
    view = queries.fairness(court.president, court.uows)
    assert (view.designations, view.draws) == (1, 0)


def test_reassignment_subtracts_the_weight_from_the_judge_it_leaves_and_logs_the_move(court: Court):
    a, b = court.judge(1), court.judge(2, capacity="0.5")
    case_id = court.case(parties=("P-x", "P-y", "P-z"))  # 3 parties: weight 1.2
    first = drawing.assign_random(court.president, case_id, court.uows, court.now)
    other = b if first.judge_id == a else a
    with pytest.raises(RequestRejected) as caught:
        drawing.reassign(court.president, case_id, "", court.uows, court.now)
    assert caught.value.errors[0].field == "reason"
    moved = drawing.reassign(court.president, case_id, "Thẩm phán được điều động sang Tòa án khác",
                             court.uows, court.now)
    assert moved.judge_id == other and moved.reassigned_from == first.judge_id
    loads = court.loads()
    assert loads[first.judge_id] == Decimal("0.0000")  # compensated exactly
    assert loads[other] == Decimal(moved.accrual or "0") == (Decimal("2.4000") if other == b else Decimal("1.2000"))
    record = queries.verify(court.president, moved.draw_id or "", court.uows)
    assert record["verified"] and {"judge_id": first.judge_id, "reason": "leaving_seat"} in record["record"]["excluded"]
    back = designation.designate(court.president, case_id, first.judge_id, "Trả lại Thẩm phán ban đầu theo đề nghị",
                                 court.uows, court.now, move=True)
    assert back.reassigned_from == other and court.loads()[other] == Decimal("0.0000")
    assert queries.fairness(court.president, court.uows).reassignments == 2


def test_cases_sharing_a_party_are_flagged_to_the_president_and_never_moved(court: Court):
    court.judge(1)
    court.judge(2)
    earlier = court.case(parties=("P-shared", "P-one"))
    first = drawing.assign_random(court.president, earlier, court.uows, court.now)
    later = court.case(parties=("P-shared", "P-two"))
    [inbox_case] = queries.awaiting_cases(court.president, court.uows)
    [flag] = inbox_case.related_cases
    assert (flag.case_id, flag.shared_party_ids, flag.judge_id) == (earlier, ["P-shared"], first.judge_id)
    assert flag.same_subject  # both "Tranh chấp": possibly the same dispute again
    result = drawing.assign_random(court.president, later, court.uows, court.now)
    assert [r.case_id for r in result.related_cases] == [earlier]  # shown; the draw itself stayed random
    assert queries.verify(court.president, result.draw_id or "", court.uows)["verified"]


def test_the_same_parties_over_the_same_subject_are_marked_whatever_the_spelling(court: Court):
    court.judge(1)
    loan = court.case(parties=("P-a", "P-b"), subject="Tranh chấp hợp đồng vay tài sản")
    court.case(parties=("P-a", "P-c"), subject="Tranh chấp quyền sử dụng đất")
    drawing.assign_random(court.president, loan, court.uows, court.now)
    again = court.case(parties=("P-a", "P-b"), subject="  TRANH CHAP hop dong vay tai san ")
    [shown] = [c for c in queries.awaiting_cases(court.president, court.uows) if c.case_id == again]
    flags = {f.case_id: f for f in shown.related_cases}
    assert flags[loan].same_subject and flags[loan].shared_party_ids == ["P-a", "P-b"]
    assert [f.same_subject for cid, f in flags.items() if cid != loan] == [False]


def test_a_criminal_case_with_a_minor_goes_only_to_juvenile_judges(court: Court):
    court.judge(1, ("criminal",))
    youth = court.judge(2, ("criminal", "juvenile"))
    case_id = court.case(case_type="HS", minor=True)
    assert drawing.assign_random(court.president, case_id, court.uows, court.now).judge_id == youth


def test_a_judge_may_declare_only_their_own_recusal_and_nothing_moves_by_itself(court: Court):
    a = court.judge(1)
    case_id = court.case()
    drawing.assign_random(court.president, case_id, court.uows, court.now)
    judge = Principal(user_id="tp", court_id=court.court_id, roles=[Role.JUDGE], display_name="TP", judge_id=a)
    with pytest.raises(PermissionDenied):
        judge_handlers.declare_conflict(judge, ConflictInputV1(case_id=case_id, judge_id=court.jid(9),
                                                               kind="recusal", reason="Lý do của người khác"),
                                        court.uows, court.now)
    answer = judge_handlers.declare_conflict(judge, ConflictInputV1(
        case_id=case_id, judge_id=a, kind="recusal", reason="Có quan hệ họ hàng với nguyên đơn"), court.uows, court.now)
    assert answer["requires_reassignment"] is True
    assert queries.judge_cases(court.president, court.uows, a)[0].case_id == case_id  # still with the judge


def test_two_presidents_drawing_the_same_case_at_once_assign_it_exactly_once(court: Court):
    for n in range(1, 6):
        court.judge(n)
    case_id = court.case()
    second = Principal(user_id="pho-chanhan", court_id=court.court_id, roles=[Role.PRESIDENT], display_name="P")
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def draw(p: Principal) -> None:
        commitment = drawing.commit_draw(p, case_id, court.uows, court.now)
        barrier.wait()
        try:
            outcomes.append(drawing.assign_random(p, case_id, court.uows, court.now, draw_id=commitment.draw_id))
        except Exception as exc:  # collected and checked below
            outcomes.append(exc)

    threads = [threading.Thread(target=draw, args=(p,)) for p in (court.president, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    wins = [o for o in outcomes if not isinstance(o, Exception)]
    refusals = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(wins) == 1 and len(refusals) == 1, outcomes
    assert refusals[0].detail["errors"][0]["code"] in ("case.already_assigned", "assignment.busy")
    assert sum(court.loads().values()) == Decimal("1.0000")
    view = queries.fairness(court.president, court.uows)
    assert (view.draws, view.void_commitments) == (1, 1)  # the loser's commitment is voided, not left open


def test_many_cases_drawn_at_once_keep_the_load_totals_exact(court: Court):
    for n in range(1, 7):
        court.judge(n, capacity="0.5" if n % 3 == 0 else "1")
    cases = [court.case(parties=tuple(f"P-{court.court_id}-{k}-{i}" for i in range(1 + k % 4))) for k in range(40)]
    results: list[Any] = []
    lock = threading.Lock()

    def work(chunk: list[str]) -> None:
        for case_id in chunk:
            outcome = drawing.assign_random(court.president, case_id, court.uows, court.now)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=work, args=(cases[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 40
    expected: dict[str, Decimal] = {}
    for r in results:
        expected[r.judge_id] = expected.get(r.judge_id, Decimal(0)) + Decimal(r.accrual or "0")
    loads = court.loads()
    assert {j: v for j, v in loads.items() if v} == expected
    view = queries.fairness(court.president, court.uows)
    assert view.draws == 40 and Decimal(view.spread) <= Decimal("6.0") + Decimal("3.0")
    with court.uows() as uow:  # every draw replays from its stored record
        ids = list(uow.execute(select(draws.c.draw_id).where(draws.c.court_id == court.court_id)).scalars())
    assert len(ids) == 40
    assert all(queries.verify(court.president, d, court.uows)["verified"] for d in ids)


def test_the_verify_command_confirms_a_draw_and_shows_where_a_tampered_export_differs(
        court: Court, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    court.judge(1)
    court.judge(2)
    court.judge(3)
    result = drawing.assign_random(court.president, court.case(), court.uows, court.now)
    assert cli.main(["verify", result.draw_id or ""]) == 0
    assert "VERIFIED" in capsys.readouterr().out

    exported = tmp_path / "draw.json"
    assert cli.main(["export", result.draw_id or "", "-o", str(exported)]) == 0
    assert cli.main(["verify", "--file", str(exported)]) == 0
    doc = json.loads(exported.read_text(encoding="utf-8"))
    loser = next(c["judge_id"] for c in doc["record"]["candidates"] if c["judge_id"] != doc["record"]["winner"])
    doc["record"]["winner"] = loser
    exported.write_text(json.dumps(doc), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["verify", "--file", str(exported)]) == 1
    out = capsys.readouterr().out
    assert "NOT VERIFIED" in out and f"winner: recorded '{loser}'" in out

    with court.uows() as uow:  # tampering in the database itself is found the same way
        uow.execute(draws.update().where(draws.c.draw_id == result.draw_id).values(winner_judge_id=loser))
        uow.execute(judges.update().where(judges.c.judge_id == loser).values(updated_at=court.now()))
        uow.commit()
    assert cli.main(["verify", result.draw_id or ""]) == 1
    assert cli.main(["verify", "DR-DOES-NOT-EXIST"]) == 2
