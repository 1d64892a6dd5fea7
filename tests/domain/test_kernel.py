"""The fast livränta loop (inlined arithmetic) gives the same amounts as the rule written plainly
with the kernel's building blocks (RIPS 07 [S26]; spec 2.6), for any history."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings

from domain import Employment, benefit_levels
from domain.fap import ipr_indexed
from domain.kernel import Prepared, band_micro, half_up, level_int, pbb_int, pu_core, to_ore, year_constants
from domain.livranta import intjanad_livranta_amount, livranta_kernel
from tests.domain.builders import person
from tests.domain.test_properties import histories


def plain_livranta(person_: Prepared, up_to_year: int) -> dict[int, int]:
    history = person_.history
    levels = benefit_levels(history.birth_year)
    il_2006, _, _ = intjanad_livranta_amount(person_, levels)
    result: dict[int, int] = {}
    previous = 0
    for t in range(2007, up_to_year + 1):
        yc = year_constants(t)
        indexed_previous = previous
        if previous and pbb_int(t) > pbb_int(t - 1):
            indexed_previous = half_up(previous * pbb_int(t), pbb_int(t - 1))
        t_month = t * 12 + 11
        active = person_.employed_during_year(t) and t - history.birth_date.year < yc.normal_age
        new = 0
        if active:
            pu = pu_core(person_, t, "latest_year").amount
            if pu > yc.threshold and person_.had_high_salary_by(t):
                first, last = person_.time_window(yc.start_age, yc.normal_age)
                since, _ = person_.counted_months(max(first, 2007 * 12), min(last, t_month), t_month, yc.min_spell)
                earned, _ = person_.counted_months(first, min(last, t_month), t_month, yc.min_spell)
                remaining = max(0, last - max(t_month + 1, first) + 1)
                credited = min(earned + remaining, yc.full_months)
                band, _, _ = band_micro(pu, yc, level_int(levels.lower), level_int(levels.upper))
                _, ipr_above, _ = ipr_indexed(history, t)
                fap = max(Fraction(0), Fraction(credited * band, yc.full_months * 10**6) - int(ipr_above))
                il_t = half_up(il_2006 * pbb_int(t), pbb_int(2006)) if il_2006 else 0
                if since + remaining and fap > il_t:
                    exact = Fraction(since, since + remaining) * (fap - il_t)
                    new = half_up(exact.numerator, exact.denominator)
        previous = max(new, indexed_previous)
        result[t] = previous
    return result


@settings(max_examples=150, deadline=None)
@given(histories())
def test_fast_livranta_loop_equals_the_plain_rule(history):
    prepared = Prepared(history)
    levels = benefit_levels(history.birth_year)
    il_2006, _, _ = intjanad_livranta_amount(prepared, levels)
    fast, _ = livranta_kernel(prepared, levels, Decimal(il_2006), 2022)
    assert fast == plain_livranta(prepared, 2022)


def test_fast_loop_handles_several_employment_spells():
    base = person(birth=date(1966, 2, 1), salaries={y: 700000 + 9000 * (y - 2000) for y in range(2000, 2023)},
                  employed_from=date(1999, 1, 1), employed_to=date(2009, 6, 30))
    history = type(base)(
        birth_date=base.birth_date,
        employments=(*base.employments, Employment("2", date(2011, 3, 1), None, "monthly", Decimal(100)),
                     Employment("3", date(2010, 1, 1), date(2010, 1, 31), "monthly", Decimal(100))),
        salaries=base.salaries,
    )
    prepared = Prepared(history)
    levels = benefit_levels(1966)
    il_2006, _, _ = intjanad_livranta_amount(prepared, levels)
    fast, _ = livranta_kernel(prepared, levels, Decimal(il_2006), 2022)
    assert fast == plain_livranta(prepared, 2022)
    assert fast[2022] > 0


def test_half_up_rounds_halves_away_from_zero():
    assert half_up(5, 2) == 3
    assert half_up(7, 2) == 4
    assert half_up(-5, 2) == -3
    assert half_up(4, 3) == 1
    assert to_ore(Decimal("10.005")) == 1001
