"""Test data for the pension liability: an organisation with one person of each category, a
person who moved to another employer, and its staff.

    world = liability_world(db)
    world.org, world.active, world.paid_up, world.pensioner, world.moved, world.handler ...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests.factories import (
    add_employer_role,
    flat_salaries,
    make_employee,
    make_employment,
    make_organisation,
    make_person,
)
from webapp.models import Organisation, Person
from webapp.services import liability

AT = date(2022, 12, 31)
TODAY = "2023-04-20"


@dataclass
class LiabilityWorld:
    org: Organisation
    other: Organisation
    active: Person
    paid_up: Person
    pensioner: Person
    moved: Person  # worked here, now employed by the other organisation: not in this liability
    handler: Person
    approver: Person
    outsider: Person  # staff of the other organisation


def liability_world(db) -> LiabilityWorld:
    org = make_organisation(db, name="Exempelby kommun")
    other = make_organisation(db, name="Grannby kommun")
    active = make_employee(db, org, birth_date=date(1965, 3, 12), start=date(1995, 1, 1),
                           salaries=flat_salaries(1998, 2022, 480_000, "0.02"), ipr_1997=24_000,
                           given_name="Aktiva", family_name="Andersson")
    paid_up = make_employee(db, org, birth_date=date(1962, 6, 1), start=date(1990, 1, 1), end=date(2012, 6, 30),
                            salaries=flat_salaries(1998, 2012, 420_000), ipr_1997=18_000,
                            given_name="Fribrev", family_name="Bengtsson")
    pensioner = make_employee(db, org, birth_date=date(1955, 2, 2), start=date(1985, 1, 1), end=date(2019, 12, 31),
                              salaries=flat_salaries(1998, 2019, 500_000), ipr_1997=30_000,
                              given_name="Pensionär", family_name="Carlsson", pension_granted_on=date(2020, 3, 1))
    moved = make_employee(db, org, birth_date=date(1970, 9, 9), start=date(2000, 1, 1), end=date(2015, 12, 31),
                          salaries=flat_salaries(2000, 2022, 450_000), given_name="Flyttad", family_name="Dahl")
    make_employment(db, moved, other, start=date(2016, 1, 1))
    handler = make_person(db, birth_date=date(1980, 1, 1), given_name="Handläggare", family_name="Eriksson")
    approver = make_person(db, birth_date=date(1981, 1, 1), given_name="Attestant", family_name="Fransson")
    outsider = make_person(db, birth_date=date(1982, 1, 1), given_name="Granne", family_name="Gustafsson")
    add_employer_role(db, handler, org, "handler")
    add_employer_role(db, approver, org, "approver")
    add_employer_role(db, outsider, other, "approver")
    return LiabilityWorld(org, other, active, paid_up, pensioner, moved, handler, approver, outsider)


def calculate(db, world: LiabilityWorld, at: date = AT, label: str = ""):
    return liability.calculate(db, organisation_id=world.org.id, at=at, actor_id=world.handler.id,
                               now=datetime(2023, 4, 20, 10, 0, tzinfo=UTC), label=label)
