"""The comparison of staying in KAP-KL with moving to AKAP-KR (issue 2; domain-spec 2, 3, 6)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import (
    ComparisonAssumptions,
    Employment,
    PersonHistory,
    SalaryYear,
    akapkr_contributions,
    akapkr_ipr_2022,
    akapkr_ipr_value,
    compare,
    compare_ages,
    compare_many,
    default_assumptions,
    entitlements,
    supplementary_contributions,
)

CHOICE_DAY = date(2023, 4, 20)
NO_GROWTH = ComparisonAssumptions(65, Decimal(0), Decimal("0.019"), 20)


def employee(birth: date, salary_2022: int, first_year: int = 2010, last_year: int = 2022,
             start: date = date(1995, 1, 1), growth: str = "0.03", **extra) -> PersonHistory:
    """A monthly paid employee since ``start`` with salaries growing ``growth`` a year to 2022."""
    salaries = []
    amount = Decimal(salary_2022)
    for year in range(2022, first_year - 1, -1):
        if year <= last_year:
            salaries.append(SalaryYear(year, amount.quantize(Decimal(1))))
        amount = amount / (1 + Decimal(growth))
    for year in range(2023, last_year + 1):
        salaries.append(SalaryYear(year, Decimal(salary_2022)))
    return PersonHistory(
        birth_date=birth,
        employments=(Employment("2120000001", start, None, "monthly", Decimal(100)),),
        salaries=tuple(sorted(salaries, key=lambda s: s.year)),
        **extra,
    )


ANNA = employee(date(1965, 3, 12), 720_000, first_year=1997)


def monthly_part(side, code: str) -> Decimal:
    part = side.part(code)
    return part.monthly if part else Decimal(0)


def test_comparison_is_an_estimate_with_its_assumptions_and_caveats():
    result = compare(ANNA, NO_GROWTH, CHOICE_DAY)
    assert result.is_estimate is True
    assert "estimate" in result.caveats
    assert result.assumptions == NO_GROWTH
    assert result.stay.agreement == "KAP-KL" and result.move.agreement == "AKAP-KR"
    assert result.difference_monthly == result.move.total_monthly - result.stay.total_monthly
    assert result.stay.total_yearly == sum(p.yearly for p in result.stay.parts)
    assert result.move.total_monthly == sum(p.monthly for p in result.move.parts)


def test_staying_gives_fap_and_moving_gives_the_ipr_2022_and_akapkr_contributions():
    result = compare(ANNA, NO_GROWTH, CHOICE_DAY)
    assert [p.code for p in result.stay.parts] == ["fap", "ipr_1997", "kapkl_dc"]
    assert [p.code for p in result.move.parts] == [
        "akapkr_ipr_2022", "ipr_1997", "kapkl_dc", "akapkr_dc", "supplementary",
    ]
    assert result.stay.part("fap").yearly > 0
    assert result.move.part("akapkr_ipr_2022").yearly > 0
    assert result.move.part("supplementary").yearly > 0
    assert "tillaggsavgift_unconfirmed" in result.caveats


def test_without_growth_at_a_year_end_the_fap_at_65_equals_the_entitlement():
    """The comparison reuses domain-core's FÅP rule: at 2022-12-31 (today's money = 2022), no
    growth and retirement at 65 give exactly the entitlements' FÅP at 65."""
    at = date(2022, 12, 31)
    rights = entitlements(ANNA, at)
    result = compare(ANNA, NO_GROWTH, at, rights=rights)
    assert rights.fap_at_65.amount > 0
    assert result.stay.part("fap").yearly == rights.fap_at_65.amount


def test_fap_before_65_is_reduced_by_0_4_percent_a_month():
    """RIPS 07 [S26]: 0.4 % a month before 65; from 61 that is 19.2 %."""
    at = date(2022, 12, 31)
    ages = compare_ages(ANNA, NO_GROWTH, at)
    fap_65 = ages[65].stay.part("fap").yearly
    assert ages[61].stay.part("fap").yearly == (fap_65 * Decimal("0.808")).quantize(Decimal(1))
    assert ages[69].stay.part("fap").yearly == fap_65
    assert "no_deferral_increase" in ages[69].caveats


def test_compare_ages_gives_one_comparison_per_age_61_to_69():
    ages = compare_ages(ANNA, None, CHOICE_DAY)
    assert list(ages) == list(range(61, 70))
    assert all(c.assumptions.retirement_age == age for age, c in ages.items())


