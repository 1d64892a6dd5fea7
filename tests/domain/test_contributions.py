"""AKAP-KR contributions per half-year and the tilläggsavgift (domain-spec 3, 3.1; worked example W9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import Employment, PersonHistory, SalaryYear
from domain.contributions import (
    akapkr_contributions,
    half_year_salaries,
    paid_as_salary,
    supplementary_contribution_rates,
    supplementary_contributions,
)


def person(birth: date, salaries: dict[int, str], employments=()) -> PersonHistory:
    return PersonHistory(
        birth_date=birth,
        employments=tuple(employments),
        salaries=tuple(SalaryYear(y, Decimal(a)) for y, a in salaries.items()),
    )


def test_w9_akapkr_contribution_on_700000_in_2024_is_74767_50():
    """W9 (DERIVED from KPA [S36] and IBB 2024 = 76 200): 6 % × 571 500 + 31.5 % × 128 500."""
    history = person(date(1960, 5, 10), {2024: "700000"})
    halves = akapkr_contributions(history, 2024)
    assert [h.salary for h in halves] == [Decimal("350000.00"), Decimal("350000.00")]
    assert [h.amount for h in halves] == [Decimal("37383.75"), Decimal("37383.75")]
    assert sum(h.amount for h in halves) == Decimal("74767.50")


def test_w9_tillaggsavgift_born_1960_on_700000_in_2024_is_16637_50_and_flagged_unconfirmed():
    """W9: 1.0 % × 571 500 + 8.5 % × 128 500; the table is the unconfirmed PA-KFS 09 table."""
    history = person(date(1960, 5, 10), {2024: "700000"})
    halves = supplementary_contributions(history, 2024)
    assert sum(h.amount for h in halves) == Decimal("16637.50")
    assert all(h.explanation.unconfirmed for h in halves)


def test_contribution_uses_half_year_breakpoint_so_uneven_halves_pay_more_than_the_annual_view():
    """Per half-year (KPA [S30]): a salary earned in one half-year is tested against 3.75 IBB only."""
    employment = Employment("2120000001", date(2024, 1, 1), date(2024, 6, 30), "monthly", Decimal(100))
    history = person(date(1970, 1, 1), {2024: "700000"}, [employment])
    first, second = akapkr_contributions(history, 2024)
    assert (first.salary, second.salary) == (Decimal("700000"), Decimal("0"))
    # 6 % × 285 750 + 31.5 % × (700 000 − 285 750)
    assert first.amount == Decimal("17145.00") + Decimal("130488.75")
    assert second.amount == 0


def test_small_half_year_contribution_is_paid_as_salary():
    """Skandikon [S31]: below 0.75 % of IBB (2024: 571.50 kr) the contribution is paid as salary."""
    history = person(date(1990, 1, 1), {2024: "18000"})  # 9 000 a half-year → 540 kr
    halves = akapkr_contributions(history, 2024)
    assert [h.amount for h in halves] == [0, 0]
    assert [paid_as_salary(h) for h in halves] == [Decimal("540.00"), Decimal("540.00")]


def test_contribution_above_15_ibb_per_half_year_is_capped():
    history = person(date(1970, 1, 1), {2024: "5000000"})
    first, _ = akapkr_contributions(history, 2024)
    # 6 % × 285 750 + 31.5 % × (1 143 000 − 285 750)
    assert first.amount == Decimal("17145.00") + Decimal("270033.75")


def test_after_the_las_age_the_contribution_is_six_percent_of_the_whole_salary():
    history = person(date(1955, 3, 1), {2024: "1000000"})  # turned 69 in March 2024
    first, second = akapkr_contributions(history, 2024)
    assert second.amount == Decimal("30000.00")
    assert first.amount != Decimal("30000.00")


def test_akap_kl_rates_apply_before_2023():
    history = person(date(1990, 1, 1), {2022: "600000"})
    halves = akapkr_contributions(history, 2022)
    # 4.5 % × 266 250 + 30 % × (300 000 − 266 250)
    assert all(h.amount == Decimal("11981.25") + Decimal("10125.00") for h in halves)
    assert {h.agreement for h in halves} == {"AKAP-KL"}


def test_tillaggsavgift_stops_in_the_month_of_the_65th_birthday():
    history = person(date(1959, 4, 15), {2024: "600000"})  # turns 65 in April 2024
    first, second = supplementary_contributions(history, 2024)
    assert first.salary == Decimal("150000.00")  # January–March
    assert second.salary == 0 and second.amount == 0


@pytest.mark.parametrize(
    ("birth_year", "below", "above"),
    [(1958, "0.012", "0.095"), (1960, "0.010", "0.085"), (1975, "0", "0.015"), (1985, "0", "0.005")],
)
def test_tillaggsavgift_rates_follow_the_published_table(birth_year, below, above):
    rate_below, rate_above, explanation = supplementary_contribution_rates(birth_year, date(2023, 1, 1))
    assert (rate_below, rate_above) == (Decimal(below), Decimal(above))
    assert explanation.unconfirmed


def test_no_tillaggsavgift_for_birth_years_outside_the_choice_group():
    rate_below, rate_above, explanation = supplementary_contribution_rates(1990, date(2023, 1, 1))
    assert (rate_below, rate_above) == (0, 0)
    assert not explanation.unconfirmed


@given(
    st.integers(min_value=0, max_value=4_000_000_00),
    st.integers(min_value=0, max_value=1_000_000_00),
    st.integers(min_value=1958, max_value=1985),
)
def test_a_higher_salary_never_lowers_the_contributions(ore, extra, birth_year):
    low = person(date(birth_year, 6, 1), {2024: str(Decimal(ore) / 100)})
    high = person(date(birth_year, 6, 1), {2024: str(Decimal(ore + extra) / 100)})

    def total(history):
        paid = akapkr_contributions(history, 2024) + supplementary_contributions(history, 2024)
        return sum(h.amount + paid_as_salary(h) for h in paid)

    assert total(high) >= total(low)
    assert sum(h.amount for h in akapkr_contributions(high, 2024)) >= sum(
        h.amount for h in akapkr_contributions(low, 2024)
    )


@given(st.integers(min_value=0, max_value=3_000_000_00), st.integers(1, 12), st.integers(1, 12))
def test_half_year_salaries_add_up_to_the_year(ore, first_month, last_month):
    start, end = sorted((first_month, last_month))
    employment = Employment("2120000001", date(2024, start, 1), date(2024, end, 28), "monthly", Decimal(100))
    history = person(date(1970, 1, 1), {2024: str(Decimal(ore) / 100)}, [employment])
    first, second = half_year_salaries(history, 2024)
    assert first + second == history.salary(2024)


def test_w5_kapkl_dc_contribution_is_capped_at_30_ibb_2023_in_the_comparison_projection():
    """W5 (Pensionsguiden [S49]): 30 IBB 2023 = 2 229 000 kr; 4.5 % of it = 100 305 kr (KAP-KL DC)."""
    from domain.projection import kapkl_dc_amount, year_table

    table = year_table(2023, 2023)
    assert table.kapkl_dc_ceiling == Decimal("2229000")
    assert kapkl_dc_amount(Decimal("3000000"), table) == Decimal("100305.00")
    # The half-year limits of AKAP-KR 2023: 3.75 IBB = 278 625, 15 IBB = 1 114 500 (W1: 7.5 IBB = 557 250).
    assert (table.akap_breakpoint, table.akap_ceiling) == (Decimal("278625.00"), Decimal("1114500"))
