"""Every employer route, walked from the URL map, against every role: anonymous visitors are sent
to log in, employees and staff of another organisation get 404 and never the data, handlers see
but cannot decide, approvers may do everything. New employer routes are covered automatically."""

from __future__ import annotations

import re
import time

import pytest
from sqlmodel import select

from tests.employer_factories import World, make_late_request, make_person
from webapp.models import Choice, Decision, ReportBatch

# Routes that change state, and the form that makes each one do its work.
POST_FORMS = {
    "employer.search": lambda w: {"term": w.employee.pnr},
    "employer.decide": lambda w: {"outcome": "approved"},
    "employer.decide_bulk": lambda w: {"choice_id": [w.choice.id], "outcome": "approved"},
    "employer.decide_late": lambda w: {"outcome": "granted"},
    "employer.export": lambda w: {"organisation_id": w.org.id},
}
# Pages listing the organisation's people: reachable by any staff, but only with their own people.
LIST_ENDPOINTS = {"employer.queue", "employer.late_requests", "employer.missing", "employer.reporting", "employer.search",
                  "employer.decide_bulk"}
APPROVER_ONLY_POSTS = {"employer.decide", "employer.decide_late", "employer.export"}


@pytest.fixture
def world(app, db):
    world = World(db)
    world.late = make_late_request(db, make_person(db, "Sen", "Sensson"), world.org)
    # A batch of the organisation so the download routes have something to protect.
    reported = Choice(**{**world.choice.model_dump(exclude={"id", "reference", "person_id"}),
                         "reference": "PV-REPORTED", "person_id": make_person(db, "Rapp", "Orterad").id,
                         "status": "reported"})
    db.add(reported)
    db.commit()
    db.add(Decision(choice_id=reported.id, outcome="approved", decided_by=world.approver.id,
                    decided_at=reported.chosen_at))
    world.batch = ReportBatch(organisation_id=world.org.id, number=1, created_at=reported.chosen_at,
                              created_by=world.approver.id, csv_content="pnr\r\n" + world.employee.pnr + "\r\n",
                              json_content="{}")
    db.add(world.batch)
    db.commit()
    return world


def _employer_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("employer.")]
    assert {"employer.queue", "employer.case", "employer.decide", "employer.export"} <= {r.endpoint for r in rules}
    return rules


def _url(rule, world) -> str:
    values = {"choice_id": world.choice.id, "request_id": world.late.id, "batch_id": world.batch.id}
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def _login(client, person):
    now = int(time.time())
    with client.session_transaction() as session:
        session.clear()
        if person is not None:
            session.update(person_id=person.id, auth_time=now, last_seen=now)


def _token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _request(client, rule, world):
    url = _url(rule, world)
    if "POST" in rule.methods:
        return client.post(url, data={"csrf_token": _token(client), **POST_FORMS[rule.endpoint](world)})
    return client.get(url)


def _secrets(world) -> list[str]:
    return [world.employee.pnr, world.employee.pnr[:8], "Anna Andersson", "Sensson", world.choice.reference]


def test_every_employer_route_has_a_post_form_in_this_test(app):
    for rule in _employer_rules(app):
        if "POST" in rule.methods:
            assert rule.endpoint in POST_FORMS, f"add {rule.endpoint} to POST_FORMS"


def test_anonymous_visitors_are_sent_to_log_in(app, client, world):
    for rule in _employer_rules(app):
        response = _request(client, rule, world)
        assert response.status_code in (302, 303), rule.endpoint
        assert "/login" in response.headers["Location"], rule.endpoint


@pytest.mark.parametrize("who", ["employee", "employee_of_other_organisation"])
def test_employees_never_reach_an_employer_page(app, client, db, world, who):
    _login(client, world.employee if who == "employee" else world.other_employee)
    for rule in _employer_rules(app):
        response = _request(client, rule, world)
        assert response.status_code == 404, rule.endpoint
        body = response.get_data(as_text=True)
        assert not any(secret in body for secret in _secrets(world)), rule.endpoint
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "received"


@pytest.mark.parametrize("role", ["handler", "approver"])
def test_staff_of_another_organisation_get_404_and_never_the_data(app, client, db, world, role):
    _login(client, world.other_handler if role == "handler" else world.other_approver)
    for rule in _employer_rules(app):
        response = _request(client, rule, world)
        if rule.endpoint in LIST_ENDPOINTS:
            assert response.status_code in (200, 303), rule.endpoint
            if response.status_code == 303:
                response = client.get(response.headers["Location"])
        else:
            assert response.status_code == 404, rule.endpoint
        body = response.get_data(as_text=True)
        # The search page shows back the number the searcher typed themselves; nothing else may leak.
        secrets = _secrets(world)[2:] if rule.endpoint == "employer.search" else _secrets(world)
        assert not any(secret in body for secret in secrets), rule.endpoint
        if rule.endpoint == "employer.search":
            assert "0 val hittades." in body
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "received"
    assert len(db.exec(select(ReportBatch)).all()) == 1


def test_handler_of_the_organisation_sees_everything_but_decides_nothing(app, client, db, world):
    _login(client, world.handler)
    for rule in _employer_rules(app):
        response = _request(client, rule, world)
        if rule.endpoint in APPROVER_ONLY_POSTS:
            assert response.status_code == 403, rule.endpoint
        else:
            assert response.status_code in (200, 303), rule.endpoint
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "received"
    assert db.exec(select(Decision).where(Decision.choice_id == world.choice.id)).first() is None


def test_approver_of_the_organisation_reaches_every_route(app, client, db, world):
    _login(client, world.approver)
    for rule in _employer_rules(app):
        response = _request(client, rule, world)
        assert response.status_code in (200, 303), rule.endpoint
    db.expire_all()
    assert db.get(Choice, world.choice.id).status in ("approved", "reported")