def test_default_assumptions_come_from_the_parameter_file_and_are_flagged():
    defaults = default_assumptions(CHOICE_DAY)
    assert defaults == ComparisonAssumptions()
    assert (defaults.retirement_age, defaults.payout_years) == (65, 20)
    assert defaults.real_return == Decimal("0.019")
    assert any(p.unconfirmed for p in defaults.parameters)
    assert "unconfirmed_parameters" in compare(ANNA, defaults, CHOICE_DAY).caveats


def test_w9_derived_contributions_are_the_ones_the_comparison_counts():
    """W9 (DERIVED): born 1960, 2024 salary 700 000 → AKAP-KR 74 767.50, tilläggsavgift 16 637.50."""
    history = employee(date(1960, 5, 10), 700_000, last_year=2024)
    result = compare(history, NO_GROWTH, date(2025, 3, 1))
    akap = dict(result.move.part("akapkr_dc").explanation.inputs)["contributions_by_years"]
    supp = dict(result.move.part("supplementary").explanation.inputs)["contributions_by_years"]
    assert (2024, 2024, Decimal("74767.50")) in akap
    assert (2024, 2024, Decimal("16637.50")) in supp
    assert sum(c.amount for c in akapkr_contributions(history, 2024)) == Decimal("74767.50")
    assert sum(c.amount for c in supplementary_contributions(history, 2024)) == Decimal("16637.50")


def test_akapkr_ipr_2022_is_the_kapkl_livranta_at_2022_12_31_indexed_with_ibb():
    rights = entitlements(ANNA, date(2023, 1, 1))
    ipr = akapkr_ipr_2022(ANNA)
    assert ipr.amount == rights.intjanad_livranta.amount + rights.livranta_by_year[2022]
    # Later entitlements give the same IPR (the intjänad livränta is taken at the 2022 level).
    assert akapkr_ipr_2022(ANNA, entitlements(ANNA, date(2025, 6, 1))).amount == ipr.amount
    assert rights.intjanad_livranta.amount > 0
    assert ipr.amount > 0
    assert akapkr_ipr_value(ipr, 2024).amount == (ipr.amount * 76200 / 71000).quantize(Decimal(1))


def test_snapshot_is_json_with_strings_for_amounts():
    result = compare(ANNA, NO_GROWTH, CHOICE_DAY)
    snapshot = json.loads(json.dumps(result.to_snapshot()))
    assert snapshot["is_estimate"] is True
    assert snapshot["difference_monthly"] == str(result.difference_monthly)
    assert snapshot["stay"]["parts"][0] == {
        "code": "fap",
        "yearly": str(result.stay.parts[0].yearly),
        "monthly": str(result.stay.parts[0].monthly),
    }
    assert snapshot["assumptions"]["real_return"] == "0.019"


def test_compare_many_gives_the_per_person_results():
    people = [ANNA, employee(date(1980, 1, 1), 480_000), employee(date(1958, 12, 31), 900_000)]
    many = compare_many(people, NO_GROWTH, CHOICE_DAY)
    assert [m.to_snapshot() for m in many] == [compare(p, NO_GROWTH, CHOICE_DAY).to_snapshot() for p in people]


people = st.builds(
    employee,
    birth=st.dates(date(1958, 1, 1), date(1985, 12, 31)),
    salary_2022=st.integers(250_000, 2_500_000),
    first_year=st.integers(2005, 2014),
    start=st.dates(date(1985, 1, 1), date(2013, 1, 1)),
    growth=st.sampled_from(["0", "0.02", "0.05"]),
)
assumptions = st.builds(
    ComparisonAssumptions,
    retirement_age=st.integers(61, 69),
    real_salary_growth=st.sampled_from([Decimal("-0.01"), Decimal(0), Decimal("0.015"), Decimal("0.04")]),
    real_return=st.sampled_from([Decimal(0), Decimal("0.019"), Decimal("0.035")]),
    payout_years=st.integers(10, 25),
)


