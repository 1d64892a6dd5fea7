"""KAP-KL förmånsbestämd ålderspension (FÅP): benefit levels by birth year and the time factor.

Benefit levels: KPA [S1], RIPS 07 table 1 [S26]; domain-spec 2.4 and W10 (the published
two-decimal table, from ``parameters/fap_levels.toml``).
Time factor: KPA [S1], RIPS 07 [S26], SLF [S27]; domain-spec 2.5 - pensionable time counts from the
month after the month of the 28th birthday, at most 360 months (30 years), up to 65.

Readings chosen where the sources are silent (see domain/README.md):
- Time is counted in calendar months: a month counts when an employment covers any day of it;
  overlapping employments count once; the employment degree does not reduce time (part-time staff
  have a lower PU instead).
- The last month counted is the month before the month of the 65th birthday (SLF "längst till och
  med månaden före du fyller 65 år").
- A spell of merged employments shorter than ``kapkl_time_min_spell_months`` (3, SLF, unconfirmed)
  does not count.
- Up to a calculation day ``at`` the months whose first day is on or before ``at`` count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from domain.explanation import Explanation, ParameterUse
from domain.kernel import Prepared, time_constants
from domain.model import PersonHistory
from domain.parameters import parameter

_LATEST = date.max  # the current version of a table that is not yearly


@dataclass(frozen=True, slots=True)
class BenefitLevels:
    lower: Decimal  # share of the PU part between 7.5 and 20 IBB, e.g. 0.5821
    upper: Decimal  # share of the PU part between 20 and 30 IBB, e.g. 0.2911
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class TimeFactor:
    months: int  # pensionable months earned up to ``at`` (capped at the full time)
    factor: Decimal  # months / full months, e.g. 120/360
    explanation: Explanation
    months_to_65: int = 0  # months still possible after ``at`` up to 65 if employed throughout
    full_months: int = 0  # months + months_to_65, capped at the full time
    full_months_required: int = 360

    @property
    def full_factor(self) -> Decimal:
        """The time factor at 65 with the remaining time credited (KPA [S1]; RIPS 07 [S26])."""
        return Decimal(self.full_months) / Decimal(self.full_months_required)


@cache
def benefit_levels(birth_year: int, at: date | None = None) -> BenefitLevels:
    """FÅP levels for a birth year (KPA [S1]; RIPS 07 table 1 [S26]; spec 2.4, W10)."""
    when = at or _LATEST
    lower = parameter("fap_level_lower", when, birth_year)
    upper = parameter("fap_level_upper", when, birth_year)
    return BenefitLevels(
        lower=lower.value,
        upper=upper.value,
        explanation=Explanation(
            rule="fap_benefit_levels",
            source="KAP-KL FÅP levels; KPA [S1]; RIPS 07 table 1 [S26]; domain-spec 2.4",
            inputs=(("birth_year", birth_year),),
            parameters=(lower, upper),
            formula=f"born {birth_year}: {lower.value} of the PU part 7.5-20 IBB, {upper.value} of 20-30 IBB",
        ),
    )


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _spells(history: PersonHistory) -> list[tuple[int, int]]:
    """Employments as merged (first month, last month) spells; None end means ongoing."""
    ranges = sorted(
        (_month_index(job.start), _month_index(job.end) if job.end else 10**9) for job in history.employments
    )
    merged: list[list[int]] = []
    for first, last in ranges:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]


def time_window(history: PersonHistory, at: date) -> tuple[int, int]:
    """(first, last) month index of pensionable time: after the 28-year month, before the 65-year month."""
    start_age = int(parameter("kapkl_time_start_age", at).value)
    end_age = int(parameter("kapkl_normal_retirement_age", at).value)
    birth = history.birth_date
    return (birth.year + start_age) * 12 + birth.month, (birth.year + end_age) * 12 + birth.month - 2


def counted_months(history: PersonHistory, lo: int, hi: int, at: date) -> int:
    """Months of employment between month indexes ``lo`` and ``hi`` inclusive that count as
    pensionable time (spells shorter than the minimum that ended before ``at`` left out)."""
    min_spell = int(parameter("kapkl_time_min_spell_months", at).value)
    now = _month_index(at)
    total = 0
    for spell_first, spell_last in _spells(history):
        if spell_last - spell_first + 1 < min_spell and spell_last < now:
            continue
        a, b = max(spell_first, lo), min(spell_last, hi)
        if b >= a:
            total += b - a + 1
    return total


def employed_during(history: PersonHistory, first: date, last: date) -> bool:
    """Some employment covers a day between ``first`` and ``last`` inclusive."""
    return any(job.start <= last and (job.end is None or job.end >= first) for job in history.employments)


def time_months(person: Prepared, at: date) -> tuple[int, int, int, int, bool, bool]:
    """(earned, months to 65, credited, full months, employed at ``at``, short spell left out).

    The numbers of ``time_factor`` without the explanation (KPA [S1]; RIPS 07 [S26]; spec 2.5).
    """
    start_age, normal_age, full_months, min_spell = time_constants(at.year)
    first, last = person.time_window(start_age, normal_age)
    now = _month_index(at)
    earned, dropped = person.counted_months(first, min(last, now), now, min_spell)
    ongoing_at = any(a <= now <= b for a, b in person.spells)
    # Time still possible to 65: every month after ``at`` up to the month before 65 (the FÅP and
    # livränta "all possible time to 65", RIPS 07 [S26]); counted from the 28-year start at the earliest.
    # Only while employed at ``at``: a leaver has no future time (reading; RIPS 07 paid-up livränta).
    future = max(0, last - max(now + 1, first) + 1) if ongoing_at else 0
    earned = min(earned, full_months)
    return earned, future, min(earned + future, full_months), full_months, ongoing_at, dropped


def time_factor(history: PersonHistory, at: date, prepared: Prepared | None = None) -> TimeFactor:
    """Pensionable time up to ``at`` and the time still possible to 65 (KPA [S1]; [S26]; spec 2.5)."""
    person = prepared or Prepared(history)
    earned, future, credited, full_months, ongoing_at, dropped = time_months(person, at)
    uses: tuple[ParameterUse, ...] = (
        parameter("kapkl_time_start_age", at),
        parameter("kapkl_normal_retirement_age", at),
        parameter("kapkl_full_time_months", at),
    )
    if dropped:  # the unconfirmed three-month rule changed the result: say so
        uses = (*uses, parameter("kapkl_time_min_spell_months", at))
    birth = history.birth_date
    factor = Decimal(earned) / Decimal(full_months)
    return TimeFactor(
        months=earned,
        factor=factor,
        months_to_65=future,
        full_months=credited,
        full_months_required=full_months,
        explanation=Explanation(
            rule="fap_time_factor",
            source="KAP-KL pensionsgrundande tid; KPA [S1]; RIPS 07 [S26]; SLF [S27]; domain-spec 2.5",
            inputs=(("birth_date", birth), ("at", at), ("employed_at", ongoing_at)),
            parameters=uses,
            formula=(
                f"earned {earned} months / {full_months}; with the time to 65 "
                f"({future} months) credited: {credited} / {full_months}"
            ),
            notes=(
                "Calendar months with any day of employment count, from the month after the 28-year "
                "month to the month before the 65-year month; degree of employment not applied.",
            ),
        ),
    )
