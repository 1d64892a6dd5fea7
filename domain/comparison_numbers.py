"""The numbers of the comparison, without explanations: one function that both ``compare`` (which
adds the explanations) and the population path (``batch``) call, so the two agree by construction.

Every reading and assumption is documented in ``domain.comparison``'s module docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from domain.benefit import BenefitLevels
from domain.contributions import AKAPKR_FROM
from domain.explanation import ParameterUse
from domain.fap import fap_micro, ipr_indexed
from domain.kernel import Prepared, band_micro, half_up, level_int, to_ore, year_constants
from domain.livranta import index_il
from domain.money import monthly, round_krona, round_ore
from domain.parameters import ibb, parameter, pbb
from domain.projection import PathContributions, Runs, SalaryPath, path_contributions, salary_path

ZERO = Decimal(0)
ONE = Decimal(1)
IPR_2022_YEAR = 2022  # the AKAP-KR IPR is fixed per 2022-12-31 (SKR Q&A [S3])

PartFigures = tuple[tuple[str, Decimal, Decimal], ...]  # (code, yearly, monthly)


@dataclass(frozen=True, slots=True)
class KapklInputs:
    """The KAP-KL figures the comparison builds on, from ``entitlements`` or ``entitlement_figures``
    at the same date (amounts at the calculation year's level)."""

    calculation_year: int
    pensionsunderlag: Decimal
    credited_months: int  # time to 65 credited (KPA [S1])
    full_months: int
    intjanad_livranta_2006: Decimal
    intjanad_livranta: Decimal
    livranta: Decimal
    livranta_2022: Decimal  # the calendar-year livränta at 2022-12-31
    ipr_1997: Decimal
    dc_before_2023: Runs  # KAP-KL DC contributions of the years before 2023, one run a year


@dataclass(frozen=True, slots=True)
class AtConstants:
    """What every comparison at one date with one set of assumptions shares."""

    base_year: int  # today's money: the base amounts of the year of ``at``
    normal_age: int
    early_rate: ParameterUse  # 0.4 % a month before 65 (RIPS 07 [S26])
    annuity: Decimal
    pbb_base: Decimal
    ibb_ipr_target: ParameterUse
    ibb_2022: ParameterUse


@lru_cache(maxsize=256)
def at_constants(at: date, real_return: Decimal, payout_years: int) -> AtConstants:
    target_year = max(at.year, IPR_2022_YEAR)
    return AtConstants(
        base_year=at.year,
        normal_age=int(parameter("kapkl_normal_retirement_age", at).value),
        early_rate=parameter("kapkl_early_withdrawal_reduction_per_month", at),
        annuity=annuity_factor(real_return, payout_years),
        pbb_base=pbb(at.year).value,
        ibb_ipr_target=ibb(target_year),
        ibb_2022=ibb(IPR_2022_YEAR),
    )


def annuity_factor(real_return: Decimal, years: int) -> Decimal:
    """Yearly payment per krona of capital over ``years`` at ``real_return`` (payments in arrears):
    r / (1 − (1 + r)^−n), or 1/n at r = 0."""
    if real_return == 0:
        return ONE / years
    return real_return / (ONE - (ONE + real_return) ** -years)


@lru_cache(maxsize=64)
def _power_sums(real_return: Decimal, length: int = 120) -> tuple[Decimal, ...]:
    """S[k] = sum of (1 + r)^j for j < k: the growth of one krona a year over a run of years."""
    growth = ONE + real_return
    sums = [ZERO]
    power = ONE
    for _ in range(length):
        sums.append(sums[-1] + power)
        power *= growth
    return tuple(sums)


def capital_at(runs: Runs, retirement_year: int, real_return: Decimal) -> Decimal:
    """Capital in the retirement year: each year's contribution grown by (1 + r)^(retirement year −
    year), for runs of years with the same contribution; years after retirement do not count."""
    sums = _power_sums(real_return)
    total = ZERO
    for first, last, amount in runs:
        if last > retirement_year:
            last = retirement_year
        if amount and first <= last:
            total += amount * (sums[retirement_year - first + 1] - sums[retirement_year - last])
    return round_ore(total)


def part_figures(code: str, yearly: Decimal) -> tuple[str, Decimal, Decimal]:
    yearly = round_krona(yearly)
    return code, yearly, monthly(yearly)


@dataclass(frozen=True, slots=True)
class ComparisonNumbers:
    retirement_year: int
    early: Decimal  # 1 − 0.4 % × months before 65
    path: SalaryPath
    paid: PathContributions
    growth: Decimal  # (1 + real salary growth)^years to min(age, 65)
    projected_pu: Decimal  # the PU at the retirement age, in today's money
    fap: Decimal  # FÅP at 65 on the projected PU with the time to 65 credited; 0 without a right
    ipr_above: Decimal  # IPR 1997 above the ceiling deducted in the FÅP (today's level)
    stay_benefits: tuple[tuple[str, Decimal], ...]  # (code, yearly amount before the reduction)
    ipr_1997: Decimal  # today's level, before the reduction
    ipr_2022: Decimal  # per 2022-12-31
    ipr_2022_indexed: Decimal  # × IBB(today) / IBB(2022)
    capital_before_2023: Decimal
    capital_kapkl_from_2023: Decimal
    capital_akapkr: Decimal
    capital_supplementary: Decimal
    constants: AtConstants
    stay: PartFigures
    move: PartFigures

    @property
    def difference_monthly(self) -> Decimal:
        return sum((m for _, _, m in self.move), ZERO) - sum((m for _, _, m in self.stay), ZERO)


def at_level(amount: Decimal, from_year: int, to_year: int, pbb_to: Decimal | None = None) -> Decimal:
    """A PBB-indexed amount of ``from_year`` at the price level of ``to_year`` (never lowered)."""
    if from_year == to_year or not amount:
        return amount
    return amount * max(ONE, (pbb_to if pbb_to is not None else pbb(to_year).value) / pbb(from_year).value)


def comparison_numbers(
    history, person: Prepared, kapkl: KapklInputs, levels: BenefitLevels, retirement_age: int,
    real_salary_growth: Decimal, real_return: Decimal, payout_years: int, at: date,
) -> ComparisonNumbers:
    """Both sides' yearly and monthly parts at ``retirement_age`` (see ``domain.comparison``)."""
    c = at_constants(at, real_return, payout_years)
    base_year = c.base_year
    year = kapkl.calculation_year
    retirement_year = history.birth_year + retirement_age
    early = ONE - c.early_rate.value * max(0, (c.normal_age - retirement_age) * 12)
    path = salary_path(history, year, retirement_age, real_salary_growth)
    paid = path_contributions(history, path, base_year)

    # Staying: the FÅP on the PU at the retirement age (at most 65), never below today's (KPA [S1]),
    # with the kernel's FÅP rule (RIPS 07 [S26]) at today's base amounts.
    growth = (ONE + real_salary_growth) ** max(0, history.birth_year + min(retirement_age, 65) - base_year)
    projected = round_krona(at_level(kapkl.pensionsunderlag, year, base_year, c.pbb_base) * max(ONE, growth))
    projected_ore = to_ore(projected)
    yc = year_constants(base_year)
    fap = ZERO
    ipr_above = ZERO
    if projected_ore > yc.threshold and person.had_high_salary_by(base_year):
        band, _, _ = band_micro(projected_ore, yc, level_int(levels.lower), level_int(levels.upper))
        _, ipr_above, _ = ipr_indexed(history, base_year)
        numerator, denominator = fap_micro(band, kapkl.credited_months, kapkl.full_months, ipr_above)
        fap = Decimal(half_up(numerator, denominator))
    if fap:
        stay_benefits: tuple[tuple[str, Decimal], ...] = (("fap", fap),)
    else:
        stay_benefits = (
            ("intjanad_livranta", round_krona(at_level(kapkl.intjanad_livranta, year, base_year, c.pbb_base))),
            ("livranta", round_krona(at_level(kapkl.livranta, year, base_year, c.pbb_base))),
        )
    ipr_1997 = round_krona(at_level(kapkl.ipr_1997, year, base_year, c.pbb_base))
    ipr_part = part_figures("ipr_1997", ipr_1997 * early)
    before = capital_at(kapkl.dc_before_2023, retirement_year, real_return)
    kapkl_after = capital_at(paid.kapkl_dc, retirement_year, real_return)
    stay = (
        *(part_figures(code, amount * early) for code, amount in stay_benefits),
        ipr_part,
        part_figures("kapkl_dc", (before + kapkl_after) * c.annuity),
    )

    # Moving: the IPR per 2022-12-31 indexed with IBB (SKR Q&A [S3]), AKAP-KR and tilläggsavgift.
    ipr_2022 = index_il(kapkl.intjanad_livranta_2006, IPR_2022_YEAR)[0] + kapkl.livranta_2022
    indexed = round_krona(ipr_2022 * Decimal(c.ibb_ipr_target.value) / Decimal(c.ibb_2022.value))
    akapkr = capital_at(paid.akapkr_dc, retirement_year, real_return)
    supplementary = capital_at(paid.supplementary, retirement_year, real_return)
    move = (
        part_figures("akapkr_ipr_2022", indexed * early),
        ipr_part,
        part_figures("kapkl_dc", before * c.annuity),
        part_figures("akapkr_dc", akapkr * c.annuity),
        part_figures("supplementary", supplementary * c.annuity),
    )
    return ComparisonNumbers(
        retirement_year=retirement_year,
        early=early,
        path=path,
        paid=paid,
        growth=growth,
        projected_pu=projected,
        fap=fap,
        ipr_above=ipr_above,
        stay_benefits=stay_benefits,
        ipr_1997=ipr_1997,
        ipr_2022=ipr_2022,
        ipr_2022_indexed=indexed,
        capital_before_2023=before,
        capital_kapkl_from_2023=kapkl_after,
        capital_akapkr=akapkr,
        capital_supplementary=supplementary,
        constants=c,
        stay=stay,
        move=move,
    )


def dc_before_2023(by_year: dict[int, Decimal]) -> Runs:
    """KAP-KL DC contributions ({year: amount}, in the register's order) of the years before 2023,
    one run a year."""
    limit = AKAPKR_FROM.year
    return tuple((year, year, amount) for year, amount in by_year.items() if year < limit)