@settings(max_examples=40, deadline=None)
@given(people, assumptions)
def test_both_sides_use_the_same_inputs(history, chosen):
    result = compare(history, chosen, CHOICE_DAY)
    stay_dc = dict(result.stay.part("kapkl_dc").explanation.inputs)
    move_kapkl = dict(result.move.part("kapkl_dc").explanation.inputs)
    move_akap = dict(result.move.part("akapkr_dc").explanation.inputs)
    # The same KAP-KL contributions before 2023 on both sides, then each side's own rule on the
    # same years of the same salary path, to the same retirement year.
    before = move_kapkl["contributions_by_years"]
    after = stay_dc["contributions_by_years"][len(before):]
    assert stay_dc["contributions_by_years"][: len(before)] == before
    assert [(f, la) for f, la, _ in after] == [(f, la) for f, la, _ in move_akap["contributions_by_years"]]
    for key in ("retirement_year", "real_return", "payout_years"):
        assert stay_dc[key] == move_kapkl[key] == move_akap[key]
    assert result.stay.part("ipr_1997") == result.move.part("ipr_1997")
    assert result.assumptions == chosen


@settings(max_examples=40, deadline=None)
@given(people, assumptions)
def test_later_retirement_never_lowers_the_monthly_fap(history, chosen):
    ages = compare_ages(history, chosen, CHOICE_DAY)
    fap = [monthly_part(ages[age].stay, "fap") for age in range(61, 70)]
    assert fap == sorted(fap)


@settings(max_examples=30, deadline=None)
@given(people, assumptions, st.integers(1, 400_000))
def test_a_higher_salary_never_lowers_the_contribution_parts(history, chosen, raise_by):
    higher = PersonHistory(
        birth_date=history.birth_date,
        employments=history.employments,
        salaries=tuple(SalaryYear(s.year, s.amount + raise_by) for s in history.salaries),
    )
    low, high = compare(history, chosen, CHOICE_DAY), compare(higher, chosen, CHOICE_DAY)
    for code in ("akapkr_dc", "supplementary"):
        assert high.move.part(code).yearly >= low.move.part(code).yearly
    assert high.stay.part("kapkl_dc").yearly >= low.stay.part("kapkl_dc").yearly


def test_a_leaver_earns_no_contributions_after_leaving():
    leaver = PersonHistory(
        birth_date=date(1970, 5, 5),
        employments=(Employment("2120000001", date(2000, 1, 1), date(2022, 10, 31), "monthly", Decimal(100)),),
        salaries=tuple(SalaryYear(y, Decimal(600_000)) for y in range(2010, 2023)),
    )
    result = compare(leaver, NO_GROWTH, CHOICE_DAY)
    assert result.move.part("akapkr_dc").yearly == 0
    assert result.move.part("supplementary").yearly == 0
    assert result.stay.part("kapkl_dc").yearly == result.move.part("kapkl_dc").yearly


def test_a_salary_of_part_of_the_last_year_is_projected_as_a_full_year():
    """Started in July 2022 with 300 000 for six months: 2023 onwards at 600 000 a year."""
    newcomer = PersonHistory(
        birth_date=date(1980, 1, 15),
        employments=(Employment("2120000001", date(2022, 7, 1), None, "monthly", Decimal(100)),),
        salaries=(SalaryYear(2022, Decimal(300_000)),),
    )
    result = compare(newcomer, NO_GROWTH, CHOICE_DAY)
    path = dict(result.explanation.inputs)["salary_path"]
    assert path[0] == (2023, 2044, Decimal("600000.00"))


def test_tillaggsavgift_stops_at_65_while_akapkr_contributions_go_on_to_retirement():
    result = compare(ANNA, ComparisonAssumptions(69, Decimal(0), Decimal("0.019"), 20), CHOICE_DAY)
    akap = dict(result.move.part("akapkr_dc").explanation.inputs)["contributions_by_years"]
    supp = dict(result.move.part("supplementary").explanation.inputs)["contributions_by_years"]
    born = ANNA.birth_year
    assert max(last for _, last, amount in akap if amount) == born + 69
    assert all(amount == 0 for first, _, amount in supp if first > born + 65)
    # Born in March: in the 65-year, January and February still carry tilläggsavgift.
    assert any(first == born + 65 and amount > 0 for first, _, amount in supp)


def test_retiring_later_gives_more_akapkr_capital_on_the_moving_side():
    ages = compare_ages(ANNA, NO_GROWTH, CHOICE_DAY)
    akapkr = [ages[age].move.part("akapkr_dc").yearly for age in range(61, 70)]
    assert akapkr == sorted(akapkr) and akapkr[0] < akapkr[-1]
