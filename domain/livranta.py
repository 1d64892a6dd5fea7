"""KAP-KL livränta: the intjänad livränta per 2006-12-31 and the calendar-year livränta from 2007.

RIPS 07 [S26]; domain-spec 2.6:
- Intjänad livränta (2006-12-31): only time from 1998, at most nine years:
  ``IL = months 1998-2006 / 360 x [L1 x (PU - 7.5 IBB) + L2 x (upper band)]`` with PU and IBB of 2006.
- Calendar-year livränta at each year end t from 2007:
  ``new = time since 2007 / (time since 2007 + time left to 65) x (FÅP at 65 with all possible time
  - intjänad livränta - IPR above the ceiling)``; compared with last year's livränta indexed with
  PBB, the higher is kept.

Readings chosen (see domain/README.md):
- The intjänad livränta exists only for someone employed during 2006 (KAP-KL started 2006-01-01;
  earlier leavers have PFA paid-up rights outside this calculation).
- A new livränta is computed at the end of a year t only when the person was employed during t and
  had not turned 65 by the end of t; otherwise last year's value is carried forward, indexed.
- "Last year's livränta indexed with PBB" uses max(1, PBB(t)/PBB(t-1)): in the years PBB fell (2010,
  2014, 2016) an earned livränta is kept, not lowered (spec 1 implementation note; FÅP is
  "oantastbar" [S1]).
- The intjänad livränta is expressed at a later year's level with PBB(t)/PBB(2006).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.benefit import BenefitLevels, counted_months, employed_during, time_window
from domain.explanation import Explanation, ParameterUse
from domain.fap import band_amount, had_salary_above_threshold, ipr_indexed
from domain.model import PersonHistory
from domain.money import round_krona
from domain.parameters import parameter, pbb
from domain.pensionsunderlag import pensionsunderlag
from domain.results import Figure

_ZERO = Decimal(0)
_ONE = Decimal(1)
IL_SOURCE = "KAP-KL intjänad livränta per 2006-12-31; RIPS 07 [S26]; domain-spec 2.6"
LIVRANTA_SOURCE = "KAP-KL livränta at each year end from 2007; RIPS 07 [S26]; domain-spec 2.6"


def intjanad_livranta(history: PersonHistory, levels: BenefitLevels) -> Figure:
    """The intjänad livränta per 2006-12-31 at the 2006 level ([S26]; spec 2.6, W8)."""
    at = date(2006, 12, 31)
    from_year = int(parameter("kapkl_livranta_time_from", at).value)
    if not employed_during(history, date(2006, 1, 1), at):
        return Figure(
            _ZERO,
            Explanation(
                rule="intjanad_livranta",
                source=IL_SOURCE,
                inputs=(("employed_in_2006", False),),
                formula="not employed during 2006: no intjänad livränta",
            ),
        )
    first, last = time_window(history, at)
    months = counted_months(history, max(first, from_year * 12), min(last, 2006 * 12 + 11), at)
    pu = pensionsunderlag(history, 2006)
    gross, text, uses = band_amount(pu.amount, 2006, levels)
    full = int(parameter("kapkl_full_time_months", at).value)
    qualifies = pu.amount > uses[1].value * uses[0].value and had_salary_above_threshold(history, 2006)
    amount = round_krona(Decimal(months) / Decimal(full) * gross) if qualifies else _ZERO
    return Figure(
        amount,
        Explanation(
            rule="intjanad_livranta",
            source=IL_SOURCE,
            inputs=(("months_1998_2006", months), ("pensionsunderlag_2006", pu.amount)),
            parameters=uses,
            formula=f"{months}/{full} x ({text}) = {amount}",
            parts=(pu.explanation, levels.explanation),
        ),
    )


@dataclass(frozen=True, slots=True)
class LivrantaHistory:
    by_year: dict[int, Decimal]  # livränta at each year end, at that year's level
    latest: Figure  # the livränta at the last year end computed (0 if none)


def index_il(il_2006: Decimal, year: int) -> tuple[Decimal, tuple[ParameterUse, ...]]:
    """The intjänad livränta at ``year``'s level: IL x PBB(year) / PBB(2006)."""
    if not il_2006 or year == 2006:
        return il_2006, ()
    base, target = pbb(2006), pbb(year)
    return round_krona(il_2006 * target.value / base.value), (base, target)


