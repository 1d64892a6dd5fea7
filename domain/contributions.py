"""AKAP-KR contributions per half-year, the supplementary contributions (tilläggsavgifter) of the
2023 choosers, and (from domain-core) the KAP-KL defined-contribution contribution of a year.

The register holds pensionable salary per calendar year (``SalaryYear``), while AKAP-KR computes
per half-year (KPA "Avgiftsbestämd ålderspension AKAP-KR" [S30]; SKR Q&A AKAP-KR [S29]). Reading
used here (documented, easy to change in ``salary_months``): the year's salary is spread evenly
over the calendar months in which the person had a sector employment; a year without employment
records is spread over all twelve months. Contributions are rounded to whole öre, half up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.entitlements import dc_contribution_kapkl
from domain.explanation import Explanation, ParameterUse
from domain.model import PersonHistory
from domain.money import round_ore
from domain.parameters import MissingParameter, ibb, parameter
from domain.results import Contribution

ZERO = Decimal(0)
AKAPKR_FROM = date(2023, 1, 1)  # AKAP-KL renamed AKAP-KR with new rates (SKR Q&A [S29])
LAS_AGE = 69  # after the LAS age the contribution is 6 % of the whole salary (Skandikon [S31])

SOURCE_AKAPKR = "AKAP-KR (lydelse 2023-01-01): KPA [S30], SKR Q&A AKAP-KR [S29], Skandikon [S31]"
SOURCE_SUPPLEMENTARY = "AKAP-KR övergångsbestämmelser, tilläggsavgift: KPA [S32][S33][S36], SKR Q&A [S3]"


def paid_as_salary(contribution: Contribution) -> Decimal:
    """The part of a half-year's AKAP-KR contribution paid to the employee as salary instead,
    because it was below the small-amount limit (Skandikon [S31]); 0 otherwise."""
    return dict(contribution.explanation.inputs).get("paid_as_salary", ZERO)


def _months_between(first: date, last: date, year: int) -> set[int]:
    if first.year > year or last.year < year:
        return set()
    start = first.month if first.year == year else 1
    end = last.month if last.year == year else 12
    return set(range(start, end + 1))


def salary_months(history: PersonHistory, year: int) -> tuple[int, ...]:
    """Calendar months of ``year`` over which that year's salary is spread (see module docstring)."""
    if not history.employments:
        return tuple(range(1, 13))
    months: set[int] = set()
    for employment in history.employments:
        months |= _months_between(employment.start, employment.end or date(year, 12, 31), year)
    return tuple(sorted(months)) or tuple(range(1, 13))


def split_by_months(amount: Decimal, months: tuple[int, ...], counted: frozenset[int] | set[int]) -> Decimal:
    """The part of a yearly salary that falls in ``counted`` months, spread evenly over ``months``."""
    if not months:
        return ZERO
    n = len(counted.intersection(months))
    if n == len(months):
        return amount
    return round_ore(amount * n / len(months))


H1 = frozenset(range(1, 7))
H2 = frozenset(range(7, 13))


def half_year_salaries(history: PersonHistory, year: int) -> tuple[Decimal, Decimal]:
    """Pensionable salary of each half-year of ``year``; the two add up to the year's salary."""
    amount = history.salary(year)
    months = salary_months(history, year)
    first = split_by_months(amount, months, H1)
    return first, amount - first


def band_amount(salary: Decimal, lower: Decimal, upper: Decimal) -> Decimal:
    """The part of ``salary`` between ``lower`` and ``upper`` (0 below ``lower``)."""
    return max(ZERO, min(salary, upper) - lower)


def akapkr_rates(at: date) -> tuple[ParameterUse, ParameterUse]:
    """AKAP-KR contribution rates: 6 % up to 7.5 IBB a year (3.75 per half-year), 31.5 % above
    (SKR Q&A AKAP-KR [S29]; KPA [S4][S30]); AKAP-KL's 4.5 % / 30 % before 2023."""
    return parameter("akap_rate_below", at), parameter("akap_rate_above", at)


def akapkr_half_year_limits(year: int, at: date) -> tuple[ParameterUse, Decimal, Decimal, Decimal]:
    """IBB of ``year`` and the half-year breakpoint (3.75 IBB), ceiling (15 IBB) and small-amount
    limit (0.75 % of IBB) in kronor (KPA [S30]; SKR [S29]; Skandikon [S31])."""
    base = ibb(year)
    ibb_value = Decimal(base.value)
    return (
        base,
        ibb_value * Decimal(parameter("akap_half_year_breakpoint_ibb", at).value),
        ibb_value * Decimal(parameter("akap_half_year_ceiling_ibb", at).value),
        round_ore(ibb_value * Decimal(parameter("akap_small_amount_ibb", at).value)),
    )


