"""Test data for the employer pages: organisations, staff, employees and their choices, inserted
directly into the database (the employee's choosing flow is not needed to test the employer side)."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from webapp.models import Choice, EmployerRole, Employment, LateChoiceRequest, Organisation, Person

_serial = itertools.count(1)


def luhn_digit(nine: str) -> int:
    total = 0
    for index, ch in enumerate(nine):
        product = int(ch) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def make_pnr(birth: date, serial: int) -> str:
    """A valid 12-digit personal identity number with a test-range serial."""
    body = birth.strftime("%y%m%d") + f"{serial % 1000:03d}"
    return birth.strftime("%Y%m%d") + f"{serial % 1000:03d}" + str(luhn_digit(body))


def make_organisation(db, name: str = "Exempelby kommun", org_number: str | None = None) -> Organisation:
    n = next(_serial)
    org = Organisation(org_number=org_number or f"21200{n:05d}", name=name)
    db.add(org)
    db.commit()
    return org


def make_person(db, given: str = "Anna", family: str = "Andersson", birth: date = date(1965, 3, 12),
                pnr: str | None = None) -> Person:
    n = next(_serial)
    person = Person(pnr=pnr or make_pnr(birth, n), given_name=given, family_name=family, birth_date=birth,
                    is_test_person=True)
    db.add(person)
    db.commit()
    return person


def make_staff(db, organisation: Organisation, role: str, given: str = "Karin", family: str = "Karlsson") -> Person:
    person = make_person(db, given, family, date(1982, 4, 4))
    db.add(EmployerRole(person_id=person.id, organisation_id=organisation.id, role=role))
    db.commit()
    return person


def employ(db, person: Person, organisation: Organisation, start: date = date(2010, 1, 1),
           end: date | None = None) -> Employment:
    employment = Employment(person_id=person.id, organisation_id=organisation.id, start_date=start, end_date=end,
                            pay_type="monthly", degree=Decimal(100))
    db.add(employment)
    db.commit()
    return employment


# The shape of domain.Comparison.to_snapshot().
SNAPSHOT = {
    "is_estimate": True,
    "assumptions": {"retirement_age": 65, "real_salary_growth": "0.015", "real_return": "0.02", "payout_years": 20},
    "stay": {"agreement": "KAP-KL", "total_yearly": "252000", "total_monthly": "21000",
             "parts": [{"code": "fap", "yearly": "180000", "monthly": "15000"},
                       {"code": "kapkl_dc", "yearly": "72000", "monthly": "6000"}]},
    "move": {"agreement": "AKAP-KR", "total_yearly": "270000", "total_monthly": "22500",
             "parts": [{"code": "akapkr_ipr_2022", "yearly": "90000", "monthly": "7500"},
                       {"code": "akapkr_dc", "yearly": "180000", "monthly": "15000"}]},
    "difference_monthly": "1500",
    "caveats": [],
}


def make_choice(db, person: Person, organisation: Organisation, *, agreement: str = "AKAP-KR",
                status: str = "received", chosen_at: datetime | None = None, is_late: bool = False,
                reference: str | None = None, commit: bool = True) -> Choice:
    n = next(_serial)
    choice = Choice(
        reference=reference or f"PV-{n:08d}",
        person_id=person.id,
        organisation_id=organisation.id,
        campaign="2023",
        agreement=agreement,
        chosen_at=chosen_at or datetime(2023, 4, 20, 10, 0, tzinfo=UTC),
        is_late=is_late,
        status=status,
        signed_text=f"Jag väljer {agreement}.",
        signed_evidence="eyJhbGciOiJSUzI1NiJ9.test.signature",
        comparison_snapshot=json.dumps(SNAPSHOT),
    )
    db.add(choice)
    if commit:
        db.commit()
    return choice


def make_late_request(db, person: Person, organisation: Organisation, reason: str = "Jag var sjuk i maj.",
                      requested_at: datetime | None = None) -> LateChoiceRequest:
    late = LateChoiceRequest(person_id=person.id, organisation_id=organisation.id, campaign="2023", reason=reason,
                             requested_at=requested_at or datetime(2023, 6, 5, 9, 0, tzinfo=UTC))
    db.add(late)
    db.commit()
    return late


class World:
    """Two employers, each with a handler and an approver, and one employee of each who has chosen."""

    def __init__(self, db):
        self.org = make_organisation(db, "Exempelby kommun")
        self.other_org = make_organisation(db, "Exempelstad kommun")
        self.handler = make_staff(db, self.org, "handler", "Johan", "Jansson")
        self.approver = make_staff(db, self.org, "approver", "Karin", "Karlsson")
        self.other_handler = make_staff(db, self.other_org, "handler", "Olle", "Olsson")
        self.other_approver = make_staff(db, self.other_org, "approver", "Lars", "Lind")
        self.employee = make_person(db, "Anna", "Andersson", date(1965, 3, 12))
        employ(db, self.employee, self.org)
        self.choice = make_choice(db, self.employee, self.org)
        self.other_employee = make_person(db, "Ingrid", "Isaksson", date(1975, 7, 7))
        employ(db, self.other_employee, self.other_org)
        self.other_choice = make_choice(db, self.other_employee, self.other_org)


def give_salaries(db, person: Person, organisation: Organisation, yearly: int, monthly_2022: int | None = None) -> None:
    """Salary 2012–2022 at one employer (yearly amount), and the fixed monthly salary at 2022-12-31."""
    from webapp.models import SalaryYear

    for year in range(2012, 2023):
        db.add(SalaryYear(person_id=person.id, organisation_id=organisation.id, year=year, amount=Decimal(yearly)))
    person.fixed_monthly_salary_2022_12_31 = Decimal(monthly_2022 if monthly_2022 is not None else yearly // 12)
    db.add(person)
    db.commit()
