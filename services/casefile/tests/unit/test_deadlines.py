"""The deadline engine, specified by cases a clerk can check by hand against the code and the calendar."""

import copy
from datetime import date

import pytest

from ecourt_casefile.domain.deadlines import (
    CalendarRangeError,
    DeadlineError,
    HolidayCalendar,
    RuleBook,
    RuleDataError,
    compute_deadline,
    compute_first_deadline,
)

pytestmark = pytest.mark.unit

D = date.fromisoformat
CAL = HolidayCalendar.load()
BLDS_148_3 = "BLDS 2015 art. 148(3)"
BLDS_148_5 = "BLDS 2015 art. 148(5)"

# (rule id, trigger date, due date, why: the provisions that decide it)
CASES = [
    ("civil.first_instance.preparation", "2026-01-15", "2026-05-15", "BLTTDS art. 203(1)(a): 4 months"),
    ("civil.first_instance.preparation", "2026-01-31", "2026-06-01", f"203(1)(a); 31 May is a Sunday, {BLDS_148_5}"),
    ("civil.first_instance.preparation", "2025-10-31", "2026-03-02", f"203(1)(a); no 31 Feb, {BLDS_148_3}; Sat"),
    ("civil.first_instance.preparation", "2025-10-16", "2026-02-23", f"203(1)(a); 16 Feb is Tết 2026, {BLDS_148_5}"),
    ("civil.first_instance.preparation_commercial_labour", "2025-11-30", "2026-01-30", "BLTTDS 203(1)(b): 2 months"),
    ("civil.first_instance.preparation_commercial_labour", "2026-12-31", "2027-03-01", f"203(1)(b); {BLDS_148_3}"),
    ("civil.protest.judgment.higher_level", "2025-01-31", "2025-02-28", f"280(1): 31 Jan + 1 month, {BLDS_148_3}"),
    ("civil.protest.judgment.higher_level", "2027-01-31", "2027-03-01", f"280(1); 28 Feb 2027 is Sunday, {BLDS_148_5}"),
    ("civil.protest.judgment.higher_level", "2026-01-16", "2026-02-23", f"280(1); 16 Feb is Tết, {BLDS_148_5}"),
    ("civil.cassation.petition", "2024-02-29", "2025-02-28", "BLTTDS 327(1): 1 year from a leap day, BLDS 148(4)"),
    ("civil.cassation.protest", "2024-02-29", "2027-03-01", "BLTTDS 334(1): 3 years; 28 Feb 2027 is a Sunday"),
    ("civil.appeal.judgment", "2026-01-30", "2026-02-23", f"BLTTDS 273(1): day 15 is 14 Feb, in Tết, {BLDS_148_5}"),
    ("civil.appeal.judgment", "2026-03-02", "2026-03-17", "273(1); the period starts the next day, BLDS 147"),
    ("civil.appeal.judgment", "2026-03-06", "2026-03-23", f"273(1); day 15 is a Saturday, {BLDS_148_5}"),
    ("civil.appeal.judgment", "2025-08-18", "2025-09-03", f"273(1); 2 Sep 2025 is National Day, {BLDS_148_5}"),
    ("civil.appeal.decision", "2026-02-10", "2026-02-23", f"BLTTDS 273(2): 7 days end in Tết, {BLDS_148_5}"),
    ("civil.appeal.decision", "2026-04-23", "2026-05-04", f"273(2); 30 Apr-1 May then the weekend, {BLDS_148_5}"),
    ("civil.appeal.decision", "2025-04-23", "2025-05-05", "273(2); 30 Apr-2 May 2025 (swapped) then the weekend"),
    ("civil.protest.decision.higher_level", "2026-04-17", "2026-04-28", "BLTTDS 280(2): 10 days; 27 Apr compensates"
                                                                        " Hùng Kings' Day (Sunday 26 Apr)"),
    ("civil.protest.decision.same_level", "2025-04-19", "2025-04-26", "280(2); Sat 26 Apr 2025 is a make-up day"),
    ("civil.protest.judgment.same_level", "2026-04-10", "2026-04-28", "280(1); Sat 25, Hùng Kings 26, compensatory 27"),
    ("civil.appeal.acceptance_notice", "2026-02-12", "2026-02-24", "BLTTDS 285: 3 working days across Tết 2026"),
    ("civil.appeal.acceptance_notice", "2026-03-05", "2026-03-10", "285: working days skip the weekend"),
    ("civil.appeal.acceptance_notice", "2026-01-08", "2026-01-12", "285: Sat 10 Jan 2026 is a make-up working day"),
    ("civil.appeal.acceptance_notice", "2025-12-31", "2026-01-07", "285: New Year 1-2 Jan 2026 off, then weekend"),
    ("civil.appeal.preparation", "2025-12-19", "2026-02-23", f"BLTTDS 286(1): 2 months end in Tết, {BLDS_148_5}"),
    ("civil.first_instance.hearing", "2025-12-02", "2026-01-05", "BLTTDS 203(4): 2 Jan 2026 swapped off, weekend"),
    ("civil.retrial.protest", "2025-05-01", "2026-05-04", f"BLTTDS 355: 1 May 2026 is Labour Day, {BLDS_148_5}"),
    ("criminal.first_instance.preparation.less_serious", "2026-01-15", "2026-02-23", "BLTTHS 277(1): 30 days; Tết"),
    ("criminal.first_instance.preparation.serious", "2026-03-02", "2026-04-16", "BLTTHS 277(1): 45 days"),
    ("criminal.first_instance.preparation.very_serious", "2025-12-31", "2026-03-02", "277(1): 2 months; 28 Feb Sat"),
    ("criminal.first_instance.preparation.especially_serious", "2026-10-15", "2027-01-15", "277(1): 3 months"),
    ("criminal.first_instance.hearing", "2026-08-17", "2026-09-03", "BLTTHS 277(2): 15 days; National Day 1-2 Sep"),
    ("criminal.appeal.judgment", "2027-04-15", "2027-05-04", "BLTTHS 333(1); 30 Apr, 1 May (Sat), compensatory 3 May"),
    ("criminal.appeal.decision", "2026-12-25", "2027-01-04", "BLTTHS 333(2): 7 days end on New Year 2027"),
    ("criminal.cassation.protest_against_convicted", "2025-02-14", "2026-02-23", "BLTTHS 379(1): 1 year; Tết"),
    ("administrative.first_instance.preparation", "2025-12-30", "2026-05-04", "LTTHC 130(1)(a): 4 months; 30 Apr"),
    ("administrative.appeal.judgment", "2025-12-17", "2026-01-05", "LTTHC 206(1): 15 days end on New Year 2026"),
]


