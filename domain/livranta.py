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
from functools import cache

from domain.benefit import BenefitLevels
from domain.explanation import Explanation, ParameterUse
from domain.fap import band_text, ipr_indexed, threshold_uses
from domain.kernel import (
    MICRO_PER_KRONA,
    Prepared,
    band_micro,
    half_up,
    level_int,
    month_index,
    pbb_int,
    pu_core,
    year_constants,
)
from domain.model import PersonHistory
from domain.parameters import parameter, pbb
from domain.pensionsunderlag import explain_pu
from domain.results import Figure

_ZERO = Decimal(0)
IL_SOURCE = "KAP-KL intjänad livränta per 2006-12-31; RIPS 07 [S26]; domain-spec 2.6"
LIVRANTA_SOURCE = "KAP-KL livränta at each year end from 2007; RIPS 07 [S26]; domain-spec 2.6"


@cache
def _rules(year: int) -> tuple[int, int, str]:
    at = date(year, 12, 31)
    return (
        int(parameter("kapkl_livranta_time_from", at).value),
        int(parameter("kapkl_calendar_livranta_from", at).value),
        str(parameter("kapkl_pu_short_history_fallback", at).value),
    )


def intjanad_livranta_amount(person: Prepared, levels: BenefitLevels) -> tuple[int, int, object]:
    """(amount in kronor, months 1998-2006, PU result) of the intjänad livränta; amount 0 if none."""
    if not person.employed_during_year(2006):
        return 0, 0, None
    from_year, _, fallback = _rules(2006)
    yc = year_constants(2006)
    first, last = person.time_window(yc.start_age, yc.normal_age)
    months, _ = person.counted_months(
        max(first, from_year * 12), min(last, 2006 * 12 + 11), month_index(date(2006, 12, 31)), yc.min_spell
    )
    pu = pu_core(person, 2006, fallback)
    if not (pu.amount > yc.threshold and person.had_high_salary_by(2006)):
        return 0, months, pu
    band, _, _ = band_micro(pu.amount, yc, level_int(levels.lower), level_int(levels.upper))
    return half_up(months * band, yc.full_months * MICRO_PER_KRONA), months, pu


def intjanad_livranta(history: PersonHistory, levels: BenefitLevels, prepared: Prepared | None = None) -> Figure:
    """The intjänad livränta per 2006-12-31 at the 2006 level ([S26]; spec 2.6, W8)."""
    person = prepared or Prepared(history)
    amount, months, pu = intjanad_livranta_amount(person, levels)
    if pu is None:
        return Figure(
            _ZERO,
            Explanation(
                rule="intjanad_livranta",
                source=IL_SOURCE,
                inputs=(("employed_in_2006", False),),
                formula="not employed during 2006: no intjänad livränta",
            ),
        )
    pu_result = explain_pu(history, 2006, pu, parameter("kapkl_pu_short_history_fallback", date(2006, 12, 31)))
    _, text = band_text(pu.amount, 2006, levels)
    full = year_constants(2006).full_months
    return Figure(
        Decimal(amount),
        Explanation(
            rule="intjanad_livranta",
            source=IL_SOURCE,
            inputs=(("months_1998_2006", months), ("pensionsunderlag_2006", pu_result.amount)),
            parameters=threshold_uses(2006),
            formula=f"{months}/{full} x ({text}) = {amount}",
            parts=(pu_result.explanation, levels.explanation),
        ),
    )


@dataclass(frozen=True, slots=True)
class _LoopYear:
    """Everything the livränta loop needs about a year, looked up once for all persons."""

    pbb: int
    pbb_before: int
    threshold: int
    band: int
    ceiling: int
    full_months: int
    start_age: int
    normal_age: int
    min_spell: int
    window_key: tuple[int, int]
    window: tuple[tuple[int, int | None], ...]  # (year, PBB) for the first seven of the last nine


@cache
def _loop_constants(year: int) -> _LoopYear:
    yc = year_constants(year)
    window = []
    for y in range(year - 8, year - 1):
        try:
            window.append((y, pbb_int(y)))
        except LookupError:
            window.append((y, None))
    return _LoopYear(
        pbb=pbb_int(year),
        pbb_before=pbb_int(year - 1),
        threshold=yc.threshold,
        band=yc.band,
        ceiling=yc.ceiling,
        full_months=yc.full_months,
        start_age=yc.start_age,
        normal_age=yc.normal_age,
        min_spell=yc.min_spell,
        window_key=(yc.start_age, yc.normal_age),
        window=tuple(window),
    )


