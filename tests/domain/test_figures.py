"""The numbers-only path gives exactly the per-person path's amounts (issue 2: "results identical
to the per-person path")."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import entitlements
from domain.figures import entitlement_figures
from tests.domain.test_robustness import wide_histories


def as_figures(result):
    return (
        result.calculation_year,
        result.pensionsunderlag.amount,
        result.time_factor.months,
        result.time_factor.full_months,
        result.fap_at_65.amount,
        result.intjanad_livranta_2006,
        result.intjanad_livranta.amount,
        result.livranta.amount,
        result.livranta_by_year,
        result.ipr_1997.amount,
        result.ipr_1997_above_ceiling.amount,
        {c.year: c.amount for c in result.dc_contributions},
    )


@settings(max_examples=200, deadline=None)
@given(wide_histories(), st.dates(date(2007, 1, 1), date(2026, 12, 31)))
def test_entitlement_figures_equal_the_entitlements(history, at):
    fast = entitlement_figures(history, at)
    assert (
        fast.calculation_year, fast.pensionsunderlag, fast.months, fast.credited_months, fast.fap_at_65,
        fast.intjanad_livranta_2006, fast.intjanad_livranta, fast.livranta, fast.livranta_by_year,
        fast.ipr_1997, fast.ipr_1997_above_ceiling, fast.dc_by_year,
    ) == as_figures(entitlements(history, at))
