"""Contribution invoices per half-year and their corrections (issue 9; domain-spec 2.2, 3, 3.1, 5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import Employment, PersonHistory, SalaryYear
from domain.invoice import (
    Coverage,
    Period,
    corrections,
    invoice_lines,
    invoice_with_corrections,
)

ORG = "2120000001"
H1_2024, H2_2024 = Period(2024, 1), Period(2024, 2)


def person(birth: date, salaries: dict[int, str], employer: str = ORG) -> PersonHistory:
    return PersonHistory(
        birth_date=birth,
        employments=(Employment(employer, date(2010, 1, 1), None, "monthly", Decimal(100)),),
        salaries=tuple(SalaryYear(y, Decimal(a)) for y, a in salaries.items()),
    )


def by_kind(lines):
    return {line.kind: line for line in lines}


def test_w9_chooser_born_1960_owes_contribution_tillaggsavgift_and_loneskatt_for_the_first_half_of_2024():
    """By hand (W9, IBB 2024 = 76 200; half-year 350 000, 3.75 IBB = 285 750):
    AKAP-KR 6 % × 285 750 + 31.5 % × 64 250 = 17 145 + 20 238.75 = 37 383.75;
    tilläggsavgift 1.0 % × 285 750 + 8.5 % × 64 250 = 2 857.50 + 5 461.25 = 8 318.75;
    löneskatt 24.26 %: 37 383.75 × 0.2426 = 9 069.29775 → 9 069.30; 8 318.75 × 0.2426 = 2 018.12875 → 2 018.13."""
    history = person(date(1960, 5, 10), {2024: "700000"})
    lines = by_kind(invoice_lines(history, H1_2024, agreement="AKAP-KR", chose_akapkr=True, employer=ORG))
    assert set(lines) == {"akapkr", "tillaggsavgift"}
    assert (lines["akapkr"].salary, lines["akapkr"].contribution, lines["akapkr"].payroll_tax) == (
        Decimal("350000.00"), Decimal("37383.75"), Decimal("9069.30"))
    assert (lines["tillaggsavgift"].contribution, lines["tillaggsavgift"].payroll_tax) == (
        Decimal("8318.75"), Decimal("2018.13"))
    assert sum(line.total for line in lines.values()) == Decimal("56789.93")
    assert lines["tillaggsavgift"].explanation.unconfirmed  # the tilläggsavgift table is flagged
    assert "[S45]" in lines["akapkr"].explanation.source


def test_a_non_chooser_in_akapkr_owes_no_tillaggsavgift():
    history = person(date(1960, 5, 10), {2024: "700000"})
    lines = invoice_lines(history, H1_2024, agreement="AKAP-KR", chose_akapkr=False)
    assert [line.kind for line in lines] == ["akapkr"]


def test_kapkl_dc_part_is_yearly_and_invoiced_with_the_second_half_year():
    """4.5 % × 600 000 = 27 000.00 (Valcentralen [S2]); löneskatt 27 000 × 0.2426 = 6 550.20."""
    history = person(date(1955, 3, 1), {2024: "600000"})
    assert invoice_lines(history, H1_2024, agreement="KAP-KL") == ()
    (line,) = invoice_lines(history, H2_2024, agreement="KAP-KL")
    assert (line.kind, line.contribution, line.payroll_tax, line.total) == (
        "kapkl_dc", Decimal("27000.00"), Decimal("6550.20"), Decimal("33550.20"))


def test_a_contribution_under_the_small_amount_limit_is_shown_as_paid_as_salary_not_invoiced():
    """Skandikon [S31]: 9 000 a half-year × 6 % = 540 < 0.75 % × 76 200 = 571.50."""
    history = person(date(1990, 1, 1), {2024: "18000"})
    (line,) = invoice_lines(history, H1_2024, agreement="AKAP-KR")
    assert (line.contribution, line.paid_as_salary, line.payroll_tax, line.total) == (
        0, Decimal("540.00"), 0, 0)


def test_the_employer_restricts_the_months_over_which_the_salary_is_spread():
    """Employed here only January–June 2024: the year's salary here belongs to the first half."""
    history = PersonHistory(
        birth_date=date(1980, 1, 1),
        employments=(Employment(ORG, date(2020, 1, 1), date(2024, 6, 30), "monthly", Decimal(100)),
                      Employment("2120000002", date(2024, 7, 1), None, "monthly", Decimal(100))),
        salaries=(SalaryYear(2024, Decimal("200000")),),
    )
    assert invoice_lines(history, H2_2024, agreement="AKAP-KR", employer=ORG) == ()
    (line,) = invoice_lines(history, H1_2024, agreement="AKAP-KR", employer=ORG)
    assert (line.salary, line.contribution) == (Decimal("200000"), Decimal("12000.00"))


