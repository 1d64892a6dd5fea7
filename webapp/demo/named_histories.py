"""The register history behind each named test person (webapp/demo/named.py): one career per
person that produces exactly its scenario (webapp/demo/scenarios.py)."""

from __future__ import annotations

import random
from datetime import date

from webapp.demo.builder import Career, build
from webapp.demo.careers import level_with_drift
from webapp.demo.named import NAMED_TEST_PERSONS, NamedTestPerson
from webapp.demo.records import DemoPerson


def _livranta_then_lower(year: int) -> float:
    """Above the limit 2001-2012 (livränta earned), then a lower-paid post from 2013: the
    pensionsunderlag of 2022 (salaries 2014-2020) is below the limit, only the livränta counts."""
    return level_with_drift(1.35)(year) if year <= 2012 else level_with_drift(0.8)(year)


# Keyed by personal identity number; None means no employment with any demo employer.
CAREERS: dict[str, Career | None] = {
    "196503129824": Career("exempelby", date(1990, 8, 1), level_with_drift(1.35)),  # Anna
    "197208159835": Career("exempelby", date(2008, 1, 1), level_with_drift(1.3), pay_type="hourly",
                           hourly_share=0.55),  # Bertil
    "198001019846": Career("exempelby", date(2005, 9, 1), level_with_drift(1.3),
                           leaves=((date(2022, 10, 1), date(2023, 9, 30), "leave", 1.0),)),  # Cecilia
    "197507079908": Career("exempelstad", date(2001, 3, 1), _livranta_then_lower),  # Ingrid
    "199006209853": Career("exempelby", date(2012, 8, 15), level_with_drift(0.75)),  # David
    "195505059864": Career("exempelby", date(1982, 1, 1), level_with_drift(1.3)),  # Eva
    "196009099877": Career("exempelby", date(1985, 6, 1), level_with_drift(0.78), moved_to_akap_kr=True),  # Fredrik
    "197002029887": Career("exempelstad", date(1995, 1, 1), level_with_drift(1.3), end=date(2023, 1, 31),
                           pension_granted_on=date(2023, 2, 1)),  # Gunilla
    "196811119897": Career("exempelstad", date(1993, 4, 1), level_with_drift(1.3), end=date(2022, 10, 31),
                           previous=("exempelby", date(2009, 3, 1))),  # Hans
    "196704149951": Career("exempelstad", date(1991, 1, 1), level_with_drift(1.25),
                           leaves=((date(2021, 3, 1), None, "sickness_compensation", 1.0),)),  # Nils
    "197110219826": Career("exempelby", date(1996, 2, 1), level_with_drift(1.4)),  # Olof
    "197803039911": Career("exempelby", date(2004, 1, 1), level_with_drift(0.8), moved_to_akap_kr=True),  # Johan
    "198204049921": Career("exempelby", date(2008, 5, 1), level_with_drift(0.85), moved_to_akap_kr=True),  # Karin
    "198506069932": Career("exempelstad", date(2010, 9, 1), level_with_drift(0.86), moved_to_akap_kr=True),  # Lars
    "197912129918": Career("exempelstad", date(2006, 1, 1), level_with_drift(0.8), moved_to_akap_kr=True),  # Petra
    "197605179873": Career("exempelby-energi", date(2003, 4, 1), level_with_drift(0.86),
                           moved_to_akap_kr=True),  # Sven
    "198808089943": None,  # Maja
}


def named_person(person: NamedTestPerson) -> DemoPerson:
    rng = random.Random(person.pnr)  # the named persons do not change with the seed
    birth = date(int(person.pnr[:4]), int(person.pnr[4:6]), int(person.pnr[6:8]))
    roles = ((person.organisation, person.staff_role),) if person.staff_role else ()
    return build(rng, pnr=person.pnr, given_name=person.given_name, family_name=person.family_name,
                 birth_date=birth, scenario=person.scenario, career=CAREERS[person.pnr], staff_roles=roles,
                 named=True)


def named_persons() -> list[DemoPerson]:
    return [named_person(person) for person in NAMED_TEST_PERSONS]
