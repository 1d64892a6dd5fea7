"""The pension simulation (domain/simulation.py): the published 0.4 %/month reduction (RIPS 07
[S26]), the ages and payout periods the rules allow, fixed periods that stop, partial withdrawal
(share + rest = whole), later retirement never paying less per month, and the snapshot."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import (
    InvalidSimulation,
    Simulation,
    SimulationRequest,
    allowed_retirement_ages,
    allowed_withdrawal_shares,
    compare,
    default_assumptions,
    own_agreement,
    round_krona,
    simulate,
)
from domain.comparison import ComparisonAssumptions
from domain.simulation import DC_PARTS, LIFELONG_TAIL, PAYMENT_YEARS
from tests.domain.builders import flat_salaries, person
from tests.domain.test_properties import histories

AT = date(2023, 4, 20)
HIGH = flat_salaries(750_000, 2000, 2022)  # above 7.5 IBB: FÅP


def high_earner(birth: date = date(1965, 6, 15)):
    return person(birth=birth, salaries=HIGH, ipr_1997=Decimal(20_000))


# --- published example ---------------------------------------------------------------------------

def test_fap_at_61_is_reduced_by_0_4_percent_a_month_before_65_that_is_19_2_percent():
    """RIPS 07 [S26]: reduced by 0.4 % a month up to 65; from 61 that is 48 months = 19.2 %."""
    history = high_earner()
    at_65 = simulate(history, SimulationRequest(65, agreement="KAP-KL"), AT).part("fap")
    at_61 = simulate(history, SimulationRequest(61, agreement="KAP-KL"), AT).part("fap")
    assert at_61.yearly_at_start == round_krona(at_65.yearly_at_start * Decimal("0.808"))
    assert at_61.yearly_at_start < at_65.yearly_at_start


def test_ipr_1997_is_reduced_the_same_way_and_paid_for_life():
    history = high_earner()
    at_65 = simulate(history, SimulationRequest(65, agreement="KAP-KL"), AT).part("ipr_1997")
    at_63 = simulate(history, SimulationRequest(63, agreement="KAP-KL"), AT).part("ipr_1997")
    assert at_63.yearly_at_start == round_krona(at_65.yearly_at_start * (1 - Decimal("0.004") * 24))
    assert at_63.payout_years is None


# --- built on the comparison -----------------------------------------------------------------------

@pytest.mark.parametrize(("agreement", "side"), [("KAP-KL", "stay"), ("AKAP-KR", "move")])
def test_whole_withdrawal_gives_the_comparisons_parts_of_that_agreement(agreement, side):
    history = high_earner()
    sim = simulate(history, SimulationRequest(64, dc_payout_years=15, agreement=agreement), AT)
    base = default_assumptions(AT)
    comparison = compare(history, ComparisonAssumptions(64, base.real_salary_growth, base.real_return, 15), AT)
    parts = getattr(comparison, side).parts
    assert [(p.code, p.monthly_at_start) for p in sim.parts] == [(p.code, p.monthly) for p in parts if p.yearly]
    assert sim.total_monthly == sum(p.monthly_at_start for p in sim.parts)


# --- ages, shares, periods -------------------------------------------------------------------------

def test_kapkl_offers_61_to_67_and_akapkr_61_to_the_las_age_69():
    history = high_earner()
    assert allowed_retirement_ages(history, AT, "KAP-KL") == tuple(range(61, 68))
    assert allowed_retirement_ages(history, AT, "AKAP-KR") == tuple(range(61, 70))


def test_ages_whose_year_has_passed_are_not_offered():
    history = high_earner(date(1960, 2, 1))  # 63 in 2023
    assert allowed_retirement_ages(history, AT, "KAP-KL") == (63, 64, 65, 66, 67)
    with pytest.raises(InvalidSimulation) as error:
        simulate(history, SimulationRequest(61, agreement="KAP-KL"), AT)
    assert (error.value.field, error.value.code) == ("retirement_age", "age_not_allowed")


def test_someone_past_every_age_gets_no_ages_left():
    history = high_earner(date(1950, 2, 1))
    assert allowed_retirement_ages(history, AT, "KAP-KL") == ()
    with pytest.raises(InvalidSimulation) as error:
        simulate(history, SimulationRequest(67, agreement="KAP-KL"), AT)
    assert error.value.code == "no_ages_left"


def test_kapkl_age_68_is_refused():
    with pytest.raises(InvalidSimulation) as error:
        simulate(high_earner(), SimulationRequest(68, agreement="KAP-KL"), AT)
    assert error.value.code == "age_not_allowed"


def test_kapkl_is_not_available_to_someone_born_1986_or_later():
    history = person(birth=date(1990, 1, 1), salaries=flat_salaries(400_000, 2014, 2022), employed_from=date(2014, 1, 1))
    assert own_agreement(history) == "AKAP-KR"
    with pytest.raises(InvalidSimulation) as error:
        simulate(history, SimulationRequest(65, agreement="KAP-KL"), AT)
    assert error.value.code == "agreement_not_available"
    sim = simulate(history, SimulationRequest(65), AT)
    assert sim.agreement == "AKAP-KR" and "akapkl_before_2023_as_kapkl" in sim.caveats


def test_own_agreement_follows_the_2023_rules():
    assert own_agreement(high_earner()) == "KAP-KL"  # FÅP accrual, did not choose
    assert own_agreement(high_earner(), chose_akapkr=True) == "AKAP-KR"
    low = person(salaries=flat_salaries(300_000, 2000, 2022), fixed_monthly_salary_2022_12_31=Decimal(25_000))
    assert own_agreement(low) == "AKAP-KR"  # moved compulsorily
    assert own_agreement(person(birth=date(1955, 1, 1), salaries=flat_salaries(300_000, 2000, 2022))) == "KAP-KL"


def test_partial_withdrawal_is_offered_in_kapkl_but_not_in_akapkr():
    assert allowed_withdrawal_shares("KAP-KL") == tuple(Decimal(s) for s in ("0.25", "0.5", "0.75", "1"))
    assert allowed_withdrawal_shares("AKAP-KR") == (Decimal(1),)
    with pytest.raises(InvalidSimulation) as error:
        simulate(high_earner(), SimulationRequest(65, Decimal("0.5"), agreement="AKAP-KR"), AT)
    assert (error.value.field, error.value.code) == ("withdrawal_share", "share_not_allowed")


@pytest.mark.parametrize(("years", "code"), [(9, "payout_too_short"), (21, "payout_too_long")])
def test_a_fixed_dc_period_must_be_10_to_20_years(years, code):
    with pytest.raises(InvalidSimulation) as error:
        simulate(high_earner(), SimulationRequest(65, dc_payout_years=years), AT)
    assert (error.value.field, error.value.code) == ("dc_payout_years", code)


@pytest.mark.parametrize("kwargs", [
    {"withdrawal_share": Decimal(0)}, {"withdrawal_share": Decimal("1.5")}, {"agreement": "PA16"},
    {"dc_payout_years": 0},
])
def test_malformed_requests_are_refused_with_a_field_and_code(kwargs):
    with pytest.raises(InvalidSimulation) as error:
        SimulationRequest(65, **kwargs)
    assert error.value.field in ("withdrawal_share", "agreement", "dc_payout_years")


def test_dc_parts_start_at_62_when_the_withdrawal_starts_in_2026_or_later():
    """[S51], OFR: from 2026-01-01 the DC parts can be drawn from 62 at the earliest."""
    born_1965 = simulate(high_earner(date(1965, 6, 15)), SimulationRequest(61, agreement="KAP-KL"), AT)
    assert born_1965.part("fap").start_age == 61
    assert born_1965.part("kapkl_dc").start_age == 62
    assert "dc_starts_later" in born_1965.caveats
    first = born_1965.payments[0]
    assert first.age == 61 and first.by_part["kapkl_dc"] == 0 and first.by_part["fap"] > 0
    born_1963 = simulate(high_earner(date(1963, 6, 15)), SimulationRequest(61, agreement="KAP-KL"), AT)
    assert born_1963.part("kapkl_dc").start_age == 61  # withdrawal in 2024: 60 applies


# --- payment years -----------------------------------------------------------------------------------

def test_fixed_period_parts_stop_after_their_period_and_lifelong_parts_continue():
    sim = simulate(high_earner(), SimulationRequest(65, dc_payout_years=20, agreement="AKAP-KR"), AT)
    assert len(sim.payments) == max(PAYMENT_YEARS, 20 + LIFELONG_TAIL)
    for row in sim.payments:
        for part in sim.parts:
            paid = row.by_part[part.code]
            if part.code in DC_PARTS:
                assert paid == (part.monthly_at_start if row.age < 65 + 20 else 0)
            else:
                assert paid == part.monthly_at_start
        assert row.total_monthly == sum(row.by_part.values())
        assert row.year == 1965 + row.age


def test_lifelong_dc_is_marked_as_an_estimate_and_never_stops():
    sim = simulate(high_earner(), SimulationRequest(65), AT)
    assert "lifelong_estimate" in sim.caveats and "todays_money" in sim.caveats
    assert len(sim.payments) == PAYMENT_YEARS
    assert sim.payments[-1].total_monthly == sim.total_monthly


# --- properties ---------------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(histories(), st.sampled_from([Decimal("0.25"), Decimal("0.5")]), st.integers(61, 67),
       st.sampled_from([None, 10, 20]))
def test_a_partial_withdrawal_plus_the_rest_at_the_same_age_equals_the_whole(history, share, age, years):
    if age not in allowed_retirement_ages(history, AT, "KAP-KL"):
        return
    whole = simulate(history, SimulationRequest(age, Decimal(1), years, "KAP-KL"), AT)
    part = simulate(history, SimulationRequest(age, share, years, "KAP-KL"), AT)
    rest = simulate(history, SimulationRequest(age, 1 - share, years, "KAP-KL"), AT)
    assert part.total_monthly + rest.total_monthly == whole.total_monthly
    assert part.total_yearly + rest.total_yearly == whole.total_yearly
    for p, r, w in zip(part.parts, rest.parts, whole.parts, strict=True):
        assert p.monthly_at_start + r.monthly_at_start == w.monthly_at_start


@settings(max_examples=30, deadline=None)
@given(histories(), st.sampled_from(["KAP-KL", "AKAP-KR"]), st.sampled_from([None, 10, 15]))
def test_later_retirement_never_pays_less_per_month(history, agreement, years):
    ages = allowed_retirement_ages(history, AT, agreement)
    totals = [simulate(history, SimulationRequest(age, dc_payout_years=years, agreement=agreement), AT).total_monthly
              for age in ages]
    assert totals == sorted(totals)


# --- snapshot -----------------------------------------------------------------------------------------

def test_snapshot_survives_json_and_reads_back_the_same_without_recomputing():
    sim = simulate(high_earner(), SimulationRequest(62, Decimal("0.75"), 12, "KAP-KL"), AT)
    snapshot = json.loads(json.dumps(sim.to_snapshot()))
    again = Simulation.from_snapshot(snapshot)
    assert again.to_snapshot() == sim.to_snapshot()
    assert again.total_monthly == sim.total_monthly and isinstance(again.total_monthly, Decimal)
    assert [p.monthly_at_start for p in again.parts] == [p.monthly_at_start for p in sim.parts]
    assert again.request == sim.request
    assert again.explanation.unconfirmed == sim.explanation.unconfirmed
    names = {p["name"] for p in snapshot["parameters"]}
    assert {"kapkl_early_withdrawal_reduction_per_month", "dc_min_payout_years", "inkomstbasbelopp"} <= names
    assert all(p["applies_from"] and p["source"] for p in snapshot["parameters"])
