"""The population path gives the per-person path's figures (issue 2: "results identical to the
per-person path"), including the branches the synthetic bench population rarely reaches."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import ComparisonAssumptions, Employment, LeavePeriod, PersonHistory, SalaryYear, compare
from domain.batch import evaluate_many, evaluate_person
from tests.domain.test_robustness import wide_histories

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.population import population  # noqa: E402

AT = date(2023, 4, 20)
DEFAULTS = ComparisonAssumptions()


def test_population_path_equals_the_per_person_path_on_a_synthetic_population():
    people = population(150, seed=11)
    assert evaluate_many(people, AT, DEFAULTS) == [evaluate_person(p, AT, DEFAULTS) for p in people]


def history(birth, salaries, start, end=None, pay_type="monthly", leaves=(), ipr=0, fixed=None, full_time=None):
    return PersonHistory(
        birth_date=birth,
        employments=(Employment("2120000001", start, end, pay_type, Decimal(100)),),
        salaries=tuple(
            SalaryYear(y, Decimal(a), Decimal(full_time) if full_time and y == 2022 else None)
            for y, a in salaries.items()
        ),
        leaves=tuple(leaves),
        ipr_1997=Decimal(ipr),
        ipr_1997_above_ceiling=Decimal(ipr) / 4,
        fixed_monthly_salary_2022_12_31=Decimal(fixed) if fixed is not None else None,
    )


EDGE_CASES = [
    # short history: fewer than five salary years in the PU window
    history(date(1980, 5, 1), {2019: 700000, 2020: 720000, 2021: 740000, 2022: 760000}, date(2019, 3, 1)),
    # no salary in the window at all (the fallback reading)
    history(date(1975, 1, 1), {2022: 900000}, date(2022, 1, 1)),
    # hourly paid with a full-time amount, and without one
    history(date(1972, 8, 15), {y: 300000 for y in range(2010, 2023)}, date(2005, 1, 1), pay_type="hourly",
            full_time=560000),
    history(date(1972, 8, 15), {y: 300000 for y in range(2010, 2023)}, date(2005, 1, 1), pay_type="hourly"),
    # left in October 2022, sickness compensation, IPR 1997 with a part above the ceiling
    history(date(1968, 11, 11), {y: 650000 for y in range(2005, 2023)}, date(1990, 1, 1), end=date(2022, 10, 31)),
    history(date(1967, 4, 14), {y: 800000 for y in range(2000, 2023)}, date(1990, 1, 1),
            leaves=[LeavePeriod(date(2020, 1, 1), None, "sickness_compensation")], ipr=30000, fixed=70000),
    # born outside the choice's birth years, and a short spell
    history(date(1990, 6, 20), {y: 500000 for y in range(2014, 2023)}, date(2014, 1, 1)),
    history(date(1957, 1, 1), {y: 900000 for y in range(2000, 2023)}, date(2022, 11, 1)),
]


def test_population_path_equals_the_per_person_path_on_edge_cases():
    for assumptions in (DEFAULTS, ComparisonAssumptions(61, Decimal("0.02"), Decimal(0), 10)):
        assert evaluate_many(EDGE_CASES, AT, assumptions) == [
            evaluate_person(p, AT, assumptions) for p in EDGE_CASES
        ]


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(61, 69),
    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("-0.01")]),
    st.sampled_from([date(2023, 4, 20), date(2022, 12, 31), date(2025, 6, 1)]),
)
def test_population_path_equals_the_per_person_path_for_any_assumptions(seed, age, growth, at):
    people = population(4, seed=seed)
    assumptions = ComparisonAssumptions(age, growth, Decimal("0.019"), 20)
    assert evaluate_many(people, at, assumptions) == [evaluate_person(p, at, assumptions) for p in people]


@settings(max_examples=150, deadline=None)
@given(wide_histories(), st.dates(date(2022, 12, 31), date(2026, 12, 31)), st.integers(61, 69))
def test_any_plausible_history_gives_a_comparison_and_the_same_figures_on_both_paths(history, at, age):
    assumptions = ComparisonAssumptions(age, Decimal(0), Decimal("0.019"), 20)
    result = compare(history, assumptions, at)
    for side in (result.stay, result.move):
        assert all(p.yearly >= 0 and p.monthly >= 0 for p in side.parts)
        assert side.total_monthly == sum(p.monthly for p in side.parts)
    assert result.is_estimate and "estimate" in result.caveats
    assert evaluate_many([history], at, assumptions) == [evaluate_person(history, at, assumptions)]
