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
    LAS_AGE,
    akapkr_amount,
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
    """Parameter values of one calendar year as the comparison uses them (kronor and rates). Two
    years with the same values compare equal, so the projection computes such years once."""

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
    """A run of calendar years ``first``..``last`` with the same inputs: each year's salary is
    ``salary``, spread over ``months``, of which ``worked`` are worked (up to the birthday month
    in the retirement year)."""

    first: int
    last: int
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

    def salaries(self) -> tuple[tuple[int, Decimal], ...]:
        """(year, salary of the worked months) for every year of the path."""
        return tuple(
            (year, split_by_months(run.salary, run.months, run.worked))
            for run in self.years
            for year in range(run.first, run.last + 1)
        )


ALL = frozenset(ALL_MONTHS)


def salary_path(
    history: PersonHistory, known_until: int, retirement_age: int, real_salary_growth: Decimal,
    first_year: int = 2023,
) -> SalaryPath:
    """Salaries from ``first_year`` to the retirement year: the known salaries up to the year
    ``known_until`` (the entitlements' calculation year); later years grow from the last known
    salary by ``real_salary_growth`` a year (with no growth, the projected years form one run)."""
    retirement_year = history.birth_year + retirement_age
    last_year = None
    for record in history.salaries:
        if record.year <= known_until and (last_year is None or record.year > last_year):
            last_year, last_salary = record.year, record.amount
    if last_year is None:
        last_salary = ZERO
    base_salary = projection_base(history, last_year, last_salary)
    runs: list[PathYear] = []
    for year in range(first_year, min(known_until + 1, retirement_year + 1)):
        salary = history.salary(year)
        months = salary_months(history, year) if salary else ALL_MONTHS
        runs.append(PathYear(year, year, salary, months, frozenset(months), False))
    start = max(first_year, known_until + 1)
    if start < retirement_year:
        if real_salary_growth == 0 or last_year is None:
            runs.append(PathYear(start, retirement_year - 1, base_salary, ALL_MONTHS, ALL, True))
        else:
            growth = 1 + real_salary_growth
            for year in range(start, retirement_year):
                salary = round_ore(base_salary * growth ** (year - last_year))
                runs.append(PathYear(year, year, salary, ALL_MONTHS, ALL, True))
    if start <= retirement_year:
        salary = base_salary
        if last_year is not None and real_salary_growth != 0:
            salary = round_ore(base_salary * (1 + real_salary_growth) ** (retirement_year - last_year))
        worked = frozenset(range(1, history.birth_date.month + 1))
        runs.append(PathYear(retirement_year, retirement_year, salary, ALL_MONTHS, worked, True))
    elif runs and runs[-1].last == retirement_year:  # the retirement year is a known year
        known = runs[-1]
        runs[-1] = PathYear(
            known.first, known.last, known.salary, known.months,
            known.worked & frozenset(range(1, history.birth_date.month + 1)), False,
        )
    return SalaryPath(tuple(runs), last_year, last_salary, retirement_year)


def projection_base(history: PersonHistory, last_year: int | None, last_salary: Decimal) -> Decimal:
    """The yearly salary the projection grows from (a reading of this project, documented in
    domain/README.md): the last known year's salary, as a full year's salary when it was earned in
    fewer months (an employment that started during that year: salary × 12 / months employed); 0
    when no employment continues after that year (a leaver earns nothing more). Without employment
    records the salary is taken as it is."""
    if last_year is None or not history.employments:
        return last_salary
    year_end = date(last_year, 12, 31)
    if not any(j.end is None or j.end > year_end for j in history.employments):
        return ZERO
    months = salary_months(history, last_year)
    if len(months) < 12:
        return round_ore(last_salary * 12 / len(months))
    return last_salary


Runs = tuple[tuple[int, int, Decimal], ...]  # (first year, last year, amount of each year)


@dataclass(frozen=True, slots=True)
class PathContributions:
    """Contributions of the salary path for both sides, as runs of years with the same amount."""

    kapkl_dc: Runs  # staying: KAP-KL avgiftsbestämd ålderspension
    akapkr_dc: Runs  # moving: AKAP-KR pensionsavgift (paid in; excludes paid-as-salary)
    supplementary: Runs  # moving: tilläggsavgift until 65
    supplementary_unconfirmed: bool


