"""KAP-KL entitlements: FÅP (W7), intjänad livränta and calendar-year livränta (W8), IPR deduction,
early withdrawal, DC contributions and caveats (RIPS 07 [S26], KPA [S1], Valcentralen [S2])."""

from datetime import date
from decimal import Decimal

import pytest

from domain import ibb, pbb
from domain.entitlements import calculation_point, dc_contribution_kapkl, entitlements
from domain.fap import fap_at_age
from domain.pensionsunderlag import pensionsunderlag
from tests.domain.builders import flat_salaries, person


def rips_person(**fields):
    """RIPS 07's example person: born 1950, employed in the sector since 1980 (W7, W8)."""
    salaries = {y: 420000 + 15000 * (y - 1998) for y in range(1995, 2016)}
    return person(birth=date(1950, 1, 10), salaries=salaries, employed_from=date(1980, 1, 1), **fields)


def test_calculation_point_is_the_last_year_end_on_or_before_the_date():
    assert calculation_point(date(2023, 4, 20)) == date(2022, 12, 31)
    assert calculation_point(date(2022, 12, 31)) == date(2022, 12, 31)
    assert calculation_point(date(2023, 1, 1)) == date(2022, 12, 31)


def test_w7_fap_for_born_1950_is_61_07_percent_of_pu_above_7_5_ibb_with_full_time():
    history = rips_person()
    result = entitlements(history, date(2010, 12, 31))
    pu = pensionsunderlag(history, 2010).amount
    ceiling = Decimal("7.5") * ibb(2010).value
    assert ceiling == Decimal(383250)
    assert result.time_factor.full_factor == 1
    expected = (Decimal("0.6107") * (pu - ceiling)).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert result.fap_at_65.amount == expected
    assert "[S26]" in result.fap_at_65.explanation.source


def test_w8_intjanad_livranta_is_9_30_of_the_fap_level_times_pu_above_the_ceiling():
    history = rips_person()
    result = entitlements(history, date(2010, 12, 31))
    pu_2006 = pensionsunderlag(history, 2006).amount
    expected = (Decimal(108) / 360 * Decimal("0.6107") * (pu_2006 - Decimal("7.5") * ibb(2006).value)).quantize(
        Decimal(1), rounding="ROUND_HALF_UP"
    )
    assert result.intjanad_livranta_2006 == expected
    # shown at the calculation year's level, indexed with PBB
    indexed = (expected * pbb(2010).value / pbb(2006).value).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert result.intjanad_livranta.amount == indexed


def test_w8_livranta_after_two_years_with_six_left_is_2_8_of_fap_minus_intjanad_livranta():
    # At 2008-12-31: 24 months since 2007, 72 months left (January 2009 - December 2014).
    history = rips_person()
    result = entitlements(history, date(2008, 12, 31))
    pu = pensionsunderlag(history, 2008).amount
    fap = Decimal("0.6107") * (pu - Decimal("7.5") * ibb(2008).value)
    il_2008 = (result.intjanad_livranta_2006 * pbb(2008).value / pbb(2006).value).quantize(
        Decimal(1), rounding="ROUND_HALF_UP"
    )
    expected = (Decimal(24) / Decimal(96) * (fap - il_2008)).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert result.livranta.amount == expected
    assert result.livranta_by_year[2008] == expected
    assert "24/(24+72)" in result.livranta.explanation.formula


def test_the_earned_total_is_ipr_plus_intjanad_livranta_plus_livranta():
    result = entitlements(rips_person(ipr_1997=Decimal(30000)), date(2010, 12, 31))
    assert result.earned_total == result.ipr_1997.amount + result.intjanad_livranta.amount + result.livranta.amount


def test_ipr_above_the_ceiling_is_deducted_from_the_fap_and_flagged():
    plain = entitlements(rips_person(), date(2010, 12, 31))
    with_ipr = entitlements(
        rips_person(ipr_1997=Decimal(60000), ipr_1997_above_ceiling=Decimal(5000)), date(2010, 12, 31)
    )
    above_2010 = (Decimal(5000) * pbb(2010).value / pbb(1997).value).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert with_ipr.ipr_1997_above_ceiling.amount == above_2010
    assert with_ipr.fap_at_65.amount == plain.fap_at_65.amount - above_2010
    assert "ipr_indexation_unconfirmed" in with_ipr.caveats
    assert "kapkl_ipr_value_level" in with_ipr.unconfirmed_parameters


