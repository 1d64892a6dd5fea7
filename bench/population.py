"""A synthetic population for the domain benchmark: employees born 1958–1985 (the 2023 choice's
birth years, SKR Q&A [S3]) with nine or more years of salary history before 2023.

Deterministic for a seed. Salary values are whole hundreds of kronor and share their Decimal
objects, so 140 000 histories fit in a modest amount of memory.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from domain import Employment, LeavePeriod, PersonHistory, SalaryYear

LAST_SALARY_YEAR = 2022  # the bench calculates at the 2023 choice (2023-04-20, the demo date)


def population(size: int, seed: int = 2023) -> list[PersonHistory]:
    return list(generate(size, seed))


def generate(size: int, seed: int = 2023) -> Iterator[PersonHistory]:
    """The same people as ``population``, one at a time."""
    rng = random.Random(seed)
    decimals: dict[int, Decimal] = {}

    def money(kronor: int) -> Decimal:
        rounded = kronor // 100 * 100
        found = decimals.get(rounded)
        if found is None:
            found = decimals[rounded] = Decimal(rounded)
        return found

    full = Decimal(100)
    for n in range(size):
        birth = date(rng.randint(1958, 1985), rng.randint(1, 12), rng.randint(1, 28))
        first_year = max(birth.year + 22, rng.randint(1990, 2014))
        first_year = min(first_year, LAST_SALARY_YEAR - 8)  # nine or more years of history
        # Monthly salary in 2022: most below the 7.5 IBB limit (44 375 kr), a third above.
        monthly_2022 = int(rng.lognormvariate(10.55, 0.33))
        yearly = monthly_2022 * 12
        salaries = []
        for year in range(LAST_SALARY_YEAR, first_year - 1, -1):
            salaries.append(SalaryYear(year, money(yearly)))
            yearly = int(yearly / (1.02 + rng.random() * 0.03))
        salaries.reverse()
        start = date(first_year, rng.randint(1, 12), 1)
        ended = rng.random() < 0.02
        employment = Employment(
            employer=f"21200000{n % 90 + 10:02d}",
            start=start,
            end=date(2022, 10, 31) if ended else None,
            pay_type="hourly" if rng.random() < 0.05 else "monthly",
            degree=full,
        )
        leaves = ()
        if rng.random() < 0.01:
            leaves = (LeavePeriod(date(2020, 1, 1), None, "sickness_compensation"),)
        ipr = money(rng.randint(0, 40000)) if birth.year < 1970 and first_year < 1998 else Decimal(0)
        yield PersonHistory(
            birth_date=birth,
            employments=(employment,),
            salaries=tuple(salaries),
            leaves=leaves,
            ipr_1997=ipr,
            fixed_monthly_salary_2022_12_31=money(monthly_2022),
        )
