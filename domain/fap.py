"""KAP-KL förmånsbestämd ålderspension (FÅP): the formula, the IPR deduction, early withdrawal.

Formula (RIPS 07 [S26], KPA [S1]; domain-spec 2.4)::

    FÅP = time factor x [L1 x (min(PU, 20 IBB) - 7.5 IBB)+ + L2 x (min(PU, 30 IBB) - 20 IBB)+]
          - IPR above the ceiling (spec 2.7)

Conditions [S26][S1]: a pensionable salary above 7.5 IBB in some calendar year, and PU above
7.5 IBB at the calculation point; otherwise the FÅP is 0.
Early withdrawal from 61: reduced by 0.4 % per month before 65 [S26] (spec 2.8); deferral after 65
gives no increase here (the increase was not found in the sources; flagged in the explanation).
Amounts are rounded to whole kronor, half up, at the end.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.benefit import BenefitLevels
from domain.explanation import Explanation, ParameterUse
from domain.kernel import (
    MICRO_PER_KRONA,
    Prepared,
    band_micro,
    half_up,
    level_int,
    ore_to_decimal,
    pbb_int,
    to_ore,
    year_constants,
)
from domain.model import PersonHistory
from domain.money import round_krona
from domain.parameters import ibb, parameter, pbb
from domain.pensionsunderlag import Pensionsunderlag
from domain.results import Figure

_ZERO = Decimal(0)
FAP_SOURCE = "KAP-KL förmånsbestämd ålderspension; RIPS 07 [S26]; KPA [S1]; domain-spec 2.4"


def threshold_uses(year: int) -> tuple[ParameterUse, ParameterUse, ParameterUse, ParameterUse]:
    """IBB of the year and the three band limits in IBB (7.5, 20, 30) [S26][S1]."""
    at = date(year, 12, 31)
    return (
        ibb(year),
        parameter("kapkl_fap_threshold_ibb", at),
        parameter("kapkl_fap_band_ibb", at),
        parameter("kapkl_pu_ceiling_ibb", at),
    )


def band_text(pu_ore: int, year: int, levels: BenefitLevels) -> tuple[int, str]:
    """The band sum in micro-kronor and its formula text, with the IBB of ``year``."""
    yc = year_constants(year)
    micro, lower_part, upper_part = band_micro(pu_ore, yc, level_int(levels.lower), level_int(levels.upper))
    return micro, f"{levels.lower} x {ore_to_decimal(lower_part)} + {levels.upper} x {ore_to_decimal(upper_part)}"


def ipr_indexed(history: PersonHistory, year: int) -> tuple[Decimal, Decimal, tuple[ParameterUse, ...]]:
    """IPR 1997 and its part above the ceiling at the price level of ``year``, whole kronor.

    Reading (parameter ``kapkl_ipr_value_level``, unconfirmed): the register's amounts are at the
    1997 level and are value-secured with PBB (RIPS 07 "värdesäkring" [S26]; spec 2.7).
    """
    if not history.ipr_1997 and not history.ipr_1997_above_ceiling:
        return _ZERO, _ZERO, ()
    level = parameter("kapkl_ipr_value_level", date(year, 12, 31))
    if level.value == "current":
        return history.ipr_1997, history.ipr_1997_above_ceiling, (level,)
    base_year = int(level.value)
    base, target = pbb_int(base_year), pbb_int(year)
    return (
        Decimal(half_up(to_ore(history.ipr_1997) * target, base * 100)),
        Decimal(half_up(to_ore(history.ipr_1997_above_ceiling) * target, base * 100)),
        (level, pbb(base_year), pbb(year)),
    )


def fap_micro(band: int, credited: int, full: int, ipr_above: Decimal) -> tuple[int, int]:
    """(numerator, denominator) of credited/full x band - IPR above, in micro-kronor, not below 0."""
    numerator = credited * band - full * int(ipr_above) * MICRO_PER_KRONA
    return (numerator if numerator > 0 else 0), full * MICRO_PER_KRONA


def fap_yearly(
    history: PersonHistory,
    pu: Pensionsunderlag,
    levels: BenefitLevels,
    credited: int,
    full: int,
    parts: tuple[Explanation, ...] = (),
    prepared: Prepared | None = None,
) -> Figure:
    """FÅP per year at the calculation year ``pu.year``, time factor credited/full [S26][S1]."""
    person = prepared or Prepared(history)
    year = pu.year
    pu_ore = to_ore(pu.amount)
    band, text = band_text(pu_ore, year, levels)
    uses = threshold_uses(year)
    _, ipr_above, ipr_uses = ipr_indexed(history, year)
    qualifies = pu_ore > year_constants(year).threshold and person.had_high_salary_by(year)
    if qualifies:
        numerator, denominator = fap_micro(band, credited, full, ipr_above)
        amount = Decimal(half_up(numerator, denominator))
    else:
        amount = _ZERO
    notes = []
    if not qualifies:
        notes.append("No FÅP: PU not above 7.5 IBB, or no year with salary above 7.5 IBB [S26][S1].")
    factor_text = f"{credited}/{full}"
    return Figure(
        amount=amount,
        explanation=Explanation(
            rule="fap",
            source=FAP_SOURCE + "; IPR above the ceiling deducted, spec 2.7",
            inputs=(("pensionsunderlag", pu.amount), ("calculation_year", year), ("time_factor", factor_text),
                    ("ipr_1997_above_ceiling", ipr_above)),
            parameters=(*uses, *ipr_uses),
            formula=f"{factor_text} x ({text}) - {ipr_above} = {amount}",
            notes=tuple(notes),
            parts=(pu.explanation, levels.explanation, *parts),
        ),
    )


def early_withdrawal_factor(months_before_65: int, at: date) -> tuple[Decimal, ParameterUse]:
    """1 - 0.4 % per month of withdrawal before 65 (RIPS 07 [S26]; spec 2.8)."""
    rate = parameter("kapkl_early_withdrawal_reduction_per_month", at)
    return Decimal(1) - rate.value * max(0, months_before_65), rate


def fap_at_age(fap_at_65: Figure, retirement_age: int, at: date) -> Figure:
    """Yearly FÅP when withdrawn from ``retirement_age`` (61-69), from the FÅP at 65.

    Before 65 the remaining time to 65 is credited (KPA [S1]) and the pension is reduced by 0.4 %
    per month [S26]. From 65 no reduction; a deferral increase is not applied (not in the sources).
    """
    earliest = parameter("kapkl_earliest_withdrawal_age", at)
    normal = parameter("kapkl_normal_retirement_age", at)
    if retirement_age < int(earliest.value):
        raise ValueError(f"FÅP cannot be withdrawn before {earliest.value}")
    months = max(0, (int(normal.value) - retirement_age) * 12)
    factor, rate = early_withdrawal_factor(months, at)
    amount = round_krona(fap_at_65.amount * factor)
    notes = ()
    if retirement_age > int(normal.value):
        notes = ("Withdrawal after 65: no deferral increase applied (not found in the sources, spec 2.8).",)
    return Figure(
        amount=amount,
        explanation=Explanation(
            rule="fap_early_withdrawal",
            source="KAP-KL; RIPS 07 [S26]: reduced by 0.4 % per month before 65; KPA [S1]; spec 2.8",
            inputs=(("retirement_age", retirement_age), ("fap_at_65", fap_at_65.amount)),
            parameters=(earliest, normal, rate),
            formula=f"{fap_at_65.amount} x (1 - {rate.value} x {months}) = {amount}",
            notes=notes,
            parts=(fap_at_65.explanation,),
        ),
    )
