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

The KAP-KL figures come from domain-core's numbers-only path (``figures.entitlement_figures``, on
the arithmetic kernel ``domain.kernel`` that the per-person rules compute through); the eligibility
and comparison steps repeat the per-person code's decisions on those numbers.
``tests/domain/test_batch.py`` and ``bench/domain.py`` check that both paths give identical
``Summary`` values: when a rule changes, change it here too or those checks fail. A person for
whom a parameter is missing takes the per-person path (which then raises the clear error).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.benefit import BenefitLevels, benefit_levels
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
from domain.eligibility import ACCRUAL_COMBINATION, Eligibility, _employed_between, eligibility_2023
from domain.entitlements import Entitlements, calculation_point, entitlements
from domain.fap import fap_micro, ipr_indexed
from domain.figures import entitlement_figures
from domain.kernel import (
    Prepared,
    band_micro,
    half_up,
    level_int,
    ore_to_decimal,
    pu_core,
    to_ore,
    year_constants,
)
from domain.livranta import index_il, livranta_kernel
from domain.model import PersonHistory
from domain.money import monthly, round_krona
from domain.parameters import MissingParameter, ibb, parameter, pbb
from domain.projection import path_contributions, salary_path

_ZERO = Decimal(0)
_ONE = Decimal(1)
_TWELVE = Decimal(12)

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


class PopulationTables:
    """Every parameter value the population path needs, read once for a date and assumptions."""

    def __init__(self, at: date, assumptions: ComparisonAssumptions):
        self.at = at
        self.assumptions = assumptions
        self.point = calculation_point(at)
        self.year = self.point.year
        self.base_year = at.year
        self.fallback = str(parameter("kapkl_pu_short_history_fallback", self.point).value)
        self.year_constants = year_constants(self.year)
        self.levels: dict[int, BenefitLevels] = {}
        campaign = choice_campaign("2023")
        self.campaign = campaign
        self.pu_year_2022 = campaign.pu_at.year
        self.pu_fallback_2022 = str(parameter("kapkl_pu_short_history_fallback", campaign.pu_at).value)
        self.pu_threshold_2022 = campaign.pu_threshold_ibb * ibb(campaign.pu_at.year).value
        self.monthly_threshold = monthly(campaign.pu_threshold_ibb * ibb(campaign.salary_test_at.year).value)
        self.normal_age = int(parameter("kapkl_normal_retirement_age", at).value)
        self.early_rate = parameter("kapkl_early_withdrawal_reduction_per_month", at).value
        self.annuity = annuity_factor(assumptions.real_return, assumptions.payout_years)
        self.pbb_base = pbb(self.base_year).value
        self.pbb_year = pbb(self.year).value
        self.ibb_ratio = (
            ibb(max(self.base_year, IPR_2022_YEAR)).value,
            ibb(IPR_2022_YEAR).value,
        )

    def benefit_levels(self, birth_year: int) -> BenefitLevels:
        found = self.levels.get(birth_year)
        if found is None:
            found = self.levels[birth_year] = benefit_levels(birth_year)
        return found


def _fap(person: Prepared, levels: BenefitLevels, pu_ore: int, year: int, credited: int, full: int) -> Decimal:
    """``fap.fap_yearly(...).amount`` from the kernel."""
    yc = year_constants(year)
    if not (pu_ore > yc.threshold and person.had_high_salary_by(year)):
        return _ZERO
    band, _, _ = band_micro(pu_ore, yc, level_int(levels.lower), level_int(levels.upper))
    _, ipr_above, _ = ipr_indexed(person.history, year)
    numerator, denominator = fap_micro(band, credited, full, ipr_above)
    return Decimal(half_up(numerator, denominator))


