"""Helpers to put register rows in the test database: organisations, persons, employments, salaries.

Each helper adds, commits and returns the row, with defaults that make a plausible municipal
employee; pass only what the test is about. Personal identity numbers are generated with a valid
check digit and a 9xx serial number, like the demo's fictional persons.

    org = make_organisation(db)
    anna = make_employee(db, org, birth_date=date(1965, 3, 12), salaries={2015: 600_000, ...})
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlmodel import select

from webapp.models import (
    AgreementMembership,
    EarnedRight,
    EmployerRole,
    Employment,
    LeavePeriod,
    Organisation,
    Person,
    SalaryYear,
)

_serial = itertools.count(1)


def luhn_check_digit(nine_digits: str) -> int:
    """The personnummer check digit (Luhn over YYMMDDNNN)."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def make_pnr(birth_date: date, serial: int | None = None) -> str:
    """A 12-digit personal identity number for ``birth_date`` with a valid check digit."""
    number = next(_serial) if serial is None else serial
    three = f"{900 + number % 100:03d}" if serial is None else f"{serial:03d}"
    yymmdd = birth_date.strftime("%y%m%d")
    check = luhn_check_digit(yymmdd + three)
    return f"{birth_date:%Y%m%d}{three}{check}"


def _save(db, row):
    db.add(row)
    db.commit()
    db.refresh(row)
    return row


def make_organisation(db, name: str = "Exempelby kommun", org_number: str | None = None) -> Organisation:
    if org_number is None:
        org_number = f"212000{next(_serial):04d}"
    return _save(db, Organisation(name=name, org_number=org_number))


def make_person(
    db,
    birth_date: date = date(1965, 3, 12),
    given_name: str = "Test",
    family_name: str = "Testsson",
    pnr: str | None = None,
    **fields,
) -> Person:
    """A fictional test person. ``fields``: other Person columns (e.g. fixed_monthly_salary_2022_12_31)."""
    while pnr is None:
        candidate = make_pnr(birth_date)
        if db.exec(select(Person).where(Person.pnr == candidate)).first() is None:
            pnr = candidate
    return _save(
        db,
        Person(pnr=pnr, given_name=given_name, family_name=family_name, birth_date=birth_date,
               is_test_person=True, **fields),
    )


def make_employment(
    db,
    person: Person,
    organisation: Organisation,
    start: date = date(2000, 1, 1),
    end: date | None = None,
    pay_type: str = "monthly",
    degree: Decimal | int = 100,
) -> Employment:
    return _save(
        db,
        Employment(person_id=person.id, organisation_id=organisation.id, start_date=start, end_date=end,
                   pay_type=pay_type, degree=Decimal(degree)),
    )


def add_salaries(
    db,
    person: Person,
    organisation: Organisation,
    salaries: dict[int, Decimal | int | str],
    full_time: dict[int, Decimal | int | str] | None = None,
) -> list[SalaryYear]:
    """Yearly pensionable salaries (year → amount); ``full_time`` for hourly paid staff."""
    rows = []
    for year, amount in salaries.items():
        converted = (full_time or {}).get(year)
        rows.append(
            SalaryYear(person_id=person.id, organisation_id=organisation.id, year=year, amount=Decimal(amount),
                       full_time_amount=Decimal(converted) if converted is not None else None)
        )
    db.add_all(rows)
    db.commit()
    return rows


def add_earned_right(db, person: Person, kind: str, amount: Decimal | int | str, year: int = 1997) -> EarnedRight:
    """kind: ipr_1997 | ipr_1997_above_ceiling | livranta."""
    return _save(db, EarnedRight(person_id=person.id, kind=kind, year=year, amount=Decimal(amount)))


def add_leave(db, person: Person, start: date, end: date | None, kind: str = "leave") -> LeavePeriod:
    return _save(db, LeavePeriod(person_id=person.id, start_date=start, end_date=end, kind=kind))


def add_membership(db, person: Person, agreement: str = "KAP-KL", valid_from: date = date(2006, 1, 1)):
    return _save(db, AgreementMembership(person_id=person.id, agreement=agreement, valid_from=valid_from))


def add_employer_role(db, person: Person, organisation: Organisation, role: str = "handler") -> EmployerRole:
    return _save(db, EmployerRole(person_id=person.id, organisation_id=organisation.id, role=role))


def flat_salaries(first_year: int, last_year: int, amount: Decimal | int, growth: Decimal | str = "0") -> dict:
    """A salary for every year ``first_year``..``last_year``, growing by ``growth`` (e.g. "0.03") a year."""
    rate = Decimal(1) + Decimal(growth)
    result, value = {}, Decimal(amount)
    for year in range(first_year, last_year + 1):
        result[year] = value.quantize(Decimal(1))
        value *= rate
    return result


def make_employee(
    db,
    organisation: Organisation | None = None,
    birth_date: date = date(1965, 3, 12),
    salaries: dict[int, Decimal | int | str] | None = None,
    start: date = date(1995, 1, 1),
    end: date | None = None,
    pay_type: str = "monthly",
    degree: Decimal | int = 100,
    ipr_1997: Decimal | int | None = None,
    ipr_1997_above_ceiling: Decimal | int | None = None,
    **person_fields,
) -> Person:
    """A person with one employment, salaries and (optionally) IPR 1997, in one call.

    Without ``salaries`` the person earns 50 000 kr a month from 2013 to 2022 (above 7.5 IBB).
    """
    organisation = organisation or make_organisation(db)
    person = make_person(db, birth_date=birth_date, **person_fields)
    make_employment(db, person, organisation, start=start, end=end, pay_type=pay_type, degree=degree)
    add_salaries(db, person, organisation, salaries if salaries is not None else flat_salaries(2013, 2022, 600_000))
    if ipr_1997 is not None:
        add_earned_right(db, person, "ipr_1997", ipr_1997)
    if ipr_1997_above_ceiling is not None:
        add_earned_right(db, person, "ipr_1997_above_ceiling", ipr_1997_above_ceiling)
    return person