@pytest.mark.parametrize(("rule_id", "trigger", "due", "why"), CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_deadline_matches_the_code_and_the_calendar(rule_id, trigger, due, why):
    deadline = compute_deadline(rule_id, D(trigger), CAL)
    assert deadline.due_on == D(due), why
    assert deadline.rule_id == rule_id
    assert deadline.legal_basis_vi and deadline.legal_basis_en


def test_appeal_deadline_moves_past_tet_holiday_with_explanation_in_both_languages():
    deadline = compute_deadline("civil.appeal.judgment", D("2026-01-30"), CAL)
    assert deadline.due_on == D("2026-02-23")
    assert deadline.legal_basis_vi == "Khoản 1 Điều 273 Bộ luật Tố tụng dân sự 2015"
    assert deadline.legal_basis_en == "Civil Procedure Code 2015, art. 273(1)"
    vi = " ".join(step.vi for step in deadline.explanation)
    en = " ".join(step.en for step in deadline.explanation)
    assert "Tết Nguyên đán" in vi and "khoản 5 Điều 148 Bộ luật Dân sự 2015" in vi and "23/02/2026" in vi
    assert "is not counted" in en and "Civil Code 2015, art. 148(5)" in en and "2026-02-23" in en


def test_calendar_knows_tet_2026_ran_from_14_to_22_february():
    days = [D(f"2026-02-{n:02d}") for n in range(13, 24)]
    assert [CAL.is_working_day(d) for d in days] == [True] + [False] * 9 + [True]
    assert CAL.next_working_day(D("2026-02-13")) == D("2026-02-23")
    assert CAL.next_working_day(D("2026-02-23")) == D("2026-02-24")


def test_calendar_treats_a_swapped_saturday_as_a_working_day():
    assert CAL.is_working_day(D("2026-01-10")) and not CAL.is_working_day(D("2026-01-02"))
    assert CAL.is_working_day(D("2025-04-26")) and not CAL.is_working_day(D("2025-05-02"))


def test_calendar_refuses_a_year_it_has_no_data_for():
    with pytest.raises(CalendarRangeError) as err:
        CAL.is_working_day(D("2028-01-03"))
    assert "2028" in err.value.message_vi and "2028" in err.value.message_en


def test_deadline_running_past_the_loaded_years_is_an_error_not_a_guess():
    with pytest.raises(CalendarRangeError):
        compute_deadline("civil.appeal.judgment", D("2027-12-20"), CAL)


def test_deadline_resting_on_estimated_holiday_data_is_flagged_for_verification():
    assert compute_deadline("civil.appeal.judgment", D("2027-01-25"), CAL).verify  # day 15 is in Tết 2027
    assert not compute_deadline("civil.appeal.judgment", D("2026-03-02"), CAL).verify
    assert compute_deadline("criminal.protest.judgment.same_level", D("2026-03-02"), CAL).verify


@pytest.mark.parametrize(
    ("case_type", "stage", "due", "rule_id"),
    [
        ("DS", "ST", "2026-05-15", "civil.first_instance.preparation"),
        ("HNGĐ", "ST", "2026-05-15", "civil.first_instance.preparation"),
        ("hngd", "st", "2026-05-15", "civil.first_instance.preparation"),
        ("KDTM", "ST", "2026-03-16", "civil.first_instance.preparation_commercial_labour"),
        ("LD", "ST", "2026-03-16", "civil.first_instance.preparation_commercial_labour"),
        ("HC", "ST", "2026-05-15", "administrative.first_instance.preparation"),
        ("DS", "PT", "2026-03-16", "civil.appeal.preparation"),
    ],
)
def test_first_deadline_of_an_accepted_case_is_its_preparation_period(case_type, stage, due, rule_id):
    deadline = compute_first_deadline(case_type, stage, D("2026-01-15"), CAL)
    assert (deadline.rule_id, deadline.due_on) == (rule_id, D(due))


def test_first_deadline_of_a_civil_case_extends_by_at_most_two_months():
    deadline = compute_first_deadline("DS", "ST", D("2026-01-15"))
    assert deadline.extension_cap is not None
    assert (deadline.extension_cap.amount, deadline.extension_cap.unit) == (2, "months")
    assert "Điều 203" in deadline.legal_basis_vi


def test_first_deadline_of_a_criminal_case_needs_the_crime_category():
    with pytest.raises(DeadlineError) as err:
        compute_first_deadline("HS", "ST", D("2026-01-15"), CAL)
    assert err.value.code == "deadline.variant_required" and "serious" in err.value.message_en
    deadline = compute_first_deadline("HS", "ST", D("2026-01-15"), CAL, variant="serious")
    assert deadline.due_on == D("2026-03-02")  # 45 days end on Sunday 1 March


@pytest.mark.parametrize(
    ("case_type", "stage", "code"),
    [("XX", "ST", "deadline.unknown_case_type"), ("DS", "ZZ", "deadline.unknown_stage"),
     ("DS", "GĐT", "deadline.no_first_deadline")],
)
def test_first_deadline_refuses_unknown_case_types_and_stages(case_type, stage, code):
    with pytest.raises(DeadlineError) as err:
        compute_first_deadline(case_type, stage, D("2026-01-15"), CAL)
    assert err.value.code == code and err.value.message_vi and err.value.message_en


def test_unknown_rule_is_refused():
    with pytest.raises(DeadlineError) as err:
        compute_deadline("civil.appeal.nonexistent", D("2026-01-15"), CAL)
    assert err.value.code == "deadline.unknown_rule"


def test_shipped_rules_cover_the_civil_procedure_code_time_limits():
    ids = {r.id for r in RuleBook.load().rules}
    assert {
        "civil.first_instance.preparation", "civil.first_instance.preparation_commercial_labour",
        "civil.appeal.judgment", "civil.appeal.decision", "civil.protest.judgment.same_level",
        "civil.protest.judgment.higher_level", "civil.protest.decision.same_level",
        "civil.protest.decision.higher_level", "civil.appeal.acceptance_notice", "civil.appeal.preparation",
        "civil.cassation.petition", "civil.cassation.protest", "civil.retrial.protest",
    } <= ids


def _rule_doc(**overrides):
    rule = {
        "id": "civil.appeal.judgment", "version": 1, "code": "BLTTDS", "purpose": "appeal",
        "applies_to": {"case_types": ["DS"], "stages": ["ST"]}, "period": {"amount": 15, "unit": "days"},
        "trigger": "pronounced", "effective_from": D("2016-07-01"),
        "citation": {"vi": "Khoản 1 Điều 273 Bộ luật Tố tụng dân sự 2015",
                     "en": "Civil Procedure Code 2015, art. 273(1)"},
    }
    rule.update(overrides)
    return {
        "schema": 1,
        "vocabulary": {"case_types": ["DS"], "stages": ["ST"], "purposes": ["appeal"]},
        "codes": {"BLTTDS": {"vi": "Bộ luật Tố tụng dân sự 2015", "en": "Civil Procedure Code 2015",
                             "counting": "civil_code"}},
        "triggers": {"pronounced": {"vi": "ngày tuyên án", "en": "the day the judgment was pronounced"}},
        "rules": [rule],
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"period": {"amount": 15, "unit": "fortnights"}},
        {"period": {"amount": 0, "unit": "days"}},
        {"citation": {"vi": "", "en": "Civil Procedure Code 2015, art. 273(1)"}},
        {"citation": None},
        {"trigger": "sentenced"},
        {"applies_to": {"case_types": ["XX"], "stages": ["ST"]}},
        {"effective_from": "someday"},
        {"surprise": True},
    ],
    ids=["unknown unit", "zero period", "empty citation", "missing citation", "undeclared trigger",
         "undeclared case type", "bad date", "unknown key"],
)
def test_rule_data_that_is_malformed_fails_loudly_at_load(overrides):
    with pytest.raises(RuleDataError) as err:
        RuleBook.from_document(_rule_doc(**overrides))
    assert err.value.code == "rules.invalid_data"


