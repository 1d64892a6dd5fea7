"""Eligibility for the 2023 choice (SKR Q&A [S3], Saco [S35], KPA [S33]; domain-spec section 4)."""

from datetime import date
from decimal import Decimal

import pytest

from domain import LeavePeriod
from domain.eligibility import RULE_CODES, eligibility_2023
from tests.domain.builders import flat_salaries, person


def eligible_person(**overrides):
    fields = dict(
        birth=date(1970, 5, 1),
        salaries=flat_salaries(650000, 2010, 2022),
        employed_from=date(2005, 1, 1),
        fixed_monthly_salary_2022_12_31=Decimal(52000),
    )
    fields.update(overrides)
    return person(**fields)


def test_a_typical_high_earner_born_1970_is_eligible_and_every_rule_is_reported():
    result = eligibility_2023(eligible_person())
    assert result.eligible
    assert tuple(r.code for r in result.rules) == RULE_CODES
    assert all(r.passed for r in result.rules)
    assert result.reasons == ()


@pytest.mark.parametrize(("birth", "ok"), [(date(1957, 12, 31), False), (date(1958, 1, 1), True),
                                            (date(1985, 12, 31), True), (date(1986, 1, 1), False)])
def test_born_1958_to_1985_only(birth, ok):
    result = eligibility_2023(eligible_person(birth=birth))
    assert result.rule("born_in_range").passed is ok
    assert result.eligible is ok
    assert result.rule("born_in_range").data["birth_year"] == birth.year


def test_pensionsunderlag_test_uses_7_5_ibb_2022_which_is_532_500():
    rule = eligibility_2023(eligible_person()).rule("pensionsunderlag_above_7_5_ibb")
    assert rule.data["threshold"] == Decimal(532500)
    assert rule.data["year"] == 2022
    assert "[S3]" in rule.explanation.source


def test_fixed_monthly_salary_must_be_above_44_375():
    low_pu = dict(salaries=flat_salaries(350000, 2010, 2022))
    at = eligibility_2023(eligible_person(fixed_monthly_salary_2022_12_31=Decimal(44375), **low_pu))
    above = eligibility_2023(eligible_person(fixed_monthly_salary_2022_12_31=Decimal(44376), **low_pu))
    assert at.rule("salary_or_livranta").data["monthly_threshold"] == Decimal(44375)
    assert not at.rule("salary_or_livranta").passed
    assert above.rule("salary_or_livranta").passed
    assert "[S35]" in above.rule("salary_or_livranta").explanation.source


def test_either_accrual_test_suffices():
    # PU below 532 500 but fixed salary above 44 375 (a recent raise): eligible.
    result = eligibility_2023(
        eligible_person(salaries=flat_salaries(350000, 2010, 2022), fixed_monthly_salary_2022_12_31=Decimal(47000))
    )
    assert not result.rule("pensionsunderlag_above_7_5_ibb").passed
    assert result.rule("salary_or_livranta").passed
    assert result.eligible
    assert result.reasons == ()


def test_neither_accrual_test_makes_the_person_ineligible_with_both_reasons():
    result = eligibility_2023(
        eligible_person(salaries=flat_salaries(300000, 2000, 2022), fixed_monthly_salary_2022_12_31=Decimal(26000))
    )
    assert not result.eligible
    assert result.reasons == ("pensionsunderlag_above_7_5_ibb", "salary_or_livranta")
    assert result.rule("salary_or_livranta").data["earned_livranta"] == 0


def test_an_earned_livranta_passes_the_salary_or_livranta_test():
    # Earned above 7.5 IBB 2011-2019, then a lower salary: a livränta remains.
    salaries = {**flat_salaries(800000, 2005, 2019), **flat_salaries(400000, 2020, 2022)}
    result = eligibility_2023(eligible_person(salaries=salaries, fixed_monthly_salary_2022_12_31=Decimal(33000)))
    rule = result.rule("salary_or_livranta")
    assert not rule.data["salary_passed"]
    assert rule.data["earned_livranta"] > 0
    assert rule.passed


def test_hourly_paid_salary_is_converted_to_full_time():
    hourly = dict(pay_type="hourly", salaries=flat_salaries(300000, 2010, 2022), fixed_monthly_salary_2022_12_31=None)
    converted = eligibility_2023(eligible_person(full_time={2022: 560000}, **hourly))
    rule = converted.rule("salary_or_livranta")
    assert rule.data["hourly_paid"]
    assert rule.data["monthly_salary_tested"] == Decimal(560000) / 12
    assert rule.passed
    not_converted = eligibility_2023(eligible_person(**hourly))
    assert not not_converted.rule("salary_or_livranta").data["salary_passed"]


def test_part_time_monthly_salary_is_not_converted():
    # 80 % part time earning 40 000 (50 000 full time) fails the salary test.
    result = eligibility_2023(
        eligible_person(degree="80", salaries=flat_salaries(480000, 2010, 2022),
                        fixed_monthly_salary_2022_12_31=Decimal(40000), full_time={2022: 600000})
    )
    rule = result.rule("salary_or_livranta")
    assert rule.data["monthly_salary_tested"] == Decimal(40000)
    assert not rule.data["salary_passed"]


def test_must_be_employed_in_both_q4_2022_and_q1_2023():
    left = eligibility_2023(eligible_person(employed_to=date(2022, 12, 31)))
    assert not left.rule("employed_q4_2022_and_q1_2023").passed
    assert left.rule("employed_q4_2022_and_q1_2023").data["employed_q1"] is False
    assert not left.eligible
    joined = eligibility_2023(eligible_person(employed_to=date(2023, 1, 15)))
    assert joined.rule("employed_q4_2022_and_q1_2023").passed


def test_leave_at_the_turn_of_the_year_does_not_exclude():
    result = eligibility_2023(eligible_person(leaves=(LeavePeriod(date(2022, 9, 1), date(2023, 8, 31), "leave"),)))
    assert result.eligible
    assert result.rule("employed_q4_2022_and_q1_2023").data["on_leave_at_year_end"]


@pytest.mark.parametrize(
    ("fields", "ok"),
    [
        (dict(pension_granted_on=date(2023, 3, 31)), False),
        (dict(pension_granted_on=date(2023, 4, 1)), True),
        (dict(sap_granted=True), False),
        (dict(fap_in_payment=True), False),
    ],
)
def test_no_pension_granted_by_31_march_2023(fields, ok):
    result = eligibility_2023(eligible_person(**fields))
    assert result.rule("no_pension_granted").passed is ok
    assert result.eligible is ok


@pytest.mark.parametrize("kind", ["sickness_compensation", "activity_compensation"])
def test_sickness_or_activity_compensation_excludes(kind):
    result = eligibility_2023(eligible_person(leaves=(LeavePeriod(date(2021, 1, 1), None, kind),)))
    assert not result.rule("no_sickness_or_activity_compensation").passed
    assert not result.eligible
    assert result.reasons == ("no_sickness_or_activity_compensation",)


def test_compensation_that_ended_before_the_window_does_not_exclude():
    result = eligibility_2023(
        eligible_person(leaves=(LeavePeriod(date(2019, 1, 1), date(2020, 6, 30), "sickness_compensation"),))
    )
    assert result.rule("no_sickness_or_activity_compensation").passed


def test_every_rule_outcome_carries_an_explanation_with_a_source():
    for rule in eligibility_2023(eligible_person()).rules:
        assert rule.explanation.source
        assert "[S3]" in rule.explanation.source or "[S35]" in rule.explanation.source
        assert rule.data