def test_a_salary_reported_after_the_cutoff_is_corrected_on_the_next_invoice():
    """H1 2024 was invoiced on 300 000 a year (150 000 a half: 9 000.00 + löneskatt 2 183.40). A raise
    to 360 000 reported later: H1 owes 10 800.00 + 2 620.08, so the H2 invoice carries a correction of
    +1 800.00 and +436.68 for H1 besides its own 10 800.00 + 2 620.08."""
    at_cutoff = person(date(1980, 1, 1), {2024: "300000"})
    now = person(date(1980, 1, 1), {2024: "360000"})
    lines = invoice_with_corrections(now, at_cutoff, H2_2024, agreement="AKAP-KR")
    own = [line for line in lines if not line.correction]
    (fix,) = [line for line in lines if line.correction]
    assert [(line.period, line.contribution, line.payroll_tax) for line in own] == [
        (H2_2024, Decimal("10800.00"), Decimal("2620.08"))]
    assert (fix.period, fix.kind, fix.salary, fix.contribution, fix.payroll_tax) == (
        H1_2024, "akapkr", Decimal("30000.00"), Decimal("1800.00"), Decimal("436.68"))
    assert fix.explanation.rule == "invoice_correction"


def test_no_correction_when_nothing_changed():
    history = person(date(1980, 1, 1), {2024: "300000"})
    lines = invoice_with_corrections(history, history, H2_2024, agreement="AKAP-KR")
    assert not any(line.correction for line in lines)


def test_a_person_first_reported_after_the_cutoff_is_corrected_for_the_issued_period():
    now = person(date(1980, 1, 1), {2024: "300000"})
    (fix,) = corrections(now, (), coverage_at=lambda _p: Coverage("AKAP-KR"), periods=[H1_2024])
    assert (fix.period, fix.contribution, fix.correction) == (H1_2024, Decimal("9000.00"), True)


def test_periods_parse_and_order():
    assert Period.parse("2023-2") == Period(2023, 2)
    assert Period(2023, 2).next() == Period(2024, 1) and Period(2024, 1).previous() == Period(2023, 2)
    assert Period.containing(date(2023, 7, 1)) == Period(2023, 2)
    for bad in ("2023-3", "2023", "x", "2023-1 "):
        with pytest.raises(ValueError):
            Period.parse(bad)


salaries = st.integers(min_value=0, max_value=3_000_000).map(lambda n: Decimal(n) / 4)


@settings(max_examples=60, deadline=None)
@given(
    birth_year=st.integers(min_value=1958, max_value=2000),
    coverage=st.sampled_from([Coverage("AKAP-KR"), Coverage("AKAP-KR", True), Coverage("KAP-KL")]),
    reports=st.lists(st.tuples(salaries, salaries), min_size=4, max_size=4),
)
def test_invoices_plus_later_corrections_equal_a_recomputation_from_the_final_salaries(
    birth_year, coverage, reports
):
    """Four half-years 2023-1 … 2024-2 invoiced in turn, the register's salaries for 2023 and 2024
    changing before each invoice; then a final invoice (2025-1) with the final salaries. Per period
    and kind, everything invoiced equals what the final salaries give."""
    if coverage.agreement == "KAP-KL" and birth_year > 1985:
        coverage = Coverage("AKAP-KR")
    birth = date(birth_year, 6, 15)
    periods = [Period(2023, 1), Period(2023, 2), Period(2024, 1), Period(2024, 2), Period(2025, 1)]
    histories = [person(birth, {2023: str(a), 2024: str(b)}) for a, b in reports]
    histories.append(histories[-1])  # the final salaries, known when 2025-1 is invoiced
    invoiced = []
    for period, history in zip(periods, histories, strict=True):
        invoiced += corrections(history, invoiced, coverage_at=lambda _p: coverage, employer=ORG,
                                periods=[p for p in periods if p < period])
        invoiced += invoice_lines(history, period, agreement=coverage.agreement,
                                  chose_akapkr=coverage.chose_akapkr, employer=ORG)
    final = histories[-1]
    for period in periods:
        owed = invoice_lines(final, period, agreement=coverage.agreement, chose_akapkr=coverage.chose_akapkr,
                             employer=ORG)
        for kind in ("akapkr", "tillaggsavgift", "kapkl_dc"):
            mine = [line for line in invoiced if line.period == period and line.kind == kind]
            want = [line for line in owed if line.kind == kind]
            for field in ("contribution", "payroll_tax", "paid_as_salary"):
                assert sum(getattr(line, field) for line in mine) == sum(getattr(line, field) for line in want)
