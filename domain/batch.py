"""The population path: entitlements, eligibility and the comparison for many people at once.

The per-person path (``entitlements``, ``eligibility_2023``, ``compare``) builds a full explanation
for every figure; a region's 140 000 employees need only the figures. ``evaluate_many`` computes
the same figures with the same arithmetic but

- reads the parameters once per population (``PopulationTables``, and the caches of the kernel,
  ``projection.year_table`` and ``comparison_numbers.at_constants``);
- runs each person's livränta loop once and shares it between the entitlements, the eligibility's
  livränta test and the AKAP-KR IPR 2022, and the pensionsunderlag of the calculation year between
  the entitlements and the eligibility;
- builds no explanations.

The KAP-KL figures come from domain-core's numbers-only path (``figures.entitlement_figures``, on
the arithmetic kernel that the per-person rules compute through); the comparison calls the same
``comparison_numbers`` as ``compare``; ``_eligibility`` repeats ``eligibility_2023``'s decisions on
the shared numbers (the one mirrored piece). ``tests/domain/test_batch.py`` and ``bench/domain.py``
check that both paths give identical ``Summary`` values. A person for whom a parameter is missing
takes the per-person path (which then raises the clear error).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.benefit import BenefitLevels, benefit_levels
from domain.campaign import choice_campaign
from domain.comparison import Comparison, ComparisonAssumptions, compare, default_assumptions
from domain.comparison_numbers import IPR_2022_YEAR, KapklInputs, comparison_numbers, dc_before_2023
from domain.eligibility import ACCRUAL_COMBINATION, Eligibility, _employed_between, eligibility_2023
from domain.entitlements import Entitlements, calculation_point, entitlements
from domain.figures import entitlement_figures
from domain.kernel import (
    Prepared,
    ore_to_decimal,
    pu_core,
    year_constants,
)
from domain.livranta import livranta_kernel
from domain.model import PersonHistory
from domain.money import monthly
from domain.parameters import MissingParameter, ibb, parameter

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

    def benefit_levels(self, birth_year: int) -> BenefitLevels:
        found = self.levels.get(birth_year)
        if found is None:
            found = self.levels[birth_year] = benefit_levels(birth_year)
        return found


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
    eligible, rules = _eligibility(person, t, levels, il_2006, by_year, pu)

    # The comparison: the numbers ``compare`` builds its parts from.
    a = t.assumptions
    n = comparison_numbers(
        history, person,
        KapklInputs(
            calculation_year=year,
            pensionsunderlag=pu,
            credited_months=credited,
            full_months=full,
            intjanad_livranta_2006=il_2006,
            intjanad_livranta=il_now,
            livranta=livranta,
            livranta_2022=by_year[IPR_2022_YEAR],
            ipr_1997=ipr,
            dc_before_2023=dc_before_2023(rights.dc_by_year),
        ),
        levels, a.retirement_age, a.real_salary_growth, a.real_return, a.payout_years, t.at,
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
        stay=n.stay,
        move=n.move,
        difference_monthly=n.difference_monthly,
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
