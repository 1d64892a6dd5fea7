"""The salary path and the contributions of both sides of the comparison, from 2023 to retirement.

One ``SalaryPath`` feeds both sides, so "stay" and "move" always use the same inputs. Yearly
parameter values come from ``year_table`` (cached per year and base year: the comparison asks
for the same few values for every person, so a population shares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from domain.contributions import (
    AKAPKR_FROM,
    H1,
    H2,
    akapkr_amount,
    past_las_age,
    salary_months,
    split_by_months,
    supplementary_amount,
    supplementary_months,
    supplementary_rates_at,
)
from domain.model import PersonHistory
from domain.money import round_ore
from domain.parameters import ibb, parameter

ZERO = Decimal(0)
ALL_MONTHS = tuple(range(1, 13))


@dataclass(frozen=True, slots=True)
class YearTable:
    """Parameter values of one calendar year as the comparison uses them (kronor and rates)."""

    year: int
    ibb: Decimal
    akap_breakpoint: Decimal  # 3.75 IBB per half-year (KPA [S30])
    akap_ceiling: Decimal  # 15 IBB per half-year
    akap_small_limit: Decimal  # 0.75 % of IBB (Skandikon [S31])
    akap_rate_below: Decimal
    akap_rate_above: Decimal
    kapkl_dc_rate: Decimal  # 4.5 % (Valcentralen [S2])
    kapkl_dc_ceiling: Decimal  # 30 IBB a year
    supplementary_until_age: int  # 65 (SKR Q&A [S3])


@lru_cache(maxsize=512)
def year_table(year: int, base_year: int) -> YearTable:
    """The values for ``year``; base amounts of a year after ``base_year`` are held at the
    ``base_year`` value (the comparison works in today's money)."""
    at = date(year, 1, 1)
    ibb_value = Decimal(ibb(min(year, base_year)).value)
    # AKAP-KR's rates from 2023 for every projected year; earlier years keep their own rates.
    rate_at = max(at, AKAPKR_FROM)
    return YearTable(
        year=year,
        ibb=ibb_value,
        akap_breakpoint=ibb_value * Decimal(parameter("akap_half_year_breakpoint_ibb", rate_at).value),
        akap_ceiling=ibb_value * Decimal(parameter("akap_half_year_ceiling_ibb", rate_at).value),
        akap_small_limit=round_ore(ibb_value * Decimal(parameter("akap_small_amount_ibb", rate_at).value)),
        akap_rate_below=Decimal(parameter("akap_rate_below", rate_at).value),
        akap_rate_above=Decimal(parameter("akap_rate_above", rate_at).value),
        kapkl_dc_rate=Decimal(parameter("kapkl_dc_rate", at).value),
        kapkl_dc_ceiling=ibb_value * Decimal(parameter("kapkl_dc_ceiling_ibb", at).value),
        supplementary_until_age=int(parameter("tillaggsavgift_until_age", rate_at).value),
    )


@lru_cache(maxsize=256)
def supplementary_rate_values(birth_year: int) -> tuple[Decimal, Decimal, bool]:
    """(rate below, rate above, used the unconfirmed table) for a birth year (see contributions)."""
    rates = supplementary_rates_at(birth_year, AKAPKR_FROM)
    if rates is None:
        return ZERO, ZERO, False
    return Decimal(rates[0].value), Decimal(rates[1].value), True


@dataclass(frozen=True, slots=True)
class PathYear:
    """One year of the salary path: the year's salary spread over ``months``, of which ``worked``
    are worked (up to the birthday month in the retirement year)."""

    year: int
    salary: Decimal
    months: tuple[int, ...]
    worked: frozenset[int]
    projected: bool


@dataclass(frozen=True, slots=True)
class SalaryPath:
    years: tuple[PathYear, ...]
    last_known_year: int | None
    last_known_salary: Decimal
    retirement_year: int


def salary_path(
    history: PersonHistory, at: date, retirement_age: int, real_salary_growth: Decimal, first_year: int = 2023
) -> SalaryPath:
    """Salaries from ``first_year`` to the retirement year: known salaries of the years before the
    year of ``at``; later years grow from the last known salary by ``real_salary_growth`` a year."""
    retirement_year = history.birth_year + retirement_age
    known = [s for s in history.salaries if s.year < at.year]
    last = max(known, key=lambda s: s.year) if known else None
    last_year = last.year if last else None
    last_salary = last.amount if last else ZERO
    growth = 1 + real_salary_growth
    worked_last = frozenset(range(1, history.birth_date.month + 1))
    years = []
    for year in range(first_year, retirement_year + 1):
        if year < at.year:
            salary = history.salary(year)
            months = salary_months(history, year) if salary else ALL_MONTHS
            projected = False
        else:
            salary = round_ore(last_salary * growth ** (year - last_year)) if last_year else ZERO
            months = ALL_MONTHS
            projected = True
        worked = worked_last if year == retirement_year else frozenset(months)
        years.append(PathYear(year, salary, months, worked, projected))
    return SalaryPath(tuple(years), last_year, last_salary, retirement_year)


@dataclass(frozen=True, slots=True)
class PathContributions:
    """Contributions per year from the salary path, for both sides (kronor, öre)."""

    kapkl_dc: dict[int, Decimal]  # staying: KAP-KL avgiftsbestämd ålderspension
    akapkr_dc: dict[int, Decimal]  # moving: AKAP-KR pensionsavgift (paid in; excludes paid-as-salary)
    supplementary: dict[int, Decimal]  # moving: tilläggsavgift until 65
    supplementary_unconfirmed: bool


def path_contributions(history: PersonHistory, path: SalaryPath, base_year: int) -> PathContributions:
    """Both sides' contributions year by year, with the same rules as ``kapkl_dc_amount``,
    ``contributions.akapkr_amount`` and ``contributions.supplementary_amount`` (so a known year gives
    exactly what ``akapkr_contributions`` gives)."""
    kapkl: dict[int, Decimal] = {}
    akap: dict[int, Decimal] = {}
    supp: dict[int, Decimal] = {}
    rate_below_s, rate_above_s, unconfirmed = supplementary_rate_values(history.birth_year)
    birth = history.birth_date
    for py in path.years:
        table = year_table(py.year, base_year)
        year_salary = split_by_months(py.salary, py.months, py.worked)
        kapkl[py.year] = kapkl_dc_amount(year_salary, table)
        supp_months = supplementary_months(birth, py.year, table.supplementary_until_age)
        akap_total = ZERO
        supp_total = ZERO
        for half_months, half_start in ((H1, date(py.year, 1, 1)), (H2, date(py.year, 7, 1))):
            worked_half = half_months & py.worked
            half_salary = split_by_months(py.salary, py.months, worked_half)
            paid, _ = akapkr_amount(
                half_salary, table.akap_rate_below, table.akap_rate_above, table.akap_breakpoint,
                table.akap_ceiling, table.akap_small_limit, past_las_age(birth, half_start),
            )
            akap_total += paid
            if rate_below_s or rate_above_s:
                supp_salary = split_by_months(py.salary, py.months, worked_half & supp_months)
                supp_total += supplementary_amount(
                    supp_salary, rate_below_s, rate_above_s, table.akap_breakpoint, table.akap_ceiling
                )
        akap[py.year] = akap_total
        supp[py.year] = supp_total
    return PathContributions(kapkl, akap, supp, unconfirmed)


def kapkl_dc_amount(salary: Decimal, table: YearTable) -> Decimal:
    """KAP-KL avgiftsbestämd ålderspension: 4.5 % of the pensionable salary up to 30 IBB
    (Valcentralen [S2]; KPA [S4]), rounded to öre."""
    return round_ore(table.kapkl_dc_rate * min(salary, table.kapkl_dc_ceiling))
