"""FÅP benefit levels (W10, KPA [S1], RIPS 07 [S26]) and the time factor (spec 2.5)."""

from datetime import date
from decimal import Decimal

import pytest

from domain.benefit import benefit_levels, time_factor
from tests.domain.builders import person

# domain-spec 2.4 table, in percent.
LEVELS = {
    1946: ("62.50", "31.25"), 1947: ("62.14", "31.07"), 1948: ("61.79", "30.89"), 1949: ("61.43", "30.71"),
    1950: ("61.07", "30.54"), 1951: ("60.71", "30.36"), 1952: ("60.36", "30.18"), 1953: ("60.00", "30.00"),
    1954: ("59.64", "29.82"), 1955: ("59.29", "29.64"), 1956: ("58.93", "29.46"), 1957: ("58.57", "29.29"),
    1958: ("58.21", "29.11"), 1959: ("57.86", "28.93"), 1960: ("57.50", "28.75"), 1961: ("57.14", "28.57"),
    1962: ("56.79", "28.39"), 1963: ("56.43", "28.21"), 1964: ("56.07", "28.04"), 1965: ("55.71", "27.86"),
    1966: ("55.36", "27.68"), 1967: ("55.00", "27.50"),
}


@pytest.mark.parametrize("birth_year", range(1946, 1968))
def test_w10_benefit_levels_match_the_published_table_for_every_birth_year(birth_year):
    levels = benefit_levels(birth_year)
    lower, upper = LEVELS[birth_year]
    assert levels.lower == Decimal(lower) / 100
    assert levels.upper == Decimal(upper) / 100


def test_benefit_levels_before_1946_and_after_1967_are_the_end_values():
    assert benefit_levels(1940).lower == Decimal("0.625")
    assert benefit_levels(1985).lower == Decimal("0.55")
    assert benefit_levels(1985).upper == Decimal("0.275")


def test_w7_born_1950_has_level_61_07():
    assert benefit_levels(1950).lower == Decimal("0.6107")


def test_time_counts_from_the_month_after_the_28_year_month():
    # Born 1980-05-10: turns 28 in May 2008; time from June 2008. Employed since 2000.
    history = person(birth=date(1980, 5, 10), employed_from=date(2000, 1, 1))
    assert time_factor(history, date(2008, 5, 31)).months == 0
    assert time_factor(history, date(2008, 6, 30)).months == 1
    assert time_factor(history, date(2018, 5, 31)).months == 120
    assert time_factor(history, date(2018, 5, 31)).factor == Decimal(120) / Decimal(360)


def test_time_factor_is_at_most_thirty_years():
    history = person(birth=date(1958, 1, 15), employed_from=date(1980, 1, 1))
    tf = time_factor(history, date(2022, 12, 31))
    assert tf.months == 360
    assert tf.factor == 1


def test_remaining_time_to_65_is_credited_in_the_full_factor():
    # Born 1970-03-01: time from April 1998; at 2022-12-31 earned Apr 1998-Dec 2022 = 297 months;
    # time left to the month before the 65-year month (Feb 2035) = 146 months; credited 360.
    history = person(birth=date(1970, 3, 1), employed_from=date(1990, 1, 1))
    tf = time_factor(history, date(2022, 12, 31))
    assert tf.months == 297
    assert tf.months_to_65 == 146
    assert tf.full_months == 360
    assert tf.full_factor == 1


def test_short_late_career_gives_a_partial_full_factor():
    # Born 1960-01-20, employed from 2015-01-01: Jan 2015 to Dec 2024 (month before Jan 2025) = 120.
    history = person(birth=date(1960, 1, 20), employed_from=date(2015, 1, 1))
    tf = time_factor(history, date(2022, 12, 31))
    assert tf.months == 96
    assert tf.months_to_65 == 24
    assert tf.full_months == 120
    assert tf.full_factor == Decimal(120) / Decimal(360)


def test_a_spell_shorter_than_three_months_does_not_count():
    history = person(birth=date(1970, 1, 1), employed_from=date(2010, 1, 1), employed_to=date(2010, 2, 28))
    assert time_factor(history, date(2012, 12, 31)).months == 0
    longer = person(birth=date(1970, 1, 1), employed_from=date(2010, 1, 1), employed_to=date(2010, 3, 31))
    assert time_factor(longer, date(2012, 12, 31)).months == 3
