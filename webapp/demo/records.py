"""Plain records of a demo person's register history, produced by the generators (no database)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class DemoEmployment:
    organisation: str  # organisation key, see webapp/demo/organisations.py
    start: date
    end: date | None  # last day, inclusive
    pay_type: str  # monthly | hourly
    degree: Decimal  # percent


@dataclass(frozen=True)
class DemoSalary:
    organisation: str
    year: int
    amount: Decimal
    full_time_amount: Decimal | None = None  # hourly paid: converted to full time (AB)


@dataclass(frozen=True)
class DemoLeave:
    start: date
    end: date | None
    kind: str  # leave | sickness_compensation | activity_compensation


@dataclass(frozen=True)
class DemoPerson:
    pnr: str
    given_name: str
    family_name: str
    birth_date: date
    scenario: str  # see webapp/demo/scenarios.py
    employments: tuple[DemoEmployment, ...] = ()
    salaries: tuple[DemoSalary, ...] = ()
    leaves: tuple[DemoLeave, ...] = ()
    rights: tuple[tuple[str, int, Decimal], ...] = ()  # (kind, year, amount)
    memberships: tuple[tuple[str, date], ...] = ()  # (agreement, valid from)
    fixed_monthly_salary_2022_12_31: Decimal | None = None
    pension_granted_on: date | None = None
    sap_granted: bool = False
    staff_roles: tuple[tuple[str, str], ...] = ()  # (organisation key, handler | approver)
    named: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    def employed_on(self, day: date) -> DemoEmployment | None:
        for employment in self.employments:
            if employment.start <= day and (employment.end is None or employment.end >= day):
                return employment
        return None
