"""Turn the parameters of a career into a demo person's full register history."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from webapp.demo import careers
from webapp.demo.records import DemoEmployment, DemoLeave, DemoPerson, DemoSalary

TURN_OF_YEAR = date(2022, 12, 31)


@dataclass
class Career:
    organisation: str
    hire: date
    level: Callable[[int], float]  # full-time salary as a ratio to 7.5 IBB, per year
    degree: float = 1.0  # share of full time (part time < 1)
    pay_type: str = "monthly"
    hourly_share: float | None = None  # hourly paid: share of full time worked
    end: date | None = None
    previous: tuple[str, date] | None = None  # (organisation, date of the move to ``organisation``)
    leaves: tuple[tuple[date, date | None, str, float], ...] = ()  # (start, end, kind, share of pay lost)
    pension_granted_on: date | None = None
    sap_granted: bool = False  # särskild avtalspension granted
    moved_to_akap_kr: bool = False


def build(rng: random.Random, *, pnr: str, given_name: str, family_name: str, birth_date: date, scenario: str,
          career: Career | None, staff_roles: tuple[tuple[str, str], ...] = (), named: bool = False) -> DemoPerson:
    if career is None:
        return DemoPerson(pnr, given_name, family_name, birth_date, scenario, staff_roles=staff_roles, named=named)
    # Hourly paid staff have no contracted degree; the register shows the share of full time worked.
    share = career.hourly_share if career.pay_type == "hourly" else career.degree
    degree = Decimal(round(share * 100))
    employments = []
    if career.previous is not None:
        previous_org, moved_on = career.previous
        employments.append(DemoEmployment(previous_org, career.hire, moved_on - timedelta(days=1),
                                          career.pay_type, degree))
        employments.append(DemoEmployment(career.organisation, moved_on, career.end, career.pay_type, degree))
    else:
        employments.append(DemoEmployment(career.organisation, career.hire, career.end, career.pay_type, degree))
    spells = [(e.organisation, e.start, e.end, career.degree) for e in employments]
    salaries = [
        DemoSalary(org, year, amount, full_time)
        for org, year, amount, full_time in careers.salary_years(
            rng, career.level, spells,
            reductions=[(start, end, lost) for start, end, _kind, lost in career.leaves],
            hourly_share=career.hourly_share,
        )
    ]
    rights = []
    ipr = careers.ipr_1997(career.hire, birth_date, career.level(1997))
    if ipr is not None:
        rights = [("ipr_1997", 1997, ipr[0]), ("ipr_1997_above_ceiling", 1997, ipr[1])]
    employed_2023 = career.end is None or career.end >= date(2023, 1, 1)
    fixed_monthly = None
    if career.hire <= TURN_OF_YEAR and (career.end is None or career.end >= TURN_OF_YEAR):
        # The contractual fixed monthly salary; for hourly paid staff converted to full time (AB),
        # as the salary test of the 2023 choice asks (spec section 4).
        share = 1.0 if career.pay_type == "hourly" else career.degree
        fixed_monthly = careers.monthly_salary(career.level(2022), 2022, share)
    return DemoPerson(
        pnr=pnr,
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date,
        scenario=scenario,
        employments=tuple(employments),
        salaries=tuple(salaries),
        leaves=tuple(DemoLeave(start, end, kind) for start, end, kind, _lost in career.leaves),
        rights=tuple(rights),
        memberships=careers.memberships(birth_date, career.hire, employed_2023, career.moved_to_akap_kr),
        fixed_monthly_salary_2022_12_31=fixed_monthly,
        pension_granted_on=career.pension_granted_on,
        sap_granted=career.sap_granted,
        staff_roles=staff_roles,
        named=named,
    )
