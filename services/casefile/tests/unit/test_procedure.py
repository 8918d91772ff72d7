"""The procedure machines (domain/procedure): legal steps, refusals citing the law, and the deadlines they set.

Table-driven procedural deadline cases complete the 38 rule cases of test_deadlines.py: each row is a step on a
date and the deadline it leaves running, with the provisions that decide it.
"""

import dataclasses
from datetime import date

import pytest

from ecourt_casefile.domain.courts import CourtRegistry
from ecourt_casefile.domain.deadlines import HolidayCalendar
from ecourt_casefile.domain.procedure import CaseSnapshot, OpenDeadline, ProcedureBook, StepRefused, plan_step

pytestmark = pytest.mark.unit

BOOK, COURTS, CAL = ProcedureBook.load(), CourtRegistry.load(), HolidayCalendar.load()
D = date.fromisoformat


def case(state="preparing", stage="ST", case_type="DS", deadlines=(), judge="J-1", **attrs):
    return CaseSnapshot(case_id="79KV01202600012365", court_id="79KV01", case_type=case_type, stage=stage,
                        state=state, stage_opened_on=D("2026-01-15"), judge_id=judge, attributes=attrs,
                        deadlines=tuple(deadlines))


def running(rule_id, purpose, due, trigger="2026-01-15", variant=None, stage="ST", used=0, times=0):
    return OpenDeadline(rule_id, purpose, stage, variant, D(trigger), D(due), "open", used, times,
                        legal_basis_vi="(căn cứ)", legal_basis_en="(basis)")


PREP = running("civil.first_instance.preparation", "preparation", "2026-05-15")

# (snapshot, step, on, params, rule id left running, due date, why)
PROCEDURAL = [
    (case(deadlines=[PREP]), "decide_to_try", "2026-03-02", {"hearing_on": "2026-03-20", "room": "P1"},
     "civil.first_instance.hearing", "2026-04-02", "BLTTDS 203(4): 1 month; 2 Apr (same day) is a Thursday"),
    (case(deadlines=[PREP]), "decide_to_try", "2026-01-30", {"hearing_on": "2026-02-20", "room": "P1"},
     "civil.first_instance.hearing", "2026-03-02", "203(4); no 30 Feb -> 28 Feb (Sat) -> Mon 2 Mar, BLDS 148"),
    (case(deadlines=[PREP]), "extend_preparation", "2026-05-01", {"amount": 2},
     "civil.first_instance.preparation", "2026-07-15", "BLTTDS 203(1)(a): extended to 6 months from 15 Jan"),
    (case("suspended", deadlines=[OpenDeadline("civil.first_instance.preparation", "preparation", "ST", None,
                                                D("2026-01-15"), D("2026-05-15"), "paused")]),
     "resume", "2026-10-30", {},
     "civil.first_instance.preparation", "2027-03-01", "203(1) restarts after art. 216; 28 Feb 2027 is a Sunday"),
    (case("hearing_scheduled", deadlines=[running("civil.first_instance.hearing", "hearing", "2026-03-02")]),
     "pronounce_judgment", "2026-02-06", {}, "civil.appeal.judgment", "2026-02-23",
     "BLTTDS 273(1): day 15 is Sat 21 Feb, inside Tết 2026 (14-22 Feb), BLDS 148(5) -> Mon 23 Feb"),
    (case("preparing", case_type="HS"), "classify", "2026-01-20", {"crime_category": "serious"},
     "criminal.first_instance.preparation.serious", "2026-03-02",
     "BLTTHS 277(1): 45 days from acceptance (15 Jan) end 1 Mar, a Sunday -> 2 Mar"),
    (case("preparing", case_type="KDTM", deadlines=[running(
        "civil.first_instance.preparation_commercial_labour", "preparation", "2026-03-16")]),
     "extend_preparation", "2026-03-01", {"amount": 1}, "civil.first_instance.preparation_commercial_labour",
     "2026-04-15", "BLTTDS 203(1)(b): 2 months + 1 month extension"),
    (case("accepted", stage="PT"), "accept", "2026-04-10", {}, "civil.appeal.acceptance_notice", "2026-04-15",
     "BLTTDS 285: 3 working days after Fri 10 Apr: 13, 14, 15 Apr"),
    (case("accepted", stage="PT"), "accept", "2026-04-24", {}, "civil.appeal.acceptance_notice", "2026-05-04",
     "BLTTDS 285: 3 working days after Fri 24 Apr; 27 Apr is the day off for Hùng Kings' day (Sun 26 Apr), "
     "30 Apr-1 May holidays, 2-3 May weekend: 28, 29 Apr and 4 May"),
]


@pytest.mark.parametrize(("snap", "step", "on", "params", "rule_id", "due", "why"), PROCEDURAL,
                         ids=[f"{c[1]}@{c[2]}" for c in PROCEDURAL])
def test_a_step_leaves_the_statutory_deadline_the_law_sets(snap, step, on, params, rule_id, due, why):
    plan = plan_step(BOOK, COURTS, CAL, snap, step, D(on), params)
    [change] = [c for c in plan.changes if c.rule_id == rule_id and c.deadline is not None]
    assert change.deadline.due_on == D(due), why
    assert change.deadline.legal_basis_vi and change.deadline.explanation


def test_every_procedure_loads_and_names_its_law_on_every_step():
    for procedure in BOOK.procedures:
        for stage in procedure.stages.values():
            assert all(step.citation.vi and step.citation.en for step in stage.steps)
    assert {t for p in BOOK.procedures for t in p.case_types} == {"HS", "DS", "HNGĐ", "KDTM", "LĐ", "HC"}