def test_rule_data_refuses_two_versions_effective_the_same_day():
    doc = _rule_doc()
    doc["rules"].append({**copy.deepcopy(doc["rules"][0]), "version": 2})
    with pytest.raises(RuleDataError):
        RuleBook.from_document(doc)


def test_rule_version_in_force_on_the_trigger_date_is_applied():
    doc = _rule_doc()
    doc["rules"].append({**copy.deepcopy(doc["rules"][0]), "version": 2, "effective_from": D("2026-07-01"),
                         "period": {"amount": 20, "unit": "days"}})
    book = RuleBook.from_document(doc)
    before = compute_deadline("civil.appeal.judgment", D("2026-06-30"), CAL, rules=book)
    after = compute_deadline("civil.appeal.judgment", D("2026-07-01"), CAL, rules=book)
    assert (before.rule_version, before.due_on) == (1, D("2026-07-15"))
    assert (after.rule_version, after.due_on) == (2, D("2026-07-21"))
    pinned = compute_deadline("civil.appeal.judgment", D("2026-07-01"), CAL, on=D("2026-06-30"), rules=book)
    assert (pinned.rule_version, pinned.due_on) == (1, D("2026-07-16"))


def test_rule_is_not_applied_before_it_took_effect():
    with pytest.raises(DeadlineError) as err:
        compute_deadline("civil.appeal.judgment", D("2016-06-30"), CAL)
    assert err.value.code == "deadline.no_rule_in_force"


