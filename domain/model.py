"""The domain's input: a person's history as the register knows it, in plain frozen dataclasses.

The web layer builds these from database rows (``webapp/services/history.py``); the rules in
``domain/`` never see a database row, a request or a Flask object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

PAY_TYPES = ("monthly", "hourly")
# Leave kinds: ordinary leave of absence (tjänstledighet, parental leave), and the two social
# insurance benefits that exclude a person from the 2023 choice (SKR Q&A on the choice [S3]).
LEAVE_KINDS = ("leave", "sickness_compensation", "activity_compensation")


@dataclass(frozen=True, slots=True)
class Employment:
    """One employment with a sector employer; ``end`` is the last day, inclusive, or None if ongoing."""

    employer: str  # organisation number
    start: date
    end: date | None
    pay_type: str  # monthly | hourly
    degree: Decimal  # employment degree in percent, 0 < degree <= 100


@dataclass(frozen=True, slots=True)
class SalaryYear:
    """Pensionable salary of one calendar year (all sector employers together).

    ``full_time_amount`` is the salary converted to full time for hourly paid staff, where the
    rules ask for it (the 2023 choice's salary test, per Allmänna bestämmelser); None otherwise.
    """

    year: int
    amount: Decimal
    full_time_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LeavePeriod:
    start: date
    end: date | None
    kind: str  # one of LEAVE_KINDS


@dataclass(frozen=True, slots=True)
class PersonHistory:
    """Everything the rules need to know about one person."""

    birth_date: date
    employments: tuple[Employment, ...] = ()
    salaries: tuple[SalaryYear, ...] = ()
    leaves: tuple[LeavePeriod, ...] = ()
    # IPR per 1997-12-31 (yearly amount) and the part of it above the ceiling, as the
    # administrator's register holds them (RIPS 07 [S26]; the domain does not recompute them).
    ipr_1997: Decimal = Decimal(0)
    ipr_1997_above_ceiling: Decimal = Decimal(0)
    # Fixed monthly salary incl. fixed supplements at 2022-12-31: the unions' salary test for
    # the 2023 choice (Saco/Akademikeralliansen [S35], KPA [S33]).
    fixed_monthly_salary_2022_12_31: Decimal | None = None
    pension_granted_on: date | None = None  # the employer approved a pension from this date
    sap_granted: bool = False  # särskild avtalspension granted
    fap_in_payment: bool = False  # förmånsbestämd ålderspension in payment
    salary_by_year: dict[int, SalaryYear] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "salary_by_year", {s.year: s for s in self.salaries})

    @property
    def birth_year(self) -> int:
        return self.birth_date.year

    def salary(self, year: int) -> Decimal:
        """Pensionable salary of a calendar year; 0 for a year without salary."""
        record = self.salary_by_year.get(year)
        return record.amount if record else Decimal(0)