def half_year_start(year: int, half: int) -> date:
    return date(year, 1 if half == 1 else 7, 1)


def past_las_age(birth_date: date, at: date) -> bool:
    """True from the half-year after the one in which the person turns 69 (the LAS age from 2023):
    then AKAP-KR is 6 % of the whole salary (Skandikon [S31]). Reading: the rule starts with the
    first half-year that begins after the 69th birthday month."""
    return (birth_date.year + LAS_AGE, birth_date.month) < (at.year, at.month)


def akapkr_amount(
    salary: Decimal, rate_below: Decimal, rate_above: Decimal, breakpoint: Decimal, ceiling: Decimal,
    small_limit: Decimal, whole_salary: bool = False,
) -> tuple[Decimal, Decimal]:
    """(amount paid in, amount paid as salary) of one half-year's AKAP-KR contribution.

    6 % of the half-year salary up to 3.75 IBB + 31.5 % of the part between 3.75 and 15 IBB; after the
    LAS age 6 % of the whole salary; below 0.75 % of IBB it is paid as salary instead (KPA [S30],
    SKR [S29], Skandikon [S31]). Rounded to öre, half up.
    """
    if whole_salary:
        raw = salary * rate_below
    else:
        raw = min(salary, breakpoint) * rate_below + band_amount(salary, breakpoint, ceiling) * rate_above
    amount = round_ore(raw)
    if ZERO < amount < small_limit:
        return ZERO, amount
    return amount, ZERO


def akapkr_half_year_contribution(
    history: PersonHistory, year: int, half: int, salary: Decimal
) -> Contribution:
    """AKAP-KR contribution of one half-year with its explanation (see ``akapkr_amount``)."""
    at = half_year_start(year, half)
    base, breakpoint, ceiling, small_limit = akapkr_half_year_limits(year, at)
    rate_below, rate_above = akapkr_rates(at)
    below, above = Decimal(rate_below.value), Decimal(rate_above.value)
    whole = past_las_age(history.birth_date, at)
    amount, as_salary = akapkr_amount(salary, below, above, breakpoint, ceiling, small_limit, whole)
    notes: tuple[str, ...] = ()
    if whole:
        formula = f"{below} × {salary}"
        notes += ("after the LAS age (69): 6 % of the whole salary",)
    else:
        formula = f"{below} × min({salary}, {breakpoint}) + {above} × (min({salary}, {ceiling}) − {breakpoint})⁺"
    if as_salary:
        notes += (f"below the small-amount limit {small_limit}: paid to the employee as salary",)
    inputs: tuple[tuple[str, object], ...] = (("year", year), ("half", half), ("half_year_salary", salary))
    if as_salary:
        inputs += (("paid_as_salary", as_salary),)
    return Contribution(
        year=year,
        half=half,
        agreement="AKAP-KR" if at >= AKAPKR_FROM else "AKAP-KL",
        salary=salary,
        amount=amount,
        explanation=Explanation(
            rule="akapkr_contribution",
            source=SOURCE_AKAPKR,
            inputs=inputs,
            parameters=(base, rate_below, rate_above),
            formula=formula,
            notes=notes,
        ),
    )


def akapkr_contributions(history: PersonHistory, year: int) -> tuple[Contribution, ...]:
    """The two half-year AKAP-KR contributions of ``year`` (KPA [S30]; SKR [S29])."""
    first, second = half_year_salaries(history, year)
    return (
        akapkr_half_year_contribution(history, year, 1, first),
        akapkr_half_year_contribution(history, year, 2, second),
    )


def supplementary_rates_at(birth_year: int, at: date) -> tuple[ParameterUse, ParameterUse] | None:
    """The two tilläggsavgift rate parameters of a birth year, or None outside the table."""
    try:
        return (
            parameter("tillaggsavgift_rate_below", at, key=birth_year),
            parameter("tillaggsavgift_rate_above", at, key=birth_year),
        )
    except MissingParameter:
        if at < AKAPKR_FROM:
            raise
        return None