def _year_doc(**overrides):
    doc = {
        "year": 2026, "weekly_rest_days": ["saturday", "sunday"],
        "sources": {"weekly_rest": {"vi": "Quyết định 188/1999/QĐ-TTg", "en": "Decision 188/1999/QD-TTg"},
                    "notice": {"vi": "Thông báo", "en": "Notice"}},
        "days_off": [{"date": D("2026-09-02"), "vi": "Quốc khánh", "en": "National Day", "source": "notice"}],
        "working_days": [],
    }
    doc.update(overrides)
    return doc


@pytest.mark.parametrize(
    "overrides",
    [
        {"days_off": [{"date": D("2026-09-02"), "vi": "Quốc khánh", "en": "National Day"}]},
        {"days_off": [{"date": D("2026-09-02"), "vi": "Quốc khánh", "en": "National Day", "source": "rumour"}]},
        {"days_off": [{"date": D("2025-09-02"), "vi": "Quốc khánh", "en": "National Day", "source": "notice"}]},
        {"days_off": [{True: D("2026-09-02"), "vi": "Quốc khánh", "en": "National Day", "source": "notice"}]},
        {"working_days": [{"date": D("2026-09-03"), "vi": "Làm bù", "en": "Make-up", "source": "notice"}]},
        {"weekly_rest_days": ["caturday"]},
        {"sources": {"notice": {"vi": "Thông báo", "en": "Notice"}}},
    ],
    ids=["no source", "unknown source", "wrong year", "yaml 'on' read as true", "make-up on a weekday",
         "unknown weekday", "no weekly rest source"],
)
def test_holiday_data_that_is_malformed_fails_loudly_at_load(overrides):
    with pytest.raises(RuleDataError):
        HolidayCalendar.from_documents([_year_doc(**overrides)])


def test_holiday_calendar_refuses_the_same_year_twice():
    with pytest.raises(RuleDataError):
        HolidayCalendar.from_documents([_year_doc(), _year_doc()])
