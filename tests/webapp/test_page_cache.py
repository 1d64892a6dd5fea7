"""Whole employee pages kept per process (webapp/render_cache.py ``kept_page``): a repeated view
costs one query, yet every change the person's pages show appears at once, every session gets its
own CSRF token, and flash messages are never kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, update
from sqlmodel import select

from tests.factories import add_employer_role, flat_salaries, make_employee, make_organisation
from webapp.models import Organisation, PlannedClosure, SalaryYear

TODAY = date(2023, 4, 20)
CSRF = 'name="csrf_token" value="'


@pytest.fixture(autouse=True)
def fixed_today(app):
    app.config["FIXED_TODAY"] = TODAY.isoformat()


@pytest.fixture
def cecilia(db):
    organisation = make_organisation(db, name="Exempelby kommun")
    return make_employee(db, organisation, birth_date=date(1966, 4, 4), start=date(1998, 1, 1),
                         salaries=flat_salaries(2005, 2022, 480_000), given_name="Cecilia", family_name="Ek")


def _page(client, path="/min-pension") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _token(page: str) -> str:
    return page.split(CSRF, 1)[1].split('"', 1)[0]


def _without_token(page: str) -> str:
    return page.replace(_token(page), "")


def test_a_repeated_view_costs_one_query_and_shows_the_same_page(app, client, login_as, cecilia):
    login_as(cecilia)
    statements = []
    event.listen(app.extensions["db_engine"], "before_cursor_execute", lambda *args: statements.append(args[2]))
    first = _page(client)
    statements.clear()
    second = _page(client)
    assert len(statements) == 1 and "person" in statements[0]
    assert _without_token(first) == _without_token(second)  # the token is signed with the second


def test_every_session_gets_its_own_csrf_token_on_a_kept_page(app, cecilia):
    browsers = [app.test_client(), app.test_client()]
    pages = []
    for browser in browsers:
        with browser.session_transaction() as session:
            now = int(datetime.now(UTC).timestamp())
            session.update(person_id=cecilia.id, auth_time=now, last_seen=now)
        pages.append(_page(browser))
    tokens = [_token(page) for page in pages]
    assert tokens[0] != tokens[1]
    assert tokens[1] in pages[1].split("hx-headers", 1)[1][:200]  # htmx sends it too
    # Each browser's token works for its own session only.
    switch = {"lang": "en", "next": "/min-pension"}
    assert browsers[1].post("/language", data={**switch, "csrf_token": tokens[0]}).status_code == 400
    assert browsers[1].post("/language", data={**switch, "csrf_token": tokens[1]}).status_code == 303


def test_what_the_employer_changes_shows_at_once(client, db, login_as, cecilia):
    login_as(cecilia)
    page = _page(client)
    assert "Exempelby kommun" in page and "/arbetsgivare" not in page
    # A salary changed by a bulk statement (as a file import writes), a rename and a new staff role.
    db.exec(update(SalaryYear).where(SalaryYear.person_id == cecilia.id).values(amount=Decimal(720_000)))
    db.commit()
    assert _page(client) != page
    organisation = db.exec(select(Organisation).where(Organisation.name == "Exempelby kommun")).one()
    db.exec(update(Organisation).where(Organisation.id == organisation.id).values(name="Nya Exempelby kommun"))
    db.commit()
    assert "Nya Exempelby kommun" in _page(client)
    add_employer_role(db, cecilia, organisation, "approver")
    assert "/arbetsgivare" in _page(client)


def test_a_flash_message_shows_once_and_is_never_kept(client, login_as, cecilia):
    login_as(cecilia)
    plain = _page(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Ditt meddelande")]
    assert "Ditt meddelande" in _page(client)
    again = _page(client)
    assert "Ditt meddelande" not in again and _without_token(again) == _without_token(plain)


def test_a_closure_scheduled_by_another_process_shows_within_the_refresh_time(app, client, db, login_as,
                                                                                cecilia, monkeypatch):
    import webapp.closures

    clock = [1000.0]
    monkeypatch.setattr(webapp.closures.time, "monotonic", lambda: clock[0])
    app.config["FIXED_NOW"] = "2023-04-20T10:00:00+00:00"
    login_as(cecilia)
    assert "Planerat avbrott" not in _page(client)
    # `flask closure-add` writes the row from its own process: this one has not been told.
    start = datetime(2023, 4, 21, 20, 0, tzinfo=UTC)
    db.add(PlannedClosure(starts_at=start, ends_at=start + timedelta(hours=2), message_sv="Vi uppgraderar."))
    db.commit()
    clock[0] += app.config["CLOSURE_REFRESH_SECONDS"] + 1
    page = _page(client)
    assert "Planerat avbrott" in page and "Vi uppgraderar." in page


def test_the_htmx_fragment_and_the_whole_page_are_kept_apart(client, login_as, cecilia):
    login_as(cecilia)
    path = "/min-pension/jamforelse?retirement_age=63"
    fragment = client.get(path, headers={"HX-Request": "true"}).get_data(as_text=True)
    page = _page(client, path)
    assert "<html" not in fragment and "<html" in page
    assert "<html" not in client.get(path, headers={"HX-Request": "true"}).get_data(as_text=True)
