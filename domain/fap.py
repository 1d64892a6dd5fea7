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
from domain.model import PersonHistory
from domain.money import round_krona
from domain.parameters import forhojt_pbb, ibb, parameter, pbb
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


def band_amount(pu_amount: Decimal, year: int, levels: BenefitLevels) -> tuple[Decimal, str, tuple[ParameterUse, ...]]:
    """L1 x (min(PU, 20 IBB) - 7.5 IBB)+ + L2 x (min(PU, 30 IBB) - 20 IBB)+ with the IBB of ``year``."""
    base, low, band, ceiling = threshold_uses(year)
    b = base.value
    lo, mid, hi = low.value * b, band.value * b, ceiling.value * b
    lower_part = max(_ZERO, min(pu_amount, mid) - lo)
    upper_part = max(_ZERO, min(pu_amount, hi) - mid)
    amount = levels.lower * lower_part + levels.upper * upper_part
    text = f"{levels.lower} x {lower_part} + {levels.upper} x {upper_part}"
    return amount, text, (base, low, band, ceiling)


def had_salary_above_threshold(history: PersonHistory, up_to_year: int) -> bool:
    """Some calendar year's pensionable salary above 7.5 IBB (förhöjt PBB before 2001) [S26][S1]."""
    for record in history.salaries:
        if record.year > up_to_year:
            continue
        try:
            base = ibb(record.year).value if record.year >= 2001 else forhojt_pbb(record.year).value
            threshold = parameter("kapkl_fap_threshold_ibb", date(max(record.year, 2006), 1, 1)).value
        except LookupError:
            continue
        if record.amount > threshold * base:
            return True
    return False


def ipr_indexed(history: PersonHistory, year: int) -> tuple[Decimal, Decimal, tuple[ParameterUse, ...]]:
    """IPR 1997 and its part above the ceiling at the price level of ``year``.

    Reading (parameter ``kapkl_ipr_value_level``, unconfirmed): the register's amounts are at the
    1997 level and are value-secured with PBB (RIPS 07 "värdesäkring" [S26]; spec 2.7).
    """
    if not history.ipr_1997 and not history.ipr_1997_above_ceiling:
        return _ZERO, _ZERO, ()
    level = parameter("kapkl_ipr_value_level", date(year, 12, 31))
    if level.value == "current":
        return history.ipr_1997, history.ipr_1997_above_ceiling, (level,)
    base_year = int(level.value)
    base, target = pbb(base_year), pbb(year)
    factor = target.value / base.value
    return (
        round_krona(history.ipr_1997 * factor),
        round_krona(history.ipr_1997_above_ceiling * factor),
        (level, base, target),
    )


def fap_yearly(
    history: PersonHistory,
    pu: Pensionsunderlag,
    levels: BenefitLevels,
    factor: Decimal,
    factor_text: str,
    parts: tuple[Explanation, ...] = (),
) -> Figure:
    """FÅP per year at the calculation year ``pu.year``, with time factor ``factor`` [S26][S1]."""
    year = pu.year
    gross, text, uses = band_amount(pu.amount, year, levels)
    _, ipr_above, ipr_uses = ipr_indexed(history, year)
    threshold = uses[1].value * uses[0].value
    qualifies = pu.amount > threshold and had_salary_above_threshold(history, year)
    amount = round_krona(max(_ZERO, factor * gross - ipr_above)) if qualifies else _ZERO
    notes = []
    if not qualifies:
        notes.append("No FÅP: PU not above 7.5 IBB, or no year with salary above 7.5 IBB [S26][S1].")
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