@dataclass(frozen=True, slots=True)
class LivrantaHistory:
    by_year: dict[int, Decimal]  # livränta at each year end, at that year's level
    latest: Figure  # the livränta at the last year end computed (0 if none)


def index_il(il_2006: Decimal, year: int) -> tuple[Decimal, tuple[ParameterUse, ...]]:
    """The intjänad livränta at ``year``'s level: IL x PBB(year) / PBB(2006), whole kronor."""
    if not il_2006 or year == 2006:
        return il_2006, ()
    return Decimal(half_up(int(il_2006) * pbb_int(year), pbb_int(2006))), (pbb(2006), pbb(year))


def calendar_year_livranta(
    history: PersonHistory,
    levels: BenefitLevels,
    il_2006: Decimal,
    up_to_year: int,
    prepared: Prepared | None = None,
) -> LivrantaHistory:
    """Livränta at every year end from 2007 to ``up_to_year`` ([S26]; spec 2.6)."""
    person = prepared or Prepared(history)
    by_year, last_detail = livranta_kernel(person, levels, il_2006, up_to_year)
    previous = by_year[max(by_year)] if by_year else 0
    _, start, fallback = _rules(up_to_year if up_to_year >= 2007 else 2007)
    if last_detail is not None and last_detail[1]:
        # The explanation shows the full pensionsunderlag of the last year end.
        last_detail = (*last_detail[:7], pu_core(person, last_detail[0], fallback), *last_detail[8:])
    elif last_detail is None and up_to_year >= start:
        last_detail = (up_to_year, True, 0, 0, 0, 0, 0, pu_core(person, up_to_year, fallback), 0, _ZERO, 0)
    return LivrantaHistory(
        by_year={t: Decimal(v) for t, v in by_year.items()},
        latest=_explain(history, levels, last_detail, Decimal(previous)),
    )


