"""The calculation basis of a pension application and the validation of its start date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.comparison import akapkr_ipr_2022, akapkr_ipr_value
from domain.entitlements import entitlements
from domain.money import round_krona
from domain.pension_basis import InvalidStartDate, age_at, pension_basis, start_window, validate_start
from tests.domain.builders import flat_salaries, person

BORN = date(1962, 5, 10)


def _history(salary=900_000, employed_from=date(1990, 1, 1)):
    return person(birth=BORN, salaries=flat_salaries(salary, 1995, 2025), employed_from=employed_from)


def test_the_start_window_runs_from_the_61_year_month_to_the_month_after_the_67_year_month():
    first, last, uses = start_window(BORN)
    assert (first, last) == (date(2023, 5, 1), date(2029, 6, 1))
    assert "[S1]" in uses[1].source


@pytest.mark.parametrize(
    ("start", "problems"),
    [
        (date(2023, 4, 1), ("before_earliest",)),  # the month before the 61-year month
        (date(2023, 5, 1), ()),  # the 61-year month, before the birthday itself
        (date(2029, 6, 1), ()),  # the month after the 67-year month
        (date(2029, 7, 1), ("after_latest",)),
        (date(2025, 3, 15), ("not_first_of_month",)),
        (date(2020, 3, 15), ("not_first_of_month", "before_earliest")),
    ],
)
def test_start_date_validation(start, problems):
    assert validate_start(BORN, start) == problems


def test_an_invalid_start_gives_no_basis():
    with pytest.raises(InvalidStartDate) as raised:
        pension_basis(_history(), date(2023, 4, 1), chose_akapkr=False)
    assert raised.value.problems == ("before_earliest",)


def test_start_in_the_61_year_month_is_reduced_by_48_months_of_0_4_percent():
    basis = pension_basis(_history(), date(2023, 5, 1), chose_akapkr=False)
    assert basis.months_before_65 == 48
    assert basis.fap_at_65.amount > 0
    assert basis.fap_at_start.amount == round_krona(basis.fap_at_65.amount * (1 - Decimal("0.004") * 48))
    assert basis.fap_at_start.explanation.parameters[0].name == "kapkl_early_withdrawal_reduction_per_month"


def test_start_in_the_65_year_month_is_not_reduced():
    basis = pension_basis(_history(), date(2027, 5, 1), chose_akapkr=False)
    assert basis.months_before_65 == 0
    assert basis.fap_at_start.amount == basis.fap_at_65.amount


def test_retiring_between_61_and_65_credits_the_time_up_to_65():
    # Employed from 2010: earned 2010-01..2023-04 = 160 months; 2023-05..2027-04 = 48 credited.
    basis = pension_basis(_history(employed_from=date(2010, 1, 1)), date(2023, 5, 1), chose_akapkr=False)
    assert basis.time_factor.months == 160
    assert basis.time_factor.full_months == 208
    later = pension_basis(_history(employed_from=date(2010, 1, 1)), date(2025, 5, 1), chose_akapkr=False)
    assert later.time_factor.full_months == 208  # the same 65 limit whatever the start


def test_the_pensionsunderlag_is_that_of_the_start_year():
    basis = pension_basis(_history(), date(2025, 1, 1), chose_akapkr=False)
    assert basis.pensionsunderlag.year == 2025 == basis.calculation_year
    assert max(basis.pensionsunderlag.counted_years) <= 2023


def test_a_start_year_without_base_amounts_uses_the_latest_published_and_says_so():
    basis = pension_basis(_history(), date(2029, 1, 1), chose_akapkr=False)
    assert basis.calculation_year < 2029
    assert "base_amounts_of_earlier_year" in basis.caveats


def test_livranta_and_ipr_are_those_of_the_last_year_end_before_the_start():
    history = _history()
    basis = pension_basis(history, date(2025, 1, 1), chose_akapkr=False)
    rights = entitlements(history, date(2025, 1, 1))
    assert basis.livranta.amount == rights.livranta.amount
    assert basis.intjanad_livranta.amount == rights.intjanad_livranta.amount
    assert basis.ipr_1997.amount == rights.ipr_1997.amount


def test_without_fap_the_basis_says_the_livranta_is_paid_instead():
    basis = pension_basis(_history(salary=400_000), date(2025, 1, 1), chose_akapkr=False)
    assert basis.fap_at_start.amount == 0
    assert "no_fap_livranta_instead" in basis.caveats


def test_akapkr_members_get_the_ipr_2022_indexed_with_ibb_to_the_start_year_and_no_fap():
    history = _history()
    basis = pension_basis(history, date(2026, 1, 1), chose_akapkr=True)
    assert basis.agreement == "AKAP-KR"
    assert basis.fap_at_start is None and basis.pensionsunderlag is None
    expected = akapkr_ipr_value(akapkr_ipr_2022(history), 2026)
    assert basis.akapkr_ipr_2022.amount == expected.amount > 0


def test_every_figure_carries_an_explanation_with_a_source_and_the_snapshot_lists_them():
    basis = pension_basis(_history(), date(2024, 1, 1), chose_akapkr=False)
    codes = [code for code, _ in basis.figures()]
    assert codes == ["pensionsunderlag", "fap_at_65", "fap_at_start", "intjanad_livranta", "livranta", "ipr_1997"]
    for _code, figure in basis.figures():
        assert figure.explanation.source
    snapshot = basis.to_snapshot()
    assert snapshot["figures"]["fap_at_start"] == str(basis.fap_at_start.amount)
    assert snapshot["start"] == "2024-01-01" and snapshot["age"] == [61, 7]


def test_age_at_counts_whole_months():
    assert age_at(BORN, date(2023, 5, 9)) == (60, 11)
    assert age_at(BORN, date(2023, 5, 10)) == (61, 0)
