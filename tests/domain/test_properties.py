"""Properties the rules must keep for every history (hypothesis): a higher salary never lowers the
pensionsunderlag or the FÅP; a livränta never decreases from one year end to the next; a later
retirement age never lowers the monthly FÅP."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import PersonHistory, SalaryYear, entitlements, monthly, pensionsunderlag
from domain.fap import fap_at_age
from tests.domain.builders import person

AT = date(2023, 4, 20)


@st.composite
def histories(draw):
    birth = date(draw(st.integers(1958, 1985)), draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    start_year = draw(st.integers(max(birth.year + 18, 1995), 2021))
    start = date(start_year, draw(st.integers(1, 12)), 1)
    first_salary_year = max(start_year, 1998)
    salaries = {
        y: draw(st.integers(150_000, 1_800_000)) for y in range(first_salary_year, 2023)
        if draw(st.booleans()) or y >= 2019
    }
    ended = draw(st.booleans())
    end = date(draw(st.integers(start_year + 1, 2023)), 6, 30) if ended else None
    ipr_above = Decimal(draw(st.sampled_from([0, 0, 2000])))
    return person(birth=birth, salaries=salaries, employed_from=start, employed_to=end,
                  ipr_1997=ipr_above * 4, ipr_1997_above_ceiling=ipr_above)


def _raised(history: PersonHistory, year: int, extra: int) -> PersonHistory:
    salaries = tuple(
        SalaryYear(s.year, s.amount + extra if s.year == year else s.amount, s.full_time_amount)
        for s in history.salaries
    )
    return PersonHistory(
        birth_date=history.birth_date, employments=history.employments, salaries=salaries, leaves=history.leaves,
        ipr_1997=history.ipr_1997, ipr_1997_above_ceiling=history.ipr_1997_above_ceiling,
    )


@settings(max_examples=150, deadline=None)
@given(histories(), st.data())
def test_a_higher_salary_never_gives_a_lower_pensionsunderlag_or_fap(history, data):
    year = data.draw(st.sampled_from([s.year for s in history.salaries]))
    extra = data.draw(st.integers(1, 500_000))
    raised = _raised(history, year, extra)
    for calc_year in (2016, 2020, 2022):
        assert pensionsunderlag(raised, calc_year).amount >= pensionsunderlag(history, calc_year).amount
    assert entitlements(raised, AT).fap_at_65.amount >= entitlements(history, AT).fap_at_65.amount


@settings(max_examples=150, deadline=None)
@given(histories())
def test_a_livranta_never_decreases_from_one_year_end_to_the_next(history):
    by_year = entitlements(history, AT).livranta_by_year
    years = sorted(by_year)
    for earlier, later in zip(years, years[1:], strict=False):
        assert by_year[later] >= by_year[earlier]


@settings(max_examples=100, deadline=None)
@given(histories())
def test_a_later_retirement_age_never_lowers_the_monthly_fap(history):
    fap = entitlements(history, AT).fap_at_65
    amounts = [monthly(fap_at_age(fap, age, AT).amount) for age in range(61, 70)]
    assert amounts == sorted(amounts)
