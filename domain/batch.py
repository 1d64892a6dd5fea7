"""The population path: entitlements, eligibility and the comparison for many people at once.

The per-person path (``entitlements``, ``eligibility_2023``, ``compare``) builds a full explanation
for every figure; a region's 140 000 employees need only the figures. ``evaluate_many`` computes
the same figures with the same arithmetic, in the same order of Decimal operations, but

- reads every parameter once per population (``PopulationTables``), not per person and year;
- computes each person's livränta history once and shares it between the entitlements, the
  eligibility's livränta test and the AKAP-KR IPR 2022;
- skips a pensionsunderlag that cannot change the result (no year with a salary above 7.5 IBB
  yet: the FÅP/livränta condition fails whatever the PU is, RIPS 07 [S26]);
- builds no explanations.

It mirrors domain-core's rules in ``pensionsunderlag``, ``benefit``, ``fap``, ``livranta``,
``entitlements`` and ``eligibility``; rare branches (short history, hourly paid without a
full-time amount, a missing parameter) take the per-person path for that person. ``tests/domain/test_batch.py``
and ``bench/domain.py`` check that both paths give identical ``Summary`` values: when a rule
changes in domain-core, change it here too or those checks fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.benefit import benefit_levels
from domain.campaign import choice_campaign
from domain.comparison import (
    IPR_2022_YEAR,
    Comparison,
    ComparisonAssumptions,
    annuity_factor,
    capital_at,
    compare,
    default_assumptions,
)
from domain.contributions import AKAPKR_FROM
from domain.eligibility import ACCRUAL_COMBINATION, Eligibility, eligibility_2023
from domain.entitlements import Entitlements, calculation_point, entitlements
from domain.model import PersonHistory
from domain.money import monthly, round_krona, round_ore
from domain.parameters import MissingParameter, forhojt_pbb, ibb, parameter, pbb
from domain.pensionsunderlag import BEST_YEARS, FIRST_YEARS, WINDOW_YEARS
from domain.projection import path_contributions, salary_path

_ZERO = Decimal(0)
_ONE = Decimal(1)

PartFigures = tuple[tuple[str, Decimal, Decimal], ...]  # (code, yearly, monthly)


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures of one person that both paths must agree on."""

    eligible: bool
    rules: tuple[bool, ...]  # passed, in eligibility.RULE_CODES order
    pensionsunderlag: Decimal
    fap_at_65: Decimal
    intjanad_livranta: Decimal
    livranta: Decimal
    ipr_1997: Decimal
    dc_contributions: Decimal  # sum of the KAP-KL DC contributions up to the calculation year
    stay: PartFigures
    move: PartFigures
    difference_monthly: Decimal


def _parts(side) -> PartFigures:
    return tuple((p.code, p.yearly, p.monthly) for p in side.parts)


def summarise(rights: Entitlements, eligibility: Eligibility, comparison: Comparison) -> Summary:
    """The ``Summary`` of the per-person path's results."""
    return Summary(
        eligible=eligibility.eligible,
        rules=tuple(r.passed for r in eligibility.rules),
        pensionsunderlag=rights.pensionsunderlag.amount,
        fap_at_65=rights.fap_at_65.amount,
        intjanad_livranta=rights.intjanad_livranta.amount,
        livranta=rights.livranta.amount,
        ipr_1997=rights.ipr_1997.amount,
        dc_contributions=sum((c.amount for c in rights.dc_contributions), _ZERO),
        stay=_parts(comparison.stay),
        move=_parts(comparison.move),
        difference_monthly=comparison.difference_monthly,
    )


def evaluate_person(history: PersonHistory, at: date, assumptions: ComparisonAssumptions) -> Summary:
    """The per-person path: full results with explanations, summarised."""
    rights = entitlements(history, at)
    return summarise(rights, eligibility_2023(history), compare(history, assumptions, at, rights=rights))


