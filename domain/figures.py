"""The entitlements' numbers without explanations, for a population run.

``entitlement_figures(history, at)`` gives exactly the amounts of ``entitlements(history, at)``
(same kernel, same order of rounding; ``tests/domain/test_figures.py`` checks it), skipping every
explanation. Use it where 140 000 persons are computed at once (bench/domain.py); the site uses
``entitlements`` so that every figure can say how it was calculated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.benefit import benefit_levels, time_months
from domain.entitlements import _dc_year, calculation_point
from domain.fap import fap_micro, ipr_indexed
from domain.kernel import (
    Prepared,
    band_micro,
    half_up,
    level_int,
    ore_to_decimal,
    pbb_int,
    pu_core,
    year_constants,
)
from domain.livranta import intjanad_livranta_amount, livranta_kernel
from domain.model import PersonHistory
from domain.money import round_ore
from domain.parameters import MissingParameter, parameter

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class EntitlementFigures:
    calculation_year: int
    pensionsunderlag: Decimal
    months: int  # Entitlements.time_factor.months
    credited_months: int  # Entitlements.time_factor.full_months
    fap_at_65: Decimal
    intjanad_livranta_2006: Decimal
    intjanad_livranta: Decimal
    livranta: Decimal
    livranta_by_year: dict[int, Decimal]
    ipr_1997: Decimal
    ipr_1997_above_ceiling: Decimal
    dc_by_year: dict[int, Decimal]  # KAP-KL DC contribution per year (years with a contribution)


def entitlement_figures(history: PersonHistory, at: date, prepared: Prepared | None = None) -> EntitlementFigures:
    """The amounts of ``entitlements(history, at)`` without explanations (same rules, same sources)."""
    person = prepared or Prepared(history)
    year = calculation_point(at).year
    point = date(year, 12, 31)
    fallback = str(parameter("kapkl_pu_short_history_fallback", point).value)
    pu = pu_core(person, year, fallback).amount
    levels = benefit_levels(history.birth_year)
    earned, _, credited, full, _, _ = time_months(person, point)
    yc = year_constants(year)
    ipr, ipr_above, _ = ipr_indexed(history, year)
    fap = 0
    if pu > yc.threshold and person.had_high_salary_by(year):
        band, _, _ = band_micro(pu, yc, level_int(levels.lower), level_int(levels.upper))
        numerator, denominator = fap_micro(band, credited, full, ipr_above)
        fap = half_up(numerator, denominator)
    il_2006 = intjanad_livranta_amount(person, levels)[0] if year >= 2006 else 0
    il_now = half_up(il_2006 * pbb_int(year), pbb_int(2006)) if il_2006 and year != 2006 else il_2006
    by_year, _ = livranta_kernel(person, levels, Decimal(il_2006), year)
    dc: dict[int, Decimal] = {}
    birth_year = history.birth_year
    for record in history.salaries:
        y = record.year
        if y > year:
            continue
        try:
            rules = _dc_year(y)
        except MissingParameter:
            continue
        salary = record.amount
        if salary <= _ZERO or y - birth_year < rules.min_age:
            continue
        dc[y] = round_ore(rules.rate * (salary if salary < rules.cap else rules.cap))
    return EntitlementFigures(
        calculation_year=year,
        pensionsunderlag=ore_to_decimal(pu),
        months=earned,
        credited_months=credited,
        fap_at_65=Decimal(fap),
        intjanad_livranta_2006=Decimal(il_2006),
        intjanad_livranta=Decimal(il_now),
        livranta=Decimal(by_year.get(year, 0)),
        livranta_by_year={t: Decimal(v) for t, v in by_year.items()},
        ipr_1997=ipr,
        ipr_1997_above_ceiling=ipr_above,
        dc_by_year=dc,
    )
