"""Helpers shared by the register and salary-import tests: organisations, staff and files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from webapp.models import EmployerRole, Employment, Organisation, Person, SalaryYear

HEADER = "personnummer;fornamn;efternamn;ar;lon;lonform;heltidslon;sysselsattningsgrad;anstallning_from;anstallning_tom"
ANNA = "196503129824"  # valid check digits (the named demo persons)
BERTIL = "197208159835"
STAFF = "197803039911"
OTHER_STAFF = "198506069932"


def organisation(db, number: str = "2120000001", name: str = "Exempelby kommun") -> Organisation:
    org = Organisation(org_number=number, name=name)
    db.add(org)
    db.commit()
    return org


def person(db, pnr: str, given: str = "Anna", family: str = "Andersson", birth: date | None = None) -> Person:
    birth = birth or date(int(pnr[:4]), int(pnr[4:6]), int(pnr[6:8]))
    found = Person(pnr=pnr, given_name=given, family_name=family, birth_date=birth)
    db.add(found)
    db.commit()
    return found


def staff(db, org: Organisation, pnr: str = STAFF, role: str = "handler") -> Person:
    member = person(db, pnr, "Johan", "Jansson")
    db.add(EmployerRole(person_id=member.id, organisation_id=org.id, role=role))
    db.commit()
    return member


def employee(db, org: Organisation, pnr: str = ANNA, salaries: dict[int, str] | None = None,
             given: str = "Anna", family: str = "Andersson") -> Person:
    """A monthly paid full-time employee since 2001 with the given yearly salaries."""
    found = person(db, pnr, given, family)
    db.add(Employment(person_id=found.id, organisation_id=org.id, start_date=date(2001, 1, 1),
                      pay_type="monthly", degree=Decimal(100)))
    for year, amount in (salaries or {}).items():
        db.add(SalaryYear(person_id=found.id, organisation_id=org.id, year=year, amount=Decimal(amount)))
    db.commit()
    return found


def csv_file(*rows: str, header: str = HEADER, newline: str = "\r\n", encoding: str = "utf-8") -> bytes:
    return newline.join((header, *rows, "")).encode(encoding)