class _Fallback(Exception):  # noqa: N818 - control flow, not an error
    """This person needs a branch the population path does not mirror: use the per-person path."""


class PopulationTables:
    """Every parameter value the population path needs, read once for a date."""

    def __init__(self, at: date, assumptions: ComparisonAssumptions, last_year: int | None = None):
        self.at = at
        self.assumptions = assumptions
        self.year = calculation_point(at).year
        self.base_year = at.year
        last = max(self.year, self.base_year, IPR_2022_YEAR) if last_year is None else last_year
        self.pbb = {y: pbb(y).value for y in range(1990, last + 1)}
        self.ibb = {y: ibb(y).value for y in range(2001, last + 1)}
        # had_salary_above_threshold: 7.5 IBB (förhöjt PBB before 2001) of each year (fap.py).
        self.above: dict[int, Decimal] = {}
        for y in range(1990, last + 1):
            try:
                base = self.ibb[y] if y >= 2001 else forhojt_pbb(y).value
                threshold = parameter("kapkl_fap_threshold_ibb", date(max(y, 2006), 1, 1)).value
            except LookupError:
                continue
            self.above[y] = threshold * base
        # FÅP bands per year (fap.threshold_uses at 31 December).
        self.bands: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
        for y in range(2006, last + 1):
            end = date(y, 12, 31)
            b = self.ibb[y]
            self.bands[y] = (
                parameter("kapkl_fap_threshold_ibb", end).value * b,
                parameter("kapkl_fap_band_ibb", end).value * b,
                parameter("kapkl_pu_ceiling_ibb", end).value * b,
            )
        self.livranta_ratio = {y: max(_ONE, self.pbb[y] / self.pbb[y - 1]) for y in range(2007, last + 1)}
        point = date(self.year, 12, 31)
        self.start_age = int(parameter("kapkl_time_start_age", point).value)
        self.end_age = int(parameter("kapkl_normal_retirement_age", point).value)
        self.full = int(parameter("kapkl_full_time_months", point).value)
        self.min_spell = int(parameter("kapkl_time_min_spell_months", point).value)
        self.livranta_from = int(parameter("kapkl_calendar_livranta_from", date(2007, 12, 31)).value)
        self.il_from = int(parameter("kapkl_livranta_time_from", date(2006, 12, 31)).value)
        # IPR 1997 at a year's level (fap.ipr_indexed).
        self.ipr_factor: dict[int, Decimal | None] = {}
        for y in range(2006, last + 1):
            level = parameter("kapkl_ipr_value_level", date(y, 12, 31)).value
            self.ipr_factor[y] = None if level == "current" else self.pbb[y] / self.pbb[int(level)]
        # KAP-KL DC contributions (entitlements.dc_contribution_kapkl): (min age, rate, cap).
        self.dc: dict[int, tuple[int, Decimal, Decimal]] = {}
        for y in range(2006, self.year + 1):
            first = date(y, 1, 1)
            self.dc[y] = (
                int(parameter("kapkl_dc_min_age", first).value),
                parameter("kapkl_dc_rate", first).value,
                parameter("kapkl_dc_ceiling_ibb", first).value * self.ibb[y],
            )
        self.levels: dict[int, tuple[Decimal, Decimal]] = {}
        self.fallbacks: dict[int, str] = {}
        # The 2023 campaign.
        campaign = choice_campaign("2023")
        self.campaign = campaign
        self.pu_threshold_2022 = campaign.pu_threshold_ibb * ibb(campaign.pu_at.year).value
        self.monthly_threshold = monthly(campaign.pu_threshold_ibb * ibb(campaign.salary_test_at.year).value)
        # The comparison (comparison.compare).
        self.normal_age = int(parameter("kapkl_normal_retirement_age", at).value)
        self.early_rate = parameter("kapkl_early_withdrawal_reduction_per_month", at).value
        self.annuity = annuity_factor(assumptions.real_return, assumptions.payout_years)

    def pu_fallback(self, year: int) -> str:
        found = self.fallbacks.get(year)
        if found is None:
            found = self.fallbacks[year] = str(parameter("kapkl_pu_short_history_fallback", date(year, 12, 31)).value)
        return found

    def benefit_levels(self, birth_year: int) -> tuple[Decimal, Decimal]:
        found = self.levels.get(birth_year)
        if found is None:
            levels = benefit_levels(birth_year)
            found = self.levels[birth_year] = (levels.lower, levels.upper)
        return found