def _eligibility(person: Prepared, t: PopulationTables, levels: BenefitLevels, il_2006: Decimal,
                 by_year: dict[int, int], pu_now: Decimal | None = None) -> tuple[bool, tuple[bool, ...]]:
    """``eligibility.eligibility_2023(history)`` as (eligible, rule outcomes)."""
    history = person.history
    campaign = t.campaign
    born = history.birth_year
    r1 = campaign.born_from <= born <= campaign.born_to
    if pu_now is not None and t.year == t.pu_year_2022 and t.fallback == t.pu_fallback_2022:
        pu = pu_now  # the entitlements' PU is the same calculation
    else:
        pu = ore_to_decimal(pu_core(person, t.pu_year_2022, t.pu_fallback_2022).amount)
    r2 = pu > t.pu_threshold_2022
    test_day = campaign.salary_test_at
    active = [j for j in history.employments if j.start <= test_day and (j.end is None or j.end >= test_day)]
    hourly = bool(active) and all(j.pay_type == "hourly" for j in active)
    if hourly:
        record = history.salary_by_year.get(test_day.year)
        full_time = record.full_time_amount if record else None
        tested = (full_time / _TWELVE) if full_time is not None else None
    else:
        tested = history.fixed_monthly_salary_2022_12_31
    salary_passed = tested is not None and tested > t.monthly_threshold
    if salary_passed:
        r3 = True
    else:
        il = il_2006 if test_day.year >= 2006 else _ZERO
        latest = by_year.get(test_day.year, _ZERO)
        r3 = il + latest > _ZERO
    r4 = _employed_between(history, campaign.employed_from, campaign.pu_at) and _employed_between(
        history, date(campaign.pu_at.year + 1, 1, 1), campaign.employed_to
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


def _at_level(t: PopulationTables, amount: Decimal) -> Decimal:
    """``comparison._at_level`` from the calculation year to the base year."""
    if t.year == t.base_year or not amount:
        return amount
    return amount * max(_ONE, t.pbb_base / t.pbb_year)


def _evaluate(history: PersonHistory, t: PopulationTables) -> Summary:
    person = Prepared(history)
    year = t.year
    levels = t.benefit_levels(history.birth_year)
    rights = entitlement_figures(history, t.at, person)
    pu = rights.pensionsunderlag
    credited, full = rights.credited_months, t.year_constants.full_months
    il_2006, il_now, livranta, ipr = (
        rights.intjanad_livranta_2006, rights.intjanad_livranta, rights.livranta, rights.ipr_1997
    )
    by_year = rights.livranta_by_year
    if IPR_2022_YEAR not in by_year:  # a calculation year before 2022
        by_year = {y: Decimal(v) for y, v in livranta_kernel(person, levels, il_2006, IPR_2022_YEAR)[0].items()}
    dc = [(y, y, amount) for y, amount in rights.dc_by_year.items()]
    eligible, rules = _eligibility(person, t, levels, il_2006, by_year, pu)

    # The comparison (comparison.compare).
    a = t.assumptions
    age = a.retirement_age
    base_year = t.base_year
    retirement_year = history.birth_year + age
    early = _ONE - t.early_rate * max(0, (t.normal_age - age) * 12)
    path = salary_path(history, year, age, a.real_salary_growth)
    paid = path_contributions(history, path, base_year)
    growth = (_ONE + a.real_salary_growth) ** max(0, history.birth_year + min(age, 65) - base_year)
    projected = round_krona(_at_level(t, pu) * max(_ONE, growth))
    fap = _fap(person, levels, to_ore(projected), base_year, credited, full)
    if fap:
        stay: tuple = (_part("fap", fap * early),)
    else:
        stay = (
            _part("intjanad_livranta", round_krona(_at_level(t, il_now)) * early),
            _part("livranta", round_krona(_at_level(t, livranta)) * early),
        )
    ipr_part = _part("ipr_1997", round_krona(_at_level(t, ipr)) * early)
    before_2023 = tuple(c for c in dc if c[0] < AKAPKR_FROM.year)
    before = capital_at(before_2023, retirement_year, a.real_return)
    stay_dc = before + capital_at(paid.kapkl_dc, retirement_year, a.real_return)
    stay = (*stay, ipr_part, _part("kapkl_dc", stay_dc * t.annuity))
    ipr_2022 = index_il(il_2006, IPR_2022_YEAR)[0] + by_year[IPR_2022_YEAR]
    target, base = t.ibb_ratio
    indexed = round_krona(ipr_2022 * target / base)
    move = (
        _part("akapkr_ipr_2022", indexed * early),
        ipr_part,
        _part("kapkl_dc", before * t.annuity),
        _part("akapkr_dc", capital_at(paid.akapkr_dc, retirement_year, a.real_return) * t.annuity),
        _part("supplementary", capital_at(paid.supplementary, retirement_year, a.real_return) * t.annuity),
    )
    return Summary(
        eligible=eligible,
        rules=rules,
        pensionsunderlag=pu,
        fap_at_65=rights.fap_at_65,
        intjanad_livranta=il_now,
        livranta=livranta,
        ipr_1997=ipr,
        dc_contributions=sum(rights.dc_by_year.values(), _ZERO),
        stay=stay,
        move=move,
        difference_monthly=sum((m for _, _, m in move), _ZERO) - sum((m for _, _, m in stay), _ZERO),
    )


def iter_evaluate(
    histories: Iterable[PersonHistory], at: date, assumptions: ComparisonAssumptions | None = None
) -> Iterator[Summary]:
    """``evaluate_many`` one person at a time (a region's results need not all be held at once)."""
    if assumptions is None:
        assumptions = default_assumptions(at)
    tables = PopulationTables(at, assumptions)
    for history in histories:
        try:
            yield _evaluate(history, tables)
        except MissingParameter:
            yield evaluate_person(history, at, assumptions)  # raises the clear error if it must


def evaluate_many(
    histories: Iterable[PersonHistory], at: date, assumptions: ComparisonAssumptions | None = None
) -> list[Summary]:
    """Entitlements, eligibility for the 2023 choice and the comparison at one retirement age for
    a population, as ``Summary`` figures identical to the per-person path's (``evaluate_person``)."""
    return list(iter_evaluate(histories, at, assumptions))
