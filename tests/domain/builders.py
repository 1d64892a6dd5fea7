"""Small builders for PersonHistory in domain tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain import Employment, PersonHistory, SalaryYear


def person(
    birth: date = date(1965, 6, 15),
    salaries: dict[int, int | str | Decimal] | None = None,
    employed_from: date | None = date(1995, 1, 1),
    employed_to: date | None = None,
    pay_type: str = "monthly",
    degree: str = "100",
    full_time: dict[int, int] | None = None,
    **fields,
) -> PersonHistory:
    employments = (
        (Employment("212000-0000", employed_from, employed_to, pay_type, Decimal(degree)),)
        if employed_from
        else ()
    )
    full_time = full_time or {}
    return PersonHistory(
        birth_date=birth,
        employments=employments,
        salaries=tuple(
            SalaryYear(
                y,
                Decimal(str(a)),
                Decimal(full_time[y]) if y in full_time else None,
            )
            for y, a in sorted((salaries or {}).items())
        ),
        **fields,
    )


def flat_salaries(amount: int | str, first: int, last: int) -> dict[int, Decimal]:
    return {y: Decimal(str(amount)) for y in range(first, last + 1)}