def _spells(history: PersonHistory) -> list[tuple[int, int]]:
    """As benefit._spells: employments as merged (first month, last month) spells."""
    ranges = sorted(
        (job.start.year * 12 + job.start.month - 1, job.end.year * 12 + job.end.month - 1 if job.end else 10**9)
        for job in history.employments
    )
    merged: list[list[int]] = []
    for first, last in ranges:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]


class _Person:
    """One person's shared intermediate values on the population path."""

    __slots__ = ("history", "t", "salaries", "spells", "first_above", "lower", "upper", "first", "last", "pus")

    def __init__(self, history: PersonHistory, t: PopulationTables):
        self.history = history
        self.t = t
        self.salaries = {s.year: s.amount for s in history.salaries}
        self.spells = _spells(history)
        first_above = None
        for record in history.salaries:
            threshold = t.above.get(record.year)
            if threshold is not None and record.amount > threshold and (
                first_above is None or record.year < first_above
            ):
                first_above = record.year
        self.first_above = first_above
        self.lower, self.upper = t.benefit_levels(history.birth_year)
        birth = history.birth_date
        self.first = (birth.year + t.start_age) * 12 + birth.month
        self.last = (birth.year + t.end_age) * 12 + birth.month - 2
        self.pus: dict[int, Decimal] = {}

    def had_above(self, year: int) -> bool:
        return self.first_above is not None and self.first_above <= year

    def pu(self, year: int) -> Decimal:
        """pensionsunderlag(history, year).amount, computed once per year."""
        found = self.pus.get(year)
        if found is None:
            found = self.pus[year] = self._pu(year)
        return found

    def _pu(self, year: int) -> Decimal:
        """pensionsunderlag(history, year).amount, with the same branches and arithmetic."""
        pbb_ = self.t.pbb
        target = pbb_[year]
        indexed = []
        salaries = self.salaries
        start = year - WINDOW_YEARS + 1
        for y in range(start, start + FIRST_YEARS):
            salary = salaries.get(y)
            if salary is not None and salary > _ZERO:
                indexed.append((round_ore(salary * target / pbb_[y]), y))
        if len(indexed) >= BEST_YEARS:
            indexed.sort(reverse=True)
            return round_ore(sum((v for v, _ in indexed[:BEST_YEARS]), _ZERO) / BEST_YEARS)
        if indexed:
            # Short history: the complete calendar years employed, or all years with salary.
            complete = [(v, y) for v, y in indexed if self.complete_year(y)] if self.history.employments else []
            counted = complete or indexed
            return round_ore(sum((v for v, _ in counted), _ZERO) / len(counted))
        if self.t.pu_fallback(year) != "latest_year":
            return _ZERO
        for y in (year - 1, year):
            salary = salaries.get(y)
            if salary is not None and salary > _ZERO:
                indexed.append((round_ore(salary * target / pbb_[y]), y))
        return round_ore(max(indexed)[0] / 1) if indexed else _ZERO

    def complete_year(self, year: int) -> bool:
        first, last = date(year, 1, 1), date(year, 12, 31)
        return any(j.start <= first and (j.end is None or j.end >= last) for j in self.history.employments)

    def counted_months(self, lo: int, hi: int, now: int) -> int:
        total = 0
        min_spell = self.t.min_spell
        for spell_first, spell_last in self.spells:
            if spell_last - spell_first + 1 < min_spell and spell_last < now:
                continue
            a, b = max(spell_first, lo), min(spell_last, hi)
            if b >= a:
                total += b - a + 1
        return total

    def employed_during(self, first: date, last: date) -> bool:
        for j in self.history.employments:
            if j.start <= last and (j.end is None or j.end >= first):
                return True
        return False

    def gross(self, pu: Decimal, year: int) -> Decimal:
        lo, mid, hi = self.t.bands[year]
        return self.lower * max(_ZERO, min(pu, mid) - lo) + self.upper * max(_ZERO, min(pu, hi) - mid)

    def ipr(self, year: int) -> tuple[Decimal, Decimal]:
        history = self.history
        if not history.ipr_1997 and not history.ipr_1997_above_ceiling:
            return _ZERO, _ZERO
        factor = self.t.ipr_factor[year]
        if factor is None:
            return history.ipr_1997, history.ipr_1997_above_ceiling
        return round_krona(history.ipr_1997 * factor), round_krona(history.ipr_1997_above_ceiling * factor)

    def index_il(self, il_2006: Decimal, year: int) -> Decimal:
        if not il_2006 or year == 2006:
            return il_2006
        return round_krona(il_2006 * self.t.pbb[year] / self.t.pbb[2006])

    def intjanad_livranta(self) -> Decimal:
        """livranta.intjanad_livranta(...).amount."""
        if not self.employed_during(date(2006, 1, 1), date(2006, 12, 31)):
            return _ZERO
        now = 2006 * 12 + 11
        months = self.counted_months(max(self.first, self.il_from_month), min(self.last, now), now)
        if not self.had_above(2006):
            return _ZERO  # the condition fails whatever the PU (fap.had_salary_above_threshold)
        pu = self.pu(2006)
        if not pu > self.t.bands[2006][0]:
            return _ZERO
        return round_krona(Decimal(months) / Decimal(self.t.full) * self.gross(pu, 2006))

    @property
    def il_from_month(self) -> int:
        return self.t.il_from * 12

    def livranta_by_year(self, il_2006: Decimal, up_to: int) -> dict[int, Decimal]:
        """livranta.calendar_year_livranta(...).by_year."""
        t = self.t
        by_year: dict[int, Decimal] = {}
        previous = _ZERO
        birth_year = self.history.birth_year
        start_month = t.livranta_from * 12
        full = Decimal(t.full)
        for year in range(t.livranta_from, up_to + 1):
            indexed_previous = round_krona(previous * t.livranta_ratio[year]) if previous else _ZERO
            active = (
                self.employed_during(date(year, 1, 1), date(year, 12, 31)) and (year - birth_year) < t.end_age
            )
            if not active or not self.had_above(year):
                # Not active: last year's value carried forward. Active without any year above
                # 7.5 IBB: the condition fails, new = 0, so the same value is kept.
                amount = indexed_previous
            else:
                pu = self.pu(year)
                if not pu > t.bands[year][0]:
                    amount = indexed_previous
                else:
                    year_month = year * 12 + 11
                    since_2007 = self.counted_months(max(self.first, start_month), min(self.last, year_month),
                                                     year_month)
                    earned_all = self.counted_months(self.first, min(self.last, year_month), year_month)
                    remaining = max(0, self.last - max(year_month + 1, self.first) + 1)
                    credited = min(earned_all + remaining, t.full)
                    _, ipr_above = self.ipr(year)
                    il_t = self.index_il(il_2006, year)
                    fap_65 = max(_ZERO, Decimal(credited) / full * self.gross(pu, year) - ipr_above)
                    denominator = since_2007 + remaining
                    new = (
                        round_krona(Decimal(since_2007) / Decimal(denominator) * max(_ZERO, fap_65 - il_t))
                        if denominator
                        else _ZERO
                    )
                    amount = max(new, indexed_previous)
            by_year[year] = amount
            previous = amount
        return by_year

    def time_factor(self, point: date) -> tuple[int, int]:
        """(earned months, credited months) of benefit.time_factor at ``point``."""
        now = point.year * 12 + point.month - 1
        earned = 0
        ongoing = False
        for spell_first, spell_last in self.spells:
            if spell_last - spell_first + 1 < self.t.min_spell and spell_last < now:
                continue
            lo, hi = max(spell_first, self.first), min(spell_last, self.last, now)
            if hi >= lo:
                earned += hi - lo + 1
            if spell_first <= now <= spell_last:
                ongoing = True
        future = max(0, self.last - max(now + 1, self.first) + 1) if ongoing else 0
        earned = min(earned, self.t.full)
        return earned, min(earned + future, self.t.full)

    def fap(self, pu: Decimal, year: int, factor: Decimal) -> Decimal:
        """fap.fap_yearly(...).amount."""
        if not (pu > self.t.bands[year][0] and self.had_above(year)):
            return _ZERO
        _, ipr_above = self.ipr(year)
        return round_krona(max(_ZERO, factor * self.gross(pu, year) - ipr_above))


