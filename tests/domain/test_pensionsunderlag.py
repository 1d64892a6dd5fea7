"""Pensionsunderlag (KAP-KL; RIPS 07 [S26], KPA [S1], SLF [S27]; domain-spec 2.3)."""

from datetime import date
from decimal import Decimal

from domain import pbb
from domain.pensionsunderlag import pensionsunderlag
from tests.domain.builders import person


def test_pensionsunderlag_uses_five_best_of_first_seven_of_last_nine_years():
    # Calculation year 2022: window 2014-2022, first seven 2014-2020. 2021 and 2022 must not count,
    # even though they are the highest.
    salaries = {2014: 100, 2015: 700, 2016: 200, 2017: 600, 2018: 300, 2019: 500, 2020: 400, 2021: 9000, 2022: 9000}
    pu = pensionsunderlag(person(salaries={y: a * 1000 for y, a in salaries.items()}), 2022)
    assert pu.counted_years == (2015, 2017, 2018, 2019, 2020)
    assert set(pu.indexed) == set(range(2014, 2021))


def test_each_year_is_indexed_with_prisbasbelopp_to_the_calculation_year():
    pu = pensionsunderlag(person(salaries={y: 600000 for y in range(2014, 2021)}), 2022)
    for year, amount in pu.indexed.items():
        expected = (Decimal(600000) * pbb(2022).value / pbb(year).value).quantize(Decimal("0.01"))
        assert amount == expected
    # 2014: 600 000 x 48 300 / 44 400 = 652 702.70
    assert pu.indexed[2014] == Decimal("652702.70")
    best_five = sorted(pu.indexed.values(), reverse=True)[:5]
    assert pu.amount == (sum(best_five) / 5).quantize(Decimal("0.01"))


def test_a_constant_salary_in_a_constant_price_year_gives_that_salary():
    # PBB 2013 = 44 500 = PBB 2015: a 2015 salary indexed to 2015 is unchanged.
    pu = pensionsunderlag(person(salaries={y: 500000 for y in range(2007, 2016)}), 2015)
    assert pu.indexed[2013] == Decimal("500000.00")


def test_short_history_averages_the_complete_calendar_years_employed():
    # Employed from 2018-07-01: 2018 is incomplete; 2019 and 2020 are complete.
    history = person(salaries={2018: 250000, 2019: 520000, 2020: 560000, 2021: 600000}, employed_from=date(2018, 7, 1))
    pu = pensionsunderlag(history, 2022)
    assert pu.counted_years == (2019, 2020)
    assert pu.amount == ((pu.indexed[2019] + pu.indexed[2020]) / 2).quantize(Decimal("0.01"))
    assert pu.explanation.notes


def test_short_history_without_complete_years_averages_the_years_with_salary():
    history = person(salaries={2020: 300000}, employed_from=date(2020, 3, 1))
    pu = pensionsunderlag(history, 2022)
    assert pu.counted_years == (2020,)
    assert pu.amount == pu.indexed[2020]


def test_no_salary_in_the_window_uses_the_flagged_fallback_reading():
    history = person(salaries={2022: 700000}, employed_from=date(2021, 9, 1))
    pu = pensionsunderlag(history, 2022)
    assert pu.counted_years == (2022,)
    assert pu.amount == Decimal("700000.00")
    assert pu.explanation.unconfirmed


def test_no_salary_at_all_gives_zero():
    pu = pensionsunderlag(person(salaries={}), 2022)
    assert pu.amount == 0
    assert pu.counted_years == ()


def test_explanation_names_the_source_and_the_base_amounts_used():
    pu = pensionsunderlag(person(salaries={y: 600000 for y in range(2014, 2021)}), 2022)
    assert "[S26]" in pu.explanation.source
    names = {(p.name, p.applies_from.year) for p in pu.explanation.parameters}
    assert ("prisbasbelopp", 2022) in names and ("prisbasbelopp", 2014) in names
    assert not pu.explanation.unconfirmed