def livranta_kernel(
    person: Prepared, levels: BenefitLevels, il_2006: Decimal, up_to_year: int
) -> tuple[dict[int, int], tuple | None]:
    """The yearly livränta loop without explanations: {year: kronor} and the last year's numbers.

    This is what ``calendar_year_livranta`` runs; a population path can call it directly and get
    the same amounts.
    """
    history = person.history
    _, start, fallback = _rules(up_to_year if up_to_year >= 2007 else 2007)
    lower, upper = level_int(levels.lower), level_int(levels.upper)
    il = int(il_2006)
    il_base = pbb_int(2006) if il else 0
    birth_year = history.birth_date.year
    by_year: dict[int, int] = {}
    previous = 0
    last_detail = None
    salary = person.salary
    spells = person.spells
    single = spells[0] if len(spells) == 1 else None
    high_from = person.first_high_year
    has_ipr_above = bool(history.ipr_1997_above_ceiling)
    window_key = None
    first = last = 0
    for t in range(start, up_to_year + 1):
        c = _loop_constants(t)
        pt = c.pbb
        indexed_previous = 0
        if previous:
            before = c.pbb_before
            indexed_previous = (2 * previous * pt + before) // (2 * before) if pt > before else previous
        t_month = t * 12 + 11
        if single is not None:
            employed = single[0] <= t_month and single[1] >= t_month - 11
        else:
            employed = any(a <= t_month and b >= t_month - 11 for a, b in spells)
        active = employed and t - birth_year < c.normal_age
        if not active or high_from is None or high_from > t:
            # Not active, or no salary above 7.5 IBB yet: no new livränta this year [S26][S1].
            amount = indexed_previous
            detail = (t, False, previous, indexed_previous) if not active else None
        else:
            if window_key != c.window_key:
                window_key = c.window_key
                first, last = person.time_window(c.start_age, c.normal_age)
            # Pensionsunderlag of year t (the kernel's pu_core, inlined for speed: same arithmetic).
            values = []
            for y, pi in c.window:
                s_y = salary.get(y)
                if s_y:
                    if pi is None:
                        pbb_int(y)  # raises MissingParameter
                    values.append((2 * s_y * pt + pi) // (2 * pi))
            if len(values) >= 5:
                values.sort()
                pu_amount = (2 * sum(values[-5:]) + 5) // 10
            else:
                pu_amount = pu_core(person, t, fallback).amount
            new = 0
            ipr_above = _ZERO
            since_2007 = remaining = credited = il_t = 0
            if pu_amount > c.threshold:
                hi = last if last < t_month else t_month
                lo_2007 = first if first > start * 12 else start * 12
                if single is not None and (single[1] - single[0] + 1 >= c.min_spell or single[1] >= t_month):
                    a, b = single
                    since_2007 = max(0, (b if b < hi else hi) - (a if a > lo_2007 else lo_2007) + 1)
                    earned_all = max(0, (b if b < hi else hi) - (a if a > first else first) + 1)
                else:
                    since_2007, _ = person.counted_months(lo_2007, hi, t_month, c.min_spell)
                    earned_all, _ = person.counted_months(first, hi, t_month, c.min_spell)
                remaining = last - max(t_month + 1, first) + 1
                if remaining < 0:
                    remaining = 0
                credited = earned_all + remaining
                full = c.full_months
                if credited > full:
                    credited = full
                il_t = (2 * il * pt + il_base) // (2 * il_base) if il else 0
                denominator = since_2007 + remaining
                if denominator:
                    # band_micro and fap_micro of the kernel, inlined.
                    mid = pu_amount if pu_amount < c.band else c.band
                    top = pu_amount if pu_amount < c.ceiling else c.ceiling
                    band = lower * (mid - c.threshold) + (upper * (top - c.band) if top > c.band else 0)
                    if has_ipr_above:
                        _, ipr_above, _ = ipr_indexed(history, t)
                    fap_num = credited * band - full * int(ipr_above) * MICRO_PER_KRONA
                    if fap_num < 0:
                        fap_num = 0
                    fap_den = full * MICRO_PER_KRONA
                    diff = fap_num - il_t * fap_den
                    if diff > 0:
                        new = (2 * since_2007 * diff + denominator * fap_den) // (2 * denominator * fap_den)
            amount = new if new > indexed_previous else indexed_previous
            detail = (t, True, previous, indexed_previous, since_2007, remaining, credited, None, il_t, ipr_above, new)
        by_year[t] = amount
        previous = amount
        last_detail = detail
    return by_year, last_detail


def _explain(history: PersonHistory, levels: BenefitLevels, detail, amount: Decimal) -> Figure:
    """The explanation of the last year end's livränta, from the loop's numbers."""
    if detail is None:
        return Figure(amount, Explanation(rule="livranta", source=LIVRANTA_SOURCE, formula="no year end computed"))
    t = detail[0]
    pbb_uses: tuple[ParameterUse, ...] = (pbb(t - 1), pbb(t)) if detail[2] else ()
    if not detail[1]:
        _, _, previous, indexed_previous = detail
        return Figure(
            amount,
            Explanation(
                rule="livranta",
                source=LIVRANTA_SOURCE,
                inputs=(("year", t), ("active", False), ("previous", Decimal(previous))),
                parameters=pbb_uses,
                formula=f"not an active employee under 65 in {t}: last year's livränta indexed = {amount}",
            ),
        )
    _, _, previous, indexed_previous, since_2007, remaining, credited, pu, il_t, ipr_above, new = detail
    fallback = parameter("kapkl_pu_short_history_fallback", date(t, 12, 31))
    pu_result = explain_pu(history, t, pu, fallback)
    _, text = band_text(pu.amount, t, levels)
    full = year_constants(t).full_months
    _, _, ipr_uses = ipr_indexed(history, t)
    return Figure(
        amount,
        Explanation(
            rule="livranta",
            source=LIVRANTA_SOURCE,
            inputs=(
                ("year", t),
                ("months_since_2007", since_2007),
                ("months_left_to_65", remaining),
                ("credited_months", credited),
                ("pensionsunderlag", pu_result.amount),
                ("intjanad_livranta_indexed", Decimal(il_t)),
                ("ipr_1997_above_ceiling", ipr_above),
                ("previous_indexed", Decimal(indexed_previous)),
            ),
            parameters=(*threshold_uses(t), *ipr_uses, *((pbb(2006), pbb(t)) if il_t else ()), *pbb_uses),
            formula=(
                f"new = {since_2007}/({since_2007}+{remaining}) x ({credited}/{full} x ({text}) "
                f"- {ipr_above} - {il_t}) = {new}; kept max(new, {indexed_previous}) = {amount}"
                if credited
                else f"PU {pu_result.amount} not above 7.5 IBB, or no salary above 7.5 IBB yet: no new "
                f"livränta [S26]; kept {indexed_previous} = {amount}"
            ),
            parts=(pu_result.explanation, levels.explanation),
        ),
    )