def _eligibility(p: _Person, il_2006: Decimal, by_year: dict[int, Decimal]) -> tuple[bool, tuple[bool, ...]]:
    """eligibility.eligibility_2023(history) as (eligible, rule outcomes)."""
    t, history = p.t, p.history
    campaign = t.campaign
    born = history.birth_year
    r1 = campaign.born_from <= born <= campaign.born_to
    r2 = p.pu(campaign.pu_at.year) > t.pu_threshold_2022
    test_day = campaign.salary_test_at
    active = [j for j in history.employments if j.start <= test_day and (j.end is None or j.end >= test_day)]
    hourly = bool(active) and all(j.pay_type == "hourly" for j in active)
    if hourly:
        record = history.salary_by_year.get(test_day.year)
        full_time = record.full_time_amount if record else None
        tested = (full_time / Decimal(12)) if full_time is not None else None
    else:
        tested = history.fixed_monthly_salary_2022_12_31
    salary_passed = tested is not None and tested > t.monthly_threshold
    if salary_passed:
        r3 = True
    else:
        latest = by_year.get(test_day.year, _ZERO) if test_day.year >= t.livranta_from else _ZERO
        r3 = il_2006 + latest > _ZERO
    r4 = p.employed_during(campaign.employed_from, campaign.pu_at) and p.employed_during(
        date(campaign.pu_at.year + 1, 1, 1), campaign.employed_to
    )
    by = campaign.pension_granted_by
    granted = history.pension_granted_on is not None and history.pension_granted_on <= by
    r5 = not granted and not history.sap_granted and not history.fap_in_payment
    r6 = not any(
        lv.kind in ("sickness_compensation", "activity_compensation")
        and lv.start <= campaign.employed_to
        and (lv.end is None or lv.end >= campaign.salary_test_at)
        for lv in history.leaves
    )
    accrual = (r2 or r3) if ACCRUAL_COMBINATION == "any" else (r2 and r3)
    return accrual and r1 and r4 and r5 and r6, (r1, r2, r3, r4, r5, r6)