def supplementary_contribution_rates(
    birth_year: int, at: date
) -> tuple[Decimal, Decimal, Explanation]:
    """Tilläggsavgift rates (on the half-year salary up to / above 3.75 IBB) for a person born in
    ``birth_year`` who chose AKAP-KR in 2023 (KPA [S32][S33]).

    UNCONFIRMED: the table for the choice group was not found; the parameter file holds the published
    PA-KFS 09 table (KPA [S36]) flagged ``unconfirmed``, so every result that uses it carries the
    flag (``Explanation.unconfirmed``). Birth years outside the table (born 1986 or later, who were
    never in KAP-KL) get no tilläggsavgift.
    """
    rates = supplementary_rates_at(birth_year, at)
    if rates is None:
        return ZERO, ZERO, Explanation(
            rule="tillaggsavgift_rates",
            source=SOURCE_SUPPLEMENTARY,
            inputs=(("birth_year", birth_year),),
            notes=("birth year outside the tilläggsavgift table: no tilläggsavgift",),
        )
    below, above = rates
    return Decimal(below.value), Decimal(above.value), Explanation(
        rule="tillaggsavgift_rates",
        source=SOURCE_SUPPLEMENTARY,
        inputs=(("birth_year", birth_year),),
        parameters=rates,
        notes=("the table for the 2023 choice group is unconfirmed; the PA-KFS 09 table is used",),
    )


def supplementary_until_age(at: date) -> int:
    """Tilläggsavgift is paid at most until 65 (SKR Q&A [S3]; Vårdförbundet [S34])."""
    return int(parameter("tillaggsavgift_until_age", at).value)


_ALL_MONTHS = frozenset(range(1, 13))
_NO_MONTHS: frozenset[int] = frozenset()


def supplementary_months(birth_date: date, year: int, until_age: int) -> frozenset[int]:
    """Months of ``year`` whose salary carries tilläggsavgift: those before the month of the
    ``until_age`` birthday (same month boundary as the KAP-KL time factor, SLF [S27]: "längst till och
    med månaden före du fyller 65 år")."""
    last_year = birth_date.year + until_age
    if year < last_year:
        return _ALL_MONTHS
    if year > last_year:
        return _NO_MONTHS
    return frozenset(range(1, birth_date.month))


def supplementary_amount(
    salary: Decimal, rate_below: Decimal, rate_above: Decimal, breakpoint: Decimal, ceiling: Decimal
) -> Decimal:
    """rate_below × salary up to 3.75 IBB + rate_above × the part between 3.75 and 15 IBB, rounded to
    öre (KPA [S32]: "tilläggsavgift på halvårslön över 3,75 inkomstbasbelopp"; the 15 IBB cap mirrors
    the contribution itself: an unconfirmed reading)."""
    return round_ore(min(salary, breakpoint) * rate_below + band_amount(salary, breakpoint, ceiling) * rate_above)


def supplementary_contributions(history: PersonHistory, year: int) -> tuple[Contribution, ...]:
    """Tilläggsavgifter of ``year`` (two half-years) for a person who chose AKAP-KR in 2023: from
    2023 and until 65 (SKR Q&A [S3]; KPA [S30][S32])."""
    amount = history.salary(year)
    months = salary_months(history, year)
    found = []
    for half in (1, 2):
        at = half_year_start(year, half)
        base, breakpoint, ceiling, _ = akapkr_half_year_limits(year, at)
        rate_below, rate_above, rates = supplementary_contribution_rates(history.birth_year, at)
        counted = (H1 if half == 1 else H2) & supplementary_months(
            history.birth_date, year, supplementary_until_age(at)
        )
        salary = split_by_months(amount, months, counted)
        found.append(
            Contribution(
                year=year,
                half=half,
                agreement="AKAP-KR tilläggsavgift",
                salary=salary,
                amount=supplementary_amount(salary, rate_below, rate_above, breakpoint, ceiling),
                explanation=Explanation(
                    rule="tillaggsavgift",
                    source=SOURCE_SUPPLEMENTARY,
                    inputs=(("year", year), ("half", half), ("half_year_salary_before_65", salary)),
                    parameters=(base,),
                    formula=f"{rate_below} × min({salary}, {breakpoint}) + {rate_above} × "
                    f"(min({salary}, {ceiling}) − {breakpoint})⁺",
                    parts=(rates,),
                ),
            )
        )
    return tuple(found)


def kapkl_dc_contribution(history: PersonHistory, year: int) -> Contribution | None:
    """KAP-KL avgiftsbestämd ålderspension of a calendar year: 4.5 % up to 30 IBB from 21
    (Valcentralen [S2]; KPA [S4]). domain-core's rule (``entitlements.dc_contribution_kapkl``);
    the comparison's projection uses the same arithmetic (``projection.kapkl_dc_amount``)."""
    return dc_contribution_kapkl(history, year)