def _split_points(birth_year: int, until_age: int) -> tuple[int, ...]:
    # Years where the tilläggsavgift months or the LAS rule change (see contributions).
    return (birth_year + until_age, birth_year + until_age + 1, birth_year + LAS_AGE, birth_year + LAS_AGE + 1)


def path_contributions(history: PersonHistory, path: SalaryPath, base_year: int) -> PathContributions:
    """Both sides' contributions, with the same rules as ``kapkl_dc_amount``,
    ``contributions.akapkr_amount`` and ``contributions.supplementary_amount`` (a known year gives
    exactly what ``akapkr_contributions`` gives). A run of years with identical inputs (projected
    years in today's money) is computed once."""
    kapkl: list[tuple[int, int, Decimal]] = []
    akap: list[tuple[int, int, Decimal]] = []
    supp: list[tuple[int, int, Decimal]] = []
    rate_below_s, rate_above_s, unconfirmed = supplementary_rate_values(history.birth_year)
    with_supplementary = bool(rate_below_s or rate_above_s)
    birth = history.birth_date
    las_month = (birth.year + LAS_AGE, birth.month)  # as past_las_age, without building dates
    for run in path.years:
        table = year_table(run.first, base_year)
        first = run.first
        if run.last == first:
            lasts: tuple[int, ...] = (first,)
        else:
            cuts = [y for y in _split_points(birth.year, table.supplementary_until_age) if first < y <= run.last]
            lasts = (*(y - 1 for y in cuts), run.last)
        for last in lasts:
            supp_months = supplementary_months(birth, first, table.supplementary_until_age)
            las = (las_month < (first, 1), las_month < (first, 7))
            k, a, s = _year_contributions(
                run, table, las, supp_months if with_supplementary else None, rate_below_s, rate_above_s
            )
            kapkl.append((first, last, k))
            akap.append((first, last, a))
            supp.append((first, last, s))
            first = last + 1
    return PathContributions(tuple(kapkl), tuple(akap), tuple(supp), unconfirmed)


def _year_contributions(
    py: PathYear, table: YearTable, las: tuple[bool, bool], supp_months: frozenset[int] | None,
    rate_below_s: Decimal, rate_above_s: Decimal,
) -> tuple[Decimal, Decimal, Decimal]:
    """(KAP-KL DC, AKAP-KR paid in, tilläggsavgift) of one year of a run; the salary of a set of
    months is ``split_by_months`` (inlined: the months are always a subset of 1..12)."""
    salary, months, worked = py.salary, py.months, py.worked
    spread = len(months)
    whole_year = spread == 12

    def part(counted: frozenset[int]) -> Decimal:
        n = len(counted) if whole_year else len(counted.intersection(months))
        if n == spread:
            return salary
        return round_ore(salary * n / spread) if spread else ZERO

    kapkl = kapkl_dc_amount(part(worked), table)
    akap_total = ZERO
    supp_total = ZERO
    done: dict[tuple, tuple[Decimal, Decimal]] = {}
    for half_months, whole_salary in ((H1, las[0]), (H2, las[1])):
        worked_half = half_months & worked
        half_salary = part(worked_half)
        supp_salary = part(worked_half & supp_months) if supp_months is not None else None
        key = (half_salary, whole_salary, supp_salary)
        found = done.get(key)  # the two halves of a full year usually have the same inputs
        if found is None:
            paid, _ = akapkr_amount(
                half_salary, table.akap_rate_below, table.akap_rate_above, table.akap_breakpoint,
                table.akap_ceiling, table.akap_small_limit, whole_salary,
            )
            supp = ZERO
            if supp_salary is not None:
                supp = supplementary_amount(
                    supp_salary, rate_below_s, rate_above_s, table.akap_breakpoint, table.akap_ceiling
                )
            found = done[key] = (paid, supp)
        akap_total += found[0]
        supp_total += found[1]
    return kapkl, akap_total, supp_total


def kapkl_dc_amount(salary: Decimal, table: YearTable) -> Decimal:
    """KAP-KL avgiftsbestämd ålderspension: 4.5 % of the pensionable salary up to 30 IBB
    (Valcentralen [S2]; KPA [S4]), rounded to öre."""
    return round_ore(table.kapkl_dc_rate * min(salary, table.kapkl_dc_ceiling))
