"""Thresholds as administrators publish them: yearly k x IBB, monthly /12 rounded half up to the
krona (domain-spec section 6, W1-W6)."""

from decimal import Decimal

import pytest

from domain import ibb, monthly, round_krona


def times_ibb(multiple: str, year: int) -> Decimal:
    return Decimal(multiple) * ibb(year).value


def test_w1_seven_and_a_half_ibb_2023_is_557_250_a_year_and_46_438_a_month():
    # Saco [S47], OFR [S48]: 557 250 / 12 = 46 437.50, rounded half up.
    assert times_ibb("7.5", 2023) == Decimal(557250)
    assert monthly(times_ibb("7.5", 2023)) == Decimal(46438)


def test_w2_seven_and_a_half_ibb_2022_is_532_500_a_year_and_44_375_a_month():
    assert times_ibb("7.5", 2022) == Decimal(532500)
    assert monthly(times_ibb("7.5", 2022)) == Decimal(44375)


def test_w3_2024_thresholds():
    # Nordea [S20], KPA [S4]
    assert times_ibb("7.5", 2024) == Decimal(571500)
    assert times_ibb("10", 2024) == Decimal(762000)
    assert times_ibb("20", 2024) == Decimal(1524000)
    assert times_ibb("30", 2024) == Decimal(2286000)
    assert times_ibb("8.07", 2024) == Decimal(614934)
    assert monthly(times_ibb("7.5", 2024)) == Decimal(47625)


def test_w4_2025_break_point():
    assert times_ibb("7.5", 2025) == Decimal(604500)
    assert monthly(times_ibb("7.5", 2025)) == Decimal(50375)


def test_w5_thirty_ibb_2023_ceiling_of_the_kapkl_dc_contribution():
    assert times_ibb("30", 2023) == Decimal(2229000)
    assert monthly(times_ibb("30", 2023)) == Decimal(185750)


@pytest.mark.parametrize(
    ("multiple", "year", "published"),
    [
        ("7.5", 2004, 317250),
        ("30", 2008, 1440000),
        ("30", 2009, 1527000),
        ("30", 2010, 1533000),
        ("30", 2011, 1563000),
        ("30", 2012, 1638000),
        ("30", 2013, 1698000),
        ("30", 2014, 1707000),
        ("7", 2014, 398300),
        ("7", 2013, 396200),
        ("7", 2017, 430500),
    ],
)
def test_w6_historic_ceilings(multiple, year, published):
    assert times_ibb(multiple, year) == Decimal(published)


def test_round_krona_rounds_half_up_and_keeps_whole_kronor():
    assert round_krona(Decimal("46437.50")) == Decimal(46438)
    assert round_krona(Decimal("46437.49")) == Decimal(46437)
    assert round_krona(Decimal("100")) == Decimal(100)
    assert round_krona(Decimal("-0.5")) == Decimal(-1)
