"""The choice page for every named demo person: the state their scenario describes, in both
languages, on the demo data as the demo command loads it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from webapp.demo import activity, loader
from webapp.demo.named import NAMED_TEST_PERSONS
from webapp.demo.named_histories import named_persons
from webapp.models import Person

EXPECTED_STATE = {
    "eligible_salary": "open",
    "eligible_hourly": "open",
    "eligible_on_leave": "open",
    "eligible_livranta": "open",
    "born_after_1985": "not_eligible",
    "born_before_1958": "not_eligible",
    "below_limit": "not_eligible",
    "pension_granted": "not_eligible",
    "left_2022": "not_eligible",
    "sickness_compensation": "not_eligible",
    "chose_akap_kr": "received",
}


@pytest.fixture
def named(app, db):
    app.config["FIXED_TODAY"] = "2023-04-20"
    people = named_persons()
    with app.extensions["db_engine"].begin() as connection:
        loader.load(connection, people, activity.plan(people, 2023))
    return {p.pnr: db.exec(select(Person).where(Person.pnr == p.pnr)).one() for p in NAMED_TEST_PERSONS
            if p.scenario in EXPECTED_STATE}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_named_person_sees_the_state_of_their_scenario(client, login_as, named, lang):
    for test_person in NAMED_TEST_PERSONS:
        if test_person.scenario not in EXPECTED_STATE:
            continue
        login_as(named[test_person.pnr])
        response = client.get("/val", headers={"Accept-Language": lang})
        assert response.status_code == 200, test_person.scenario
        page = response.get_data(as_text=True)
        state = EXPECTED_STATE[test_person.scenario]
        assert f"status-{state}" in page, (test_person.scenario, state)
        assert ('name="agreement"' in page) == (state == "open"), test_person.scenario
        if state == "received":
            receipt = client.get("/val/kvitto", headers={"Accept-Language": lang})
            assert receipt.status_code == 200
            assert client.get("/val/kvitto.pdf", headers={"Accept-Language": lang}).status_code == 200
