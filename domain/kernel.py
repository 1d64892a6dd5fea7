"""The arithmetic kernel of the KAP-KL rules: exact integer arithmetic in öre, rounded half up only
where the rules round.

Every public rule (``pensionsunderlag``, ``fap``, ``livranta``, ``entitlements``) computes through
these functions and then builds its explanation from the same numbers, so the per-person path and a
bulk run give identical results by construction. Integers instead of Decimal make the yearly
livränta loop (a PU per year end since 2007) cheap: ~140 000 persons must run in seconds
(issue 2, bench/domain.py).

Units: salaries, PU and thresholds in öre (int); FÅP levels scaled by 10 000 (0.5821 -> 5821), so a
level times öre is in units of 1e-6 kronor ("micro"). Rules and sources are documented in the
modules that call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from domain.model import PersonHistory
from domain.parameters import forhojt_pbb, ibb, parameter, pbb

LEVEL_SCALE = 10_000  # FÅP levels have four decimals in the published table
MICRO_PER_KRONA = 1_000_000  # öre x level-scale
MICRO_PER_ORE = LEVEL_SCALE
_HUNDRED = Decimal(100)


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (away from zero for .5), for denominator > 0."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def to_ore(amount: Decimal) -> int:
    """Kronor as whole öre (half up beyond the öre)."""
    return int((amount * _HUNDRED).to_integral_value(rounding=ROUND_HALF_UP))


def ore_to_decimal(ore: int) -> Decimal:
    return Decimal(ore).scaleb(-2)


def _exact_int(value: Decimal, what: str) -> int:
    if value != value.to_integral_value():
        raise ValueError(f"{what} is not a whole number of the unit: {value}")
    return int(value)


@cache
def pbb_int(year: int) -> int:
    return _exact_int(pbb(year).value, "prisbasbelopp")


@cache
def level_int(level: Decimal) -> int:
    return _exact_int(level * LEVEL_SCALE, "FÅP level x 10 000")


@dataclass(frozen=True, slots=True)
class YearConstants:
    """Band limits of a calculation year in öre, and the KAP-KL agreement constants that apply."""

    year: int
    ibb: int  # kronor
    threshold: int  # 7.5 IBB in öre
    band: int  # 20 IBB in öre
    ceiling: int  # 30 IBB in öre
    full_months: int
    start_age: int
    normal_age: int
    min_spell: int


@cache
def year_constants(year: int) -> YearConstants:
    at = date(year, 12, 31)
    base = ibb(year).value
    return YearConstants(
        year=year,
        ibb=_exact_int(base, "inkomstbasbelopp"),
        threshold=_exact_int(parameter("kapkl_fap_threshold_ibb", at).value * base * 100, "7.5 IBB in öre"),
        band=_exact_int(parameter("kapkl_fap_band_ibb", at).value * base * 100, "20 IBB in öre"),
        ceiling=_exact_int(parameter("kapkl_pu_ceiling_ibb", at).value * base * 100, "30 IBB in öre"),
        full_months=int(parameter("kapkl_full_time_months", at).value),
        start_age=int(parameter("kapkl_time_start_age", at).value),
        normal_age=int(parameter("kapkl_normal_retirement_age", at).value),
        min_spell=int(parameter("kapkl_time_min_spell_months", at).value),
    )


@cache
def time_constants(year: int) -> tuple[int, int, int, int]:
    """(start age 28, normal age 65, full months 360, minimum spell months) at the end of ``year``."""
    at = date(year, 12, 31)
    return (
        int(parameter("kapkl_time_start_age", at).value),
        int(parameter("kapkl_normal_retirement_age", at).value),
        int(parameter("kapkl_full_time_months", at).value),
        int(parameter("kapkl_time_min_spell_months", at).value),
    )


@cache
def salary_threshold_ore(year: int) -> int | None:
    """7.5 IBB of a salary year in öre (förhöjt PBB before 2001); None where no base amount exists."""
    try:
        base = ibb(year).value if year >= 2001 else forhojt_pbb(year).value
    except LookupError:
        return None
    multiple = parameter("kapkl_fap_threshold_ibb", date(max(year, 2006), 1, 1)).value
    return _exact_int(multiple * base * 100, "7.5 IBB in öre")


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


class Prepared:
    """A history made ready for the kernel: salaries in öre, merged employment spells, and the
    first year with a salary above 7.5 IBB. Built once per person and calculation."""

    __slots__ = ("history", "salary", "spells", "first_high_year", "_complete")

    def __init__(self, history: PersonHistory):
        self.history = history
        self.salary = {s.year: to_ore(s.amount) for s in history.salaries if s.amount > 0}
        ranges = sorted(
            (month_index(j.start), month_index(j.end) if j.end else 10**9) for j in history.employments
        )
        merged: list[list[int]] = []
        for first, last in ranges:
            if merged and first <= merged[-1][1] + 1:
                if last > merged[-1][1]:
                    merged[-1][1] = last
            else:
                merged.append([first, last])
        self.spells = tuple((a, b) for a, b in merged)
        high = None
        for year in sorted(self.salary):
            limit = salary_threshold_ore(year)
            if limit is not None and self.salary[year] > limit:
                high = year
                break
        self.first_high_year = high
        self._complete: dict[int, bool] = {}

    def had_high_salary_by(self, year: int) -> bool:
        """A salary above 7.5 IBB in some year up to ``year`` [S26][S1]."""
        return self.first_high_year is not None and self.first_high_year <= year

    def complete_year(self, year: int) -> bool:
        """One employment covered the whole calendar year."""
        found = self._complete.get(year)
        if found is None:
            first, last = date(year, 1, 1), date(year, 12, 31)
            found = any(j.start <= first and (j.end is None or j.end >= last) for j in self.history.employments)
            self._complete[year] = found
        return found

    def employed_during_year(self, year: int) -> bool:
        lo, hi = year * 12, year * 12 + 11
        return any(a <= hi and b >= lo for a, b in self.spells)

    def counted_months(self, lo: int, hi: int, now: int, min_spell: int) -> tuple[int, bool]:
        """Employment months between month indexes lo..hi; True if a short spell was left out."""
        total = 0
        dropped = False
        for a, b in self.spells:
            if b - a + 1 < min_spell and b < now:
                dropped = True
                continue
            if a < lo:
                a = lo
            if b > hi:
                b = hi
            if b >= a:
                total += b - a + 1
        return total, dropped

    def time_window(self, start_age: int, normal_age: int) -> tuple[int, int]:
        """Month indexes: the month after the 28-year month, the month before the 65-year month."""
        birth = self.history.birth_date
        return (birth.year + start_age) * 12 + birth.month, (birth.year + normal_age) * 12 + birth.month - 2


@dataclass(frozen=True, slots=True)
class PUResult:
    amount: int  # öre
    counted: tuple[int, ...]
    indexed: dict[int, int]  # öre
    case: str  # "best_five" | "short_history" | "short_history_no_complete" | "fallback" | "none"
    divisor: int


def pu_core(person: Prepared, year: int, fallback: str) -> PUResult:
    """Five best of the first seven of the last nine, PBB-indexed to ``year`` (see pensionsunderlag)."""
    pt = pbb_int(year)
    salary = person.salary
    indexed: dict[int, int] = {}
    for y in range(year - 8, year - 1):
        s = salary.get(y)
        if s:
            pi = pbb_int(y)
            indexed[y] = (2 * s * pt + pi) // (2 * pi)
    n = len(indexed)
    if n >= 5:
        best = sorted(indexed, key=lambda y: (indexed[y], y), reverse=True)[:5]
        counted = tuple(sorted(best))
        total = sum(indexed[y] for y in counted)
        return PUResult((2 * total + 5) // 10, counted, indexed, "best_five", 5)
    if n:
        years = sorted(indexed)
        complete = [y for y in years if person.complete_year(y)] if person.history.employments else []
        counted = tuple(complete or years)
        total = sum(indexed[y] for y in counted)
        d = len(counted)
        return PUResult(
            (2 * total + d) // (2 * d), counted, indexed, "short_history" if complete else "short_history_no_complete", d
        )
    if fallback == "latest_year":
        for y in (year - 1, year):
            s = salary.get(y)
            if s:
                pi = pbb_int(y)
                indexed[y] = (2 * s * pt + pi) // (2 * pi)
        if indexed:
            best_year = max(indexed, key=lambda y: (indexed[y], y))
            return PUResult(indexed[best_year], (best_year,), indexed, "fallback", 1)
    return PUResult(0, (), indexed, "none", 1)


def band_micro(pu_ore: int, yc: YearConstants, lower: int, upper: int) -> tuple[int, int, int]:
    """(L1 x lower band part + L2 x upper band part) in micro-kronor, and the two parts in öre."""
    mid = pu_ore if pu_ore < yc.band else yc.band
    lower_part = mid - yc.threshold if mid > yc.threshold else 0
    top = pu_ore if pu_ore < yc.ceiling else yc.ceiling
    upper_part = top - yc.band if top > yc.band else 0
    return lower * lower_part + upper * upper_part, lower_part, upper_part
