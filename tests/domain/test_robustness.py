"""Any plausible register history gives a result (never a crash), with consistent figures."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import (
    RULE_CODES,
    Employment,
    LeavePeriod,
    PersonHistory,
    SalaryYear,
    eligibility_2023,
    entitlements,
)


@st.composite
def wide_histories(draw):
    birth = date(draw(st.integers(1946, 1995)), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    employments = []
    for _ in range(draw(st.integers(0, 3))):
        start = date(draw(st.integers(1985, 2023)), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
        end = draw(st.one_of(st.none(), st.dates(start, date(2026, 12, 31))))
        employments.append(
            Employment("x", start, end, draw(st.sampled_from(["monthly", "hourly"])), Decimal(draw(st.integers(10, 100))))
        )
    years = draw(st.lists(st.integers(1990, 2026), max_size=25, unique=True))
    salaries = tuple(
        SalaryYear(y, Decimal(draw(st.integers(0, 3_000_000))) / 100 * 100,
                   draw(st.one_of(st.none(), st.integers(0, 1_500_000).map(Decimal))))
        for y in sorted(years)
    )
    leaves = tuple(
        LeavePeriod(d, None if draw(st.booleans()) else date(2030, 1, 1), kind)
        for d, kind in draw(st.lists(st.tuples(st.dates(date(2015, 1, 1), date(2024, 1, 1)),
                                               st.sampled_from(["leave", "sickness_compensation"])), max_size=2))
    )
    ipr = Decimal(draw(st.integers(0, 80_000)))
    return PersonHistory(
        birth_date=birth, employments=tuple(employments), salaries=salaries, leaves=leaves,
        ipr_1997=ipr, ipr_1997_above_ceiling=ipr / 5,
        fixed_monthly_salary_2022_12_31=draw(st.one_of(st.none(), st.integers(0, 120_000).map(Decimal))),
        pension_granted_on=draw(st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2024, 1, 1)))),
    )


@settings(max_examples=200, deadline=None)
@given(wide_histories(), st.dates(date(2007, 1, 1), date(2026, 12, 31)))
def test_entitlements_and_eligibility_work_for_any_history(history, at):
    result = entitlements(history, at)
    assert result.fap_at_65.amount >= 0
    assert result.livranta.amount >= 0
    assert result.livranta.amount == result.livranta_by_year.get(result.calculation_year, Decimal(0))
    assert all(c.amount >= 0 for c in result.dc_contributions)
    assert result.explanation.parts
    eligibility = eligibility_2023(history)
    assert tuple(r.code for r in eligibility.rules) == RULE_CODES
    assert eligibility.eligible == (eligibility.reasons == ())
