"""Building blocks of a synthetic career: a reference salary per year, yearly pensionable salaries
from a salary level, IPR 1997 and agreement memberships.

A salary level is a *ratio to 7.5 income base amounts* of the year (7.5 IBB 2022 = 532 500 kr, the
limit of the 2023 choice, domain spec section 4). Following IBB keeps a person's position to the
limit stable over time, as the income index follows average incomes. Persons meant to be above the
limit stay at a ratio of at least about 1.18 from 2014 on, those below at most about 0.96: the
pensionsunderlag of 2022 (PBB-indexed, spec 2.3) then lands clearly on the intended side, whatever
year the rules take it at.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

# Inkomstbasbelopp 2001-2025 (domain spec section 1, CONFIRMED values).
IBB = {
    2001: 37700, 2002: 38800, 2003: 40900, 2004: 42300, 2005: 43300, 2006: 44500, 2007: 45900,
    2008: 48000, 2009: 50900, 2010: 51100, 2011: 52100, 2012: 54600, 2013: 56600, 2014: 56900,
    2015: 58100, 2016: 59300, 2017: 61500, 2018: 62500, 2019: 64400, 2020: 66800, 2021: 68200,
    2022: 71000, 2023: 74300, 2024: 76200, 2025: 80600,
}
FORHOJT_PBB_2000 = 37300  # spec section 1: there is no IBB for 2000, the förhöjt PBB played its role
FIRST_SALARY_YEAR = 1998  # the register holds pensionable salaries from 1998 (PFA 98 onwards)
LAST_SALARY_YEAR = 2025
LIMIT_FACTOR = Decimal("7.5")
EARLY_GROWTH = 1.035  # assumed yearly wage growth before 2000, only to shape pre-2000 demo salaries


def reference_salary(year: int) -> float:
    """7.5 base amounts of ``year``: the yardstick salary levels are expressed in."""
    if year in IBB:
        return 7.5 * IBB[year]
    if year == 2000:
        return 7.5 * FORHOJT_PBB_2000
    if year < 2000:
        return 7.5 * FORHOJT_PBB_2000 / EARLY_GROWTH ** (2000 - year)
    raise ValueError(f"no reference salary for {year}")


def year_fraction(start: date, end: date | None, year: int) -> float:
    """Share of ``year`` covered by the inclusive period start..end."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    lo, hi = max(start, first), min(end or last, last)
    if hi < lo:
        return 0.0
    return ((hi - lo).days + 1) / ((last - first).days + 1)


def level_with_drift(level_2022: float, drift: float = 0.005) -> Callable[[int], float]:
    """A career that rose ``drift`` per year above the base amount's growth, reaching ``level_2022``."""
    return lambda year: level_2022 * (1 - drift * (2022 - year))


def krona(value: float) -> Decimal:
    return Decimal(round(value))


def salary_years(
    rng: random.Random,
    level: Callable[[int], float],
    spells: list[tuple[str, date, date | None, float]],
    *,
    reductions: list[tuple[date, date | None, float]] = (),
    hourly_share: float | None = None,
    noise: float = 0.015,
) -> list[tuple[str, int, Decimal, Decimal | None]]:
    """Yearly pensionable salary per organisation.

    ``spells``: (organisation, start, end, degree share) of each employment; ``level(year)`` is the
    full-time salary as a ratio to 7.5 IBB; ``reductions``: (start, end, share of pay lost) for leave
    and sickness compensation; ``hourly_share``: for hourly paid, the share of full time actually
    worked; the full-time amount is then stored beside the paid amount (AB conversion).
    """
    rows = []
    for organisation, start, end, degree in spells:
        last_year = min(LAST_SALARY_YEAR, end.year if end else LAST_SALARY_YEAR)
        for year in range(max(FIRST_SALARY_YEAR, start.year), last_year + 1):
            covered = year_fraction(start, end, year)
            if covered <= 0:
                continue
            lost = sum(share * year_fraction(max(lo, start), _earliest(hi, end), year)
                       for lo, hi, share in reductions)
            paid_share = covered - lost
            if paid_share <= 0:
                continue  # a whole year on full leave or sickness compensation: no salary row
            full_time = level(year) * reference_salary(year) * (1 + rng.uniform(-noise, noise))
            if hourly_share is not None:
                worked = hourly_share * (1 + rng.uniform(-0.1, 0.1))
                rows.append((organisation, year, krona(full_time * worked * paid_share),
                             krona(full_time * paid_share)))
            else:
                rows.append((organisation, year, krona(full_time * degree * paid_share), None))
    return rows


def _earliest(a: date | None, b: date | None) -> date | None:
    if a is None or b is None:
        return a or b
    return min(a, b)


def monthly_salary(level: float, year: int, degree: float = 1.0) -> Decimal:
    """A fixed monthly salary at ``level``, rounded to 100 kr as salary scales are."""
    return Decimal(round(level * reference_salary(year) * degree / 12 / 100) * 100)


def ipr_1997(first_start: date, birth_date: date, level_1997: float) -> tuple[Decimal, Decimal] | None:
    """A plausible IPR per 1997-12-31 (yearly amount) and its part above the ceiling.

    Demo approximation only, not the PA-KL rule (the administrator's register holds the real
    amounts, spec 2.7): about 10 % of salary below the ceiling and 65 % above it, for the
    service years before 1998 (from age 21) out of 30.
    """
    if first_start >= date(1998, 1, 1):
        return None
    service_from = max(first_start, date(birth_date.year + 21, birth_date.month, 1))
    years = max(0.0, (date(1998, 1, 1) - service_from).days / 365.25)
    share = min(years, 30.0) / 30.0
    salary = level_1997 * reference_salary(1997)
    ceiling = reference_salary(1997)
    below = 0.10 * min(salary, ceiling) * share
    above = 0.65 * max(0.0, salary - ceiling) * share
    return krona(below + above), krona(above)


def memberships(birth_date: date, first_start: date, employed_2023: bool, moved_to_akap_kr: bool
                ) -> tuple[tuple[str, date], ...]:
    """Agreement memberships (spec sections 2 and 3).

    Born 1985 or earlier: KAP-KL from hire; moved to AKAP-KR on 2023-01-01 when not above the limit
    (``moved_to_akap_kr``). Born 1986 or later: KAP-KL until 2013, AKAP-KL from 2014 (or hire),
    renamed AKAP-KR on 2023-01-01. Hired from 2023 on: AKAP-KR, KAP-KL is closed to new entrants.
    """
    rows: dict[date, str] = {}
    akap_start, akap_kr_start = date(2014, 1, 1), date(2023, 1, 1)
    if first_start >= akap_kr_start:
        rows[first_start] = "AKAP-KR"
    elif birth_date.year <= 1985:
        rows[first_start] = "KAP-KL"
        if moved_to_akap_kr and employed_2023:
            rows[akap_kr_start] = "AKAP-KR"
    else:
        if first_start < akap_start:
            rows[first_start] = "KAP-KL"
        rows[max(akap_start, first_start)] = "AKAP-KL"
        if employed_2023:
            rows[akap_kr_start] = "AKAP-KR"
    return tuple((agreement, day) for day, agreement in sorted(rows.items()))


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