@pytest.mark.parametrize(("age", "factor"), [(61, "0.808"), (62, "0.856"), (64, "0.952"), (65, "1"), (67, "1")])
def test_early_withdrawal_reduces_fap_by_0_4_percent_per_month_before_65(age, factor):
    fap = entitlements(rips_person(), date(2010, 12, 31)).fap_at_65
    assert fap_at_age(fap, age, date(2010, 12, 31)).amount == (fap.amount * Decimal(factor)).quantize(
        Decimal(1), rounding="ROUND_HALF_UP"
    )


def test_fap_cannot_be_withdrawn_before_61():
    fap = entitlements(rips_person(), date(2010, 12, 31)).fap_at_65
    with pytest.raises(ValueError):
        fap_at_age(fap, 60, date(2010, 12, 31))


def test_no_fap_or_livranta_with_pu_at_or_below_7_5_ibb():
    history = person(birth=date(1970, 5, 1), salaries=flat_salaries(250000, 2000, 2022), employed_from=date(1998, 1, 1))
    result = entitlements(history, date(2022, 12, 31))
    assert result.fap_at_65.amount == 0
    assert result.livranta.amount == 0
    assert result.intjanad_livranta.amount == 0


def test_livranta_is_not_lowered_when_the_price_base_amount_falls():
    # PBB fell in 2010, 2014 and 2016; a flat salary makes the new livränta fall too.
    history = person(birth=date(1962, 3, 1), salaries=flat_salaries(800000, 1998, 2022), employed_from=date(1990, 1, 1))
    by_year = entitlements(history, date(2022, 12, 31)).livranta_by_year
    years = sorted(by_year)
    assert years[0] == 2007 and years[-1] == 2022
    for earlier, later in zip(years, years[1:], strict=False):
        assert by_year[later] >= by_year[earlier]


def test_a_leavers_livranta_is_carried_forward_indexed_not_recomputed():
    history = person(
        birth=date(1965, 1, 1), salaries=flat_salaries(900000, 1998, 2015), employed_from=date(1995, 1, 1),
        employed_to=date(2015, 12, 31),
    )
    result = entitlements(history, date(2018, 12, 31))
    by_year = result.livranta_by_year
    for year in (2016, 2017, 2018):
        ratio = max(Decimal(1), pbb(year).value / pbb(year - 1).value)
        assert by_year[year] == (by_year[year - 1] * ratio).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert "not an active employee" in result.livranta.explanation.formula
    assert result.time_factor.months_to_65 == 0


def test_kapkl_dc_is_4_5_percent_up_to_30_ibb():
    history = person(birth=date(1970, 1, 1), salaries={2023: 2500000, 2022: 600000})
    top = dc_contribution_kapkl(history, 2023)
    assert top.amount == Decimal("100305.00")  # 0.045 x 2 229 000 (W5)
    assert dc_contribution_kapkl(history, 2022).amount == Decimal("27000.00")
    assert not top.explanation.unconfirmed


def test_kapkl_dc_before_2010_uses_the_flagged_rate_and_before_2006_is_not_computed():
    history = person(birth=date(1970, 1, 1), salaries={2004: 300000, 2008: 400000, 2012: 500000})
    result = entitlements(history, date(2012, 12, 31))
    assert [c.year for c in result.dc_contributions] == [2008, 2012]
    assert result.dc_contributions[0].amount == Decimal("17000.00")
    assert result.dc_contributions[0].explanation.unconfirmed
    assert "dc_before_2006_not_computed" in result.caveats
    assert "dc_2006_2009_rate_unconfirmed" in result.caveats


def test_kapkl_dc_starts_in_the_year_of_the_21st_birthday():
    history = person(birth=date(2000, 6, 1), salaries={2020: 200000, 2021: 250000}, employed_from=date(2019, 1, 1))
    assert dc_contribution_kapkl(history, 2020) is None
    assert dc_contribution_kapkl(history, 2021).amount == Decimal("11250.00")


def test_a_confirmed_only_history_has_no_caveats():
    history = person(birth=date(1975, 4, 1), salaries=flat_salaries(700000, 2010, 2022), employed_from=date(2010, 1, 1))
    result = entitlements(history, date(2023, 4, 20))
    assert result.caveats == ()
    assert result.unconfirmed_parameters == ()
    assert result.calculation_year == 2022
    assert result.fap_at_65.amount > 0


def test_a_year_after_the_last_base_amount_is_a_clear_error():
    from domain import MissingParameter

    with pytest.raises(MissingParameter):
        entitlements(rips_person(), date(2028, 6, 1))