def _part(code: str, yearly: Decimal) -> tuple[str, Decimal, Decimal]:
    yearly = round_krona(yearly)
    return code, yearly, monthly(yearly)


def _at_level(t: PopulationTables, amount: Decimal, from_year: int, to_year: int) -> Decimal:
    if from_year == to_year or not amount:
        return amount
    return amount * max(_ONE, t.pbb[to_year] / t.pbb[from_year])


def _evaluate(history: PersonHistory, t: PopulationTables) -> Summary:
    p = _Person(history, t)
    year = t.year
    point = date(year, 12, 31)
    pu = p.pu(year)
    earned, credited = p.time_factor(point)
    full_factor = Decimal(credited) / Decimal(t.full)
    fap_at_65 = p.fap(pu, year, full_factor)
    il_2006 = p.intjanad_livranta()
    il_now = p.index_il(il_2006, year)
    by_year = p.livranta_by_year(il_2006, max(year, IPR_2022_YEAR))
    livranta = by_year.get(year, _ZERO) if year >= t.livranta_from else _ZERO
    ipr, _ = p.ipr(year)
    dc: list[tuple[int, int, Decimal]] = []
    for record in history.salaries:
        limits = t.dc.get(record.year)
        if record.year > year or limits is None:
            continue
        min_age, rate, cap = limits
        if record.amount <= _ZERO or record.year - history.birth_year < min_age:
            continue
        dc.append((record.year, record.year, round_ore(rate * min(record.amount, cap))))
    eligible, rules = _eligibility(p, il_2006, by_year)

    # The comparison (comparison.compare).
    a = t.assumptions
    age = a.retirement_age
    base_year = t.base_year
    retirement_year = history.birth_year + age
    early = _ONE - t.early_rate * max(0, (t.normal_age - age) * 12)
    path = salary_path(history, year, age, a.real_salary_growth)
    paid = path_contributions(history, path, base_year)
    growth = (_ONE + a.real_salary_growth) ** max(0, history.birth_year + min(age, 65) - base_year)
    projected = round_krona(_at_level(t, pu, year, base_year) * max(_ONE, growth))
    fap = p.fap(projected, base_year, full_factor)
    if fap:
        stay = [_part("fap", fap * early)]
    else:
        stay = [
            _part("intjanad_livranta", round_krona(_at_level(t, il_now, year, base_year)) * early),
            _part("livranta", round_krona(_at_level(t, livranta, year, base_year)) * early),
        ]
    ipr_part = _part("ipr_1997", round_krona(_at_level(t, ipr, year, base_year)) * early)
    before_2023 = tuple(c for c in dc if c[0] < AKAPKR_FROM.year)
    stay_dc = capital_at(before_2023 + paid.kapkl_dc, retirement_year, a.real_return)
    stay = (*stay, ipr_part, _part("kapkl_dc", stay_dc * t.annuity))
    ipr_2022 = p.index_il(il_2006, IPR_2022_YEAR) + by_year[IPR_2022_YEAR]
    target_year = max(base_year, IPR_2022_YEAR)
    indexed = round_krona(ipr_2022 * t.ibb[target_year] / t.ibb[IPR_2022_YEAR])
    move = (
        _part("akapkr_ipr_2022", indexed * early),
        ipr_part,
        _part("kapkl_dc", capital_at(before_2023, retirement_year, a.real_return) * t.annuity),
        _part("akapkr_dc", capital_at(paid.akapkr_dc, retirement_year, a.real_return) * t.annuity),
        _part("supplementary", capital_at(paid.supplementary, retirement_year, a.real_return) * t.annuity),
    )
    return Summary(
        eligible=eligible,
        rules=rules,
        pensionsunderlag=pu,
        fap_at_65=fap_at_65,
        intjanad_livranta=il_now,
        livranta=livranta,
        ipr_1997=ipr,
        dc_contributions=sum((c[2] for c in dc), _ZERO),
        stay=stay,
        move=move,
        difference_monthly=sum((m for _, _, m in move), _ZERO) - sum((m for _, _, m in stay), _ZERO),
    )


def evaluate_many(
    histories: Iterable[PersonHistory], at: date, assumptions: ComparisonAssumptions | None = None
) -> list[Summary]:
    """Entitlements, eligibility for the 2023 choice and the comparison at one retirement age for
    a population, as ``Summary`` figures identical to the per-person path's (``evaluate_person``)."""
    if assumptions is None:
        assumptions = default_assumptions(at)
    tables = PopulationTables(at, assumptions)
    results = []
    for history in histories:
        try:
            results.append(_evaluate(history, tables))
        except (_Fallback, MissingParameter, KeyError):
            results.append(evaluate_person(history, at, assumptions))
    return results
