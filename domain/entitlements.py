"""A person's KAP-KL entitlements at a date: PU, FÅP at 65, livräntor, IPR, DC contributions.

Builds on ``pensionsunderlag``, ``benefit``, ``fap`` and ``livranta``; every figure carries its
explanation, and ``caveats`` lists codes (see ``CAVEATS``) the site shows beside the figures.

The calculation point is the last year end on or before ``at`` (livräntor are computed at year ends,
RIPS 07 [S26]): for ``at`` = 2023-04-20 that is 2022-12-31, calculation year 2022.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from domain.benefit import BenefitLevels, TimeFactor, benefit_levels, time_factor
from domain.explanation import Explanation, ParameterUse
from domain.fap import fap_yearly, ipr_indexed
from domain.kernel import Prepared
from domain.livranta import calendar_year_livranta, index_il, intjanad_livranta
from domain.model import PersonHistory
from domain.money import round_ore
from domain.parameters import MissingParameter, ibb, parameter
from domain.pensionsunderlag import Pensionsunderlag, pensionsunderlag
from domain.results import Contribution, Figure, collect_unconfirmed

_ZERO = Decimal(0)
DC_SOURCE = "KAP-KL avgiftsbestämd ålderspension; Valcentralen [S2]; KPA [S4]; domain-spec 2.2"

# Caveat codes -> English text (the web layer translates by code).
CAVEATS: dict[str, str] = {
    "estimate_unconfirmed_parameters": "Some figures use values the sources do not confirm.",
    "pu_short_history": "The pensionsunderlag uses fewer than five years (short history).",
    "pu_no_complete_year": "No salary in the years the pensionsunderlag uses; a fallback reading was used.",
    "dc_before_2006_not_computed": "Contributions before 2006 (PFA agreements) are not included.",
    "dc_2006_2009_rate_unconfirmed": "The KAP-KL contribution rate for 2006-2009 is not confirmed.",
    "ipr_indexation_unconfirmed": "How the IPR 1997 is indexed is not confirmed.",
}


@dataclass(frozen=True, slots=True)
class Entitlements:
    at: date
    calculation_year: int
    pensionsunderlag: Pensionsunderlag
    benefit_levels: BenefitLevels
    time_factor: TimeFactor
    fap_at_65: Figure  # yearly FÅP at 65 with the time to 65 credited
    intjanad_livranta: Figure  # earned per 2006-12-31, at the calculation year's level (PBB-indexed)
    livranta: Figure  # calendar-year livränta at the calculation year end
    livranta_by_year: dict[int, Decimal]
    ipr_1997: Figure  # at the calculation year's level
    ipr_1997_above_ceiling: Figure
    dc_contributions: tuple[Contribution, ...]
    caveats: tuple[str, ...]
    unconfirmed_parameters: tuple[str, ...] = field(default=())
    intjanad_livranta_2006: Decimal = _ZERO  # the same at the 2006 level

    @property
    def explanation(self) -> Explanation:
        return Explanation(
            rule="kapkl_entitlements",
            source="KAP-KL; RIPS 07 [S26]; KPA [S1]",
            inputs=(("at", self.at), ("calculation_year", self.calculation_year)),
            parts=(
                self.fap_at_65.explanation,
                self.intjanad_livranta.explanation,
                self.livranta.explanation,
                self.ipr_1997.explanation,
            ),
        )

    @property
    def earned_total(self) -> Decimal:
        """IPR + intjänad livränta + calendar-year livränta: the benefit earned so far [S26]."""
        return self.ipr_1997.amount + self.intjanad_livranta.amount + self.livranta.amount


def calculation_point(at: date) -> date:
    """The last 31 December on or before ``at``."""
    return at if (at.month, at.day) == (12, 31) else date(at.year - 1, 12, 31)


@dataclass(frozen=True, slots=True)
class _DCYear:
    rate: Decimal
    cap: Decimal  # ceiling in kronor
    min_age: int
    parameters: tuple[ParameterUse, ...]
    unconfirmed: tuple[str, ...]
    prefix: str
    suffix: str


@cache
def _dc_year(year: int) -> _DCYear:
    """The year's DC rate, ceiling and age limit, prepared once (raises MissingParameter before 2006)."""
    at = date(year, 1, 1)
    min_age = parameter("kapkl_dc_min_age", at)
    rate = parameter("kapkl_dc_rate", at)
    ceiling = parameter("kapkl_dc_ceiling_ibb", at)
    base = ibb(year)
    uses = (rate, ceiling, base, min_age)
    return _DCYear(
        rate=rate.value,
        cap=ceiling.value * base.value,
        min_age=int(min_age.value),
        parameters=uses,
        unconfirmed=tuple(u.name for u in uses if u.unconfirmed),
        prefix=f"{rate.value} x min(",
        suffix=f", {ceiling.value} x {base.value}) = ",
    )