def calendar_year_livranta(
    history: PersonHistory, levels: BenefitLevels, il_2006: Decimal, up_to_year: int
) -> LivrantaHistory:
    """Livränta at every year end from 2007 to ``up_to_year`` ([S26]; spec 2.6)."""
    start = int(parameter("kapkl_calendar_livranta_from", date(2007, 12, 31)).value)
    by_year: dict[int, Decimal] = {}
    previous = _ZERO
    explanation = Explanation(rule="livranta", source=LIVRANTA_SOURCE, formula="no year end computed")
    birth = history.birth_date
    for t in range(start, up_to_year + 1):
        at = date(t, 12, 31)
        index_uses: tuple[ParameterUse, ...] = ()
        indexed_previous = _ZERO
        if previous:
            now, before = pbb(t), pbb(t - 1)
            index_uses = (before, now)
            indexed_previous = round_krona(previous * max(_ONE, now.value / before.value))
        normal_age = int(parameter("kapkl_normal_retirement_age", at).value)
        active = employed_during(history, date(t, 1, 1), at) and (t - birth.year) < normal_age
        if not active:
            amount = indexed_previous
            if t == up_to_year:
                explanation = Explanation(
                    rule="livranta",
                    source=LIVRANTA_SOURCE,
                    inputs=(("year", t), ("active", False), ("previous", previous)),
                    parameters=index_uses,
                    formula=f"not an active employee under 65 in {t}: last year's livränta indexed = {amount}",
                )
        else:
            first, last = time_window(history, at)
            t_month = t * 12 + 11
            since_2007 = counted_months(history, max(first, start * 12), min(last, t_month), at)
            earned_all = counted_months(history, first, min(last, t_month), at)
            remaining = max(0, last - max(t_month + 1, first) + 1)
            full = int(parameter("kapkl_full_time_months", at).value)
            credited = min(earned_all + remaining, full)
            pu = pensionsunderlag(history, t)
            gross, text, uses = band_amount(pu.amount, t, levels)
            qualifies = pu.amount > uses[1].value * uses[0].value and had_salary_above_threshold(history, t)
            _, ipr_above, ipr_uses = ipr_indexed(history, t)
            il_t, il_uses = index_il(il_2006, t)
            fap_65 = max(_ZERO, Decimal(credited) / Decimal(full) * gross - ipr_above) if qualifies else _ZERO
            denominator = since_2007 + remaining
            new = (
                round_krona(Decimal(since_2007) / Decimal(denominator) * max(_ZERO, fap_65 - il_t))
                if denominator and qualifies
                else _ZERO
            )
            amount = max(new, indexed_previous)
            if t == up_to_year:
                explanation = Explanation(
                    rule="livranta",
                    source=LIVRANTA_SOURCE,
                    inputs=(
                        ("year", t),
                        ("months_since_2007", since_2007),
                        ("months_left_to_65", remaining),
                        ("credited_months", credited),
                        ("pensionsunderlag", pu.amount),
                        ("intjanad_livranta_indexed", il_t),
                        ("ipr_1997_above_ceiling", ipr_above),
                        ("previous_indexed", indexed_previous),
                    ),
                    parameters=(*uses, *ipr_uses, *il_uses, *index_uses),
                    formula=(
                        f"new = {since_2007}/({since_2007}+{remaining}) x ({credited}/{full} x ({text}) "
                        f"- {ipr_above} - {il_t}) = {new}; kept max(new, {indexed_previous}) = {amount}"
                    ),
                    parts=(pu.explanation, levels.explanation),
                )
        by_year[t] = amount
        previous = amount
    return LivrantaHistory(by_year=by_year, latest=Figure(previous, explanation))