def test_a_step_from_the_wrong_state_is_refused_naming_the_provision():
    with pytest.raises(StepRefused) as refused:
        plan_step(BOOK, COURTS, CAL, case("preparing"), "lodge_appeal", D("2026-03-01"),
                  {"appellant_party_id": "P-1", "received_on": "2026-03-01"})
    assert refused.value.code == "procedure.illegal_step" and "273" in refused.value.message_vi


def test_trying_a_case_without_a_judge_is_refused():
    with pytest.raises(StepRefused) as refused:
        plan_step(BOOK, COURTS, CAL, case(judge=None, deadlines=[PREP]), "decide_to_try", D("2026-03-02"),
                  {"hearing_on": "2026-03-20", "room": "P1"})
    assert refused.value.code == "procedure.no_judge"


def test_an_appeal_posted_in_time_counts_from_the_postmark_and_a_detainee_from_the_facility_date():
    decided = case("decided", deadlines=[running("civil.appeal.judgment", "appeal", "2026-03-23", "2026-03-06")])
    posted = plan_step(BOOK, COURTS, CAL, decided, "lodge_appeal", D("2026-03-27"),
                       {"appellant_party_id": "P-1", "received_on": "2026-03-27", "postmarked_on": "2026-03-23"})
    assert posted.opens_stage == "PT" and posted.opens_court == "79TA00" and "273" in posted.notes[0].vi
    detained = plan_step(BOOK, COURTS, CAL, decided, "lodge_appeal", D("2026-03-30"),
                         {"appellant_party_id": "P-1", "received_on": "2026-03-30",
                          "detention_certified_on": "2026-03-20"})
    assert "trại giam" in detained.notes[0].vi
    with pytest.raises(StepRefused) as late:
        plan_step(BOOK, COURTS, CAL, decided, "lodge_appeal", D("2026-03-27"),
                  {"appellant_party_id": "P-1", "received_on": "2026-03-27"})
    assert late.value.code == "procedure.out_of_time"
    accepted = plan_step(BOOK, COURTS, CAL, decided, "lodge_appeal", D("2026-03-27"),
                         {"appellant_party_id": "P-1", "received_on": "2026-03-27", "late_appeal_accepted": True})
    assert "275" in accepted.notes[-1].vi


def test_an_absent_party_appeals_within_15_days_of_receiving_the_judgment():
    decided = case("decided", deadlines=[running("civil.appeal.judgment", "appeal", "2026-03-23", "2026-03-06")])
    plan = plan_step(BOOK, COURTS, CAL, decided, "lodge_appeal", D("2026-04-10"),
                     {"appellant_party_id": "P-1", "received_on": "2026-04-10", "judgment_received_on": "2026-04-01"})
    assert plan.opens_stage == "PT"


def test_extensions_are_capped_and_administrative_ones_allowed_once():
    with pytest.raises(StepRefused) as capped:
        plan_step(BOOK, COURTS, CAL, case(deadlines=[running("civil.first_instance.preparation", "preparation",
                                                             "2026-06-15", used=1, times=1)]),
                  "extend_preparation", D("2026-06-01"), {"amount": 2})
    assert capped.value.code == "procedure.extension_cap" and "203" in capped.value.message_vi
    with pytest.raises(StepRefused) as once:
        plan_step(BOOK, COURTS, CAL, case(case_type="HC", deadlines=[running(
            "administrative.first_instance.preparation", "preparation", "2026-06-15", used=1, times=1)]),
                  "extend_preparation", D("2026-06-01"), {"amount": 1})
    assert once.value.code == "procedure.extension_times" and "130" in once.value.message_vi


def test_a_criminal_protest_in_favour_of_the_convicted_has_no_time_limit():
    plan = plan_step(BOOK, COURTS, CAL, case("in_effect", case_type="HS"), "protest_cassation", D("2031-01-05"),
                     {"received_on": "2031-01-05", "in_favour_of_convicted": True})
    assert plan.opens_stage == "GĐT" and "379" in plan.notes[0].vi


def test_bad_parameters_are_refused_naming_the_field():
    with pytest.raises(StepRefused) as bad:
        plan_step(BOOK, COURTS, CAL, case(deadlines=[PREP]), "decide_to_try", D("2026-03-02"),
                  {"hearing_on": "soon", "room": "P1"})
    assert bad.value.field == "params.hearing_on"
    with pytest.raises(StepRefused) as unknown:
        plan_step(BOOK, COURTS, CAL, case(deadlines=[PREP]), "suspend", D("2026-03-02"),
                  {"reason": "x", "why": 1})
    assert unknown.value.code == "procedure.unknown_param"


def test_a_transfer_resolves_a_dissolved_court_to_its_successor_and_refuses_the_same_court():
    elsewhere = dataclasses.replace(case(deadlines=[PREP]), court_id="79KV02")
    plan = plan_step(BOOK, COURTS, CAL, elsewhere, "transfer", D("2026-02-01"),
                     {"to_court_id": "79Q003", "reason": "thẩm quyền lãnh thổ"})
    assert plan.transfer_to == "79KV01"
    with pytest.raises(StepRefused) as same:
        plan_step(BOOK, COURTS, CAL, case(deadlines=[PREP]), "transfer", D("2026-02-01"),
                  {"to_court_id": "79Q001", "reason": "x"})
    assert same.value.code == "procedure.same_court"