def dc_contribution_kapkl(history: PersonHistory, year: int) -> Contribution | None:
    """KAP-KL DC contribution of a calendar year: rate x salary up to 30 IBB, from age 21.

    4.5 % up to 30 IBB from 2010 (Valcentralen [S2], KPA [S4]); 2006-2009 from the flagged
    parameters. Returns None for a year without salary or before the age limit. Raises
    ``MissingParameter`` for a year without a rate (before 2006).
    Reading: the age limit is met in the calendar year the person turns 21.
    """
    salary = history.salary(year)
    dc = _dc_year(year)
    if salary <= _ZERO or year - history.birth_year < dc.min_age:
        return None
    amount = round_ore(dc.rate * (salary if salary < dc.cap else dc.cap))
    return Contribution(
        year=year,
        agreement="KAP-KL",
        salary=salary,
        amount=amount,
        explanation=Explanation(
            rule="kapkl_dc_contribution",
            source=DC_SOURCE,
            inputs=(("year", year), ("salary", salary)),
            parameters=dc.parameters,
            formula=dc.prefix + str(salary) + dc.suffix + str(amount),
        ),
    )


def entitlements(history: PersonHistory, at: date) -> Entitlements:
    """KAP-KL entitlements at the last year end on or before ``at`` (spec section 2)."""
    point = calculation_point(at)
    year = point.year
    caveats: list[str] = []
    person = Prepared(history)
    pu = pensionsunderlag(history, year, person)
    if pu.counted_years and max(pu.counted_years) > year - 2:
        caveats.append("pu_no_complete_year")
    elif 0 < len(pu.counted_years) < 5:
        caveats.append("pu_short_history")
    levels = benefit_levels(history.birth_year)
    tf = time_factor(history, point, person)
    fap = fap_yearly(history, pu, levels, tf.full_months, tf.full_months_required, (tf.explanation,), person)
    if year >= 2006:
        il = intjanad_livranta(history, levels, person)
        il_now, il_uses = index_il(il.amount, year)
        il_figure = Figure(
            il_now,
            Explanation(
                rule="intjanad_livranta_indexed",
                source="KAP-KL; RIPS 07 [S26]; livräntor are indexed with PBB (KPA [S5])",
                inputs=(("intjanad_livranta_2006", il.amount),),
                parameters=il_uses,
                formula=f"{il.amount} indexed with PBB to {year} = {il_now}",
                parts=(il.explanation,),
            ),
        )
        il_2006 = il.amount
    else:
        il_2006 = _ZERO
        il_figure = Figure(_ZERO, Explanation(rule="intjanad_livranta", source="RIPS 07 [S26]",
                                              formula="calculation year before 2006"))
    liv = calendar_year_livranta(history, levels, il_2006, year, person)
    ipr, ipr_above, ipr_uses = ipr_indexed(history, year)
    ipr_source = "IPR per 1997-12-31 from the administrator's register; RIPS 07 [S26]; domain-spec 2.7"
    ipr_figure = Figure(
        ipr,
        Explanation(rule="ipr_1997", source=ipr_source, inputs=(("ipr_1997_register", history.ipr_1997),),
                    parameters=ipr_uses, formula=f"{history.ipr_1997} at the {year} level = {ipr}"),
    )
    ipr_above_figure = Figure(
        ipr_above,
        Explanation(rule="ipr_1997_above_ceiling", source=ipr_source,
                    inputs=(("ipr_1997_above_ceiling_register", history.ipr_1997_above_ceiling),),
                    parameters=ipr_uses, formula=f"{history.ipr_1997_above_ceiling} at the {year} level = {ipr_above}"),
    )
    if ipr_uses:
        caveats.append("ipr_indexation_unconfirmed")
    contributions: list[Contribution] = []
    unconfirmed: list[str] = []
    for record in history.salaries:
        if record.year > year:
            continue
        try:
            found = dc_contribution_kapkl(history, record.year)
        except MissingParameter:
            if "dc_before_2006_not_computed" not in caveats:
                caveats.append("dc_before_2006_not_computed")
            continue
        if found is not None:
            contributions.append(found)
            flagged = _dc_year(record.year).unconfirmed
            if flagged:
                if "dc_2006_2009_rate_unconfirmed" not in caveats:
                    caveats.append("dc_2006_2009_rate_unconfirmed")
                unconfirmed.extend(n for n in flagged if n not in unconfirmed)
    for explanation in (fap.explanation, il_figure.explanation, liv.latest.explanation, ipr_figure.explanation):
        for name in collect_unconfirmed(explanation):
            if name not in unconfirmed:
                unconfirmed.append(name)
    if unconfirmed:
        caveats.insert(0, "estimate_unconfirmed_parameters")
    return Entitlements(
        at=at,
        calculation_year=year,
        pensionsunderlag=pu,
        benefit_levels=levels,
        time_factor=tf,
        fap_at_65=fap,
        intjanad_livranta=il_figure,
        livranta=liv.latest,
        livranta_by_year=liv.by_year,
        ipr_1997=ipr_figure,
        ipr_1997_above_ceiling=ipr_above_figure,
        dc_contributions=tuple(contributions),
        caveats=tuple(caveats),
        unconfirmed_parameters=tuple(unconfirmed),
        intjanad_livranta_2006=il_2006,
    )
