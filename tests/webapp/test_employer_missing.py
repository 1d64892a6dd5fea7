"""Missing choices: the batch loader asks the domain exactly what the per-person path would."""

from __future__ import annotations

from datetime import date

from tests.employer_factories import World, employ, give_salaries, make_person
from webapp.models import LeavePeriod
from webapp.services import missing
from webapp.services.campaign import eligibility_of


def test_missing_choices_agree_with_the_per_person_eligibility(app, db):
    world = World(db)
    people = []
    for i, (birth, yearly, monthly) in enumerate([
        (date(1970, 5, 1), 900_000, None),  # eligible
        (date(1965, 1, 1), 300_000, None),  # below the limit
        (date(1990, 1, 1), 900_000, None),  # born after 1985
        (date(1960, 1, 1), 700_000, 30_000),  # PU above the limit, monthly salary below
        (date(1975, 1, 1), 650_000, None),
    ]):
        person = make_person(db, "Kandidat", f"Nr{i}", birth)
        employ(db, person, world.org)
        give_salaries(db, person, world.org, yearly, monthly)
        people.append(person)
    db.add(LeavePeriod(person_id=people[4].id, start_date=date(2021, 1, 1), end_date=None,
                       kind="sickness_compensation"))
    db.commit()
    with app.app_context():
        listed = {row.person.id for row in missing.missing_choices(db, [world.org.id], "2023", date(2023, 4, 1))}
        expected = {p.id for p in people if eligibility_of(db, p).eligible}
    assert people[0].id in expected and people[2].id not in expected
    assert listed == expected
