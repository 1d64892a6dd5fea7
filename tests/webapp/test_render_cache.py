"""The employee pages keep their rendered figures and whole pages (webapp/render_cache.py); what a
person sees must still follow every change of their register rows, the day, the language and the
inputs. A repeated page costs one query, every session gets its own CSRF token, and flash
messages are never kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, update
from sqlmodel import select

import domain
from tests.factories import add_employer_role, flat_salaries, make_employee, make_organisation
from webapp.i18n import format_money
from webapp.models import Organisation, PlannedClosure, SalaryYear

TODAY = date(2023, 4, 20)
CSRF = 'name="csrf_token" value="'


@pytest.fixture(autouse=True)
def fixed_today(app):
    app.config["FIXED_TODAY"] = TODAY.isoformat()


@pytest.fixture
def bertil(db):
    organisation = make_organisation(db, name="Exempelby kommun")
    return make_employee(db, organisation, birth_date=date(1966, 4, 4), start=date(1998, 1, 1),
                         salaries=flat_salaries(2005, 2022, 600_000), given_name="Bertil", family_name="Berg")


def _page(client, path, lang="sv"):
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _pu(db, person) -> Decimal:
    from webapp.services.history import person_history

    return domain.entitlements(person_history(db, person), TODAY).pensionsunderlag.amount


def _sv_money(app, amount: Decimal) -> str:
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        return format_money(amount)


def test_a_changed_salary_shows_at_once(app, client, db, login_as, bertil):
    login_as(bertil)
    before = _pu(db, bertil)
    assert _sv_money(app, before) in _page(client, "/min-pension")
    for row in db.exec(select(SalaryYear).where(SalaryYear.person_id == bertil.id, SalaryYear.year >= 2014)):
        row.amount = Decimal(900_000)
        db.add(row)
    db.commit()
    after = _pu(db, bertil)
    assert after != before
    page = _page(client, "/min-pension")
    assert _sv_money(app, after) in page and _sv_money(app, before) not in page


def test_the_language_and_the_inputs_are_part_of_what_is_kept(client, login_as, bertil):
    login_as(bertil)
    assert "Your employments" in _page(client, "/min-pension", lang="en")
    assert "Dina anställningar" in _page(client, "/min-pension", lang="sv")
    at_62 = _page(client, "/min-pension/jamforelse?retirement_age=62", lang="en")
    at_67 = _page(client, "/min-pension/jamforelse?retirement_age=67", lang="en")
    assert 'value="62"' in at_62 and 'value="67"' in at_67


def test_a_kept_page_is_not_computed_again(client, login_as, bertil, monkeypatch):
    login_as(bertil)
    calls = []
    real = domain.entitlements
    monkeypatch.setattr(domain, "entitlements", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = _page(client, "/min-pension")
    second = _page(client, "/min-pension")
    assert len(calls) == 1
    assert first.split("<main")[1] == second.split("<main")[1]


def test_people_with_the_same_register_rows_get_their_own_pages(app, client, db, login_as, bertil):
    """The key holds the person: a kept part is never served to someone else."""
    twin = make_employee(db, make_organisation(db, name="Annanby kommun", org_number="2120000001"),
                         birth_date=date(1966, 4, 4), start=date(1998, 1, 1),
                         salaries=flat_salaries(2005, 2022, 600_000), given_name="Tvilling", family_name="Berg")
    login_as(bertil)
    assert "Exempelby kommun" in _page(client, "/min-pension")
    login_as(twin)
    page = _page(client, "/min-pension")
    assert "Annanby kommun" in page and "Exempelby kommun" not in page


def _token(page: str) -> str:
    return page.split(CSRF, 1)[1].split('"', 1)[0]


def _without_token(page: str) -> str:
    return page.replace(_token(page), "")


def test_a_repeated_view_costs_one_query_and_shows_the_same_page(app, client, login_as, bertil):
    login_as(bertil)
    statements = []
    event.listen(app.extensions["db_engine"], "before_cursor_execute", lambda *args: statements.append(args[2]))
    first = _page(client, "/min-pension")
    statements.clear()
    second = _page(client, "/min-pension")
    assert len(statements) == 1 and "person" in statements[0]
    assert _without_token(first) == _without_token(second)  # the token is signed with the second


def test_every_session_gets_its_own_csrf_token_on_a_kept_page(app, bertil):
    browsers = [app.test_client(), app.test_client()]
    pages = []
    for browser in browsers:
        with browser.session_transaction() as session:
            now = int(datetime.now(UTC).timestamp())
            session.update(person_id=bertil.id, auth_time=now, last_seen=now)
        pages.append(_page(browser, "/min-pension"))
    tokens = [_token(page) for page in pages]
    assert tokens[0] != tokens[1]
    assert tokens[1] in pages[1].split("hx-headers", 1)[1][:200]  # htmx sends it too
    # Each browser's token works for its own session only.
    switch = {"lang": "en", "next": "/min-pension"}
    assert browsers[1].post("/language", data={**switch, "csrf_token": tokens[0]}).status_code == 400
    assert browsers[1].post("/language", data={**switch, "csrf_token": tokens[1]}).status_code == 303


def test_what_the_employer_changes_shows_at_once(client, db, login_as, bertil):
    login_as(bertil)
    page = _page(client, "/min-pension")
    assert "Exempelby kommun" in page and "/arbetsgivare" not in page
    # A salary changed by a bulk statement (as a file import writes), a rename and a new staff role.
    db.exec(update(SalaryYear).where(SalaryYear.person_id == bertil.id).values(amount=Decimal(720_000)))
    db.commit()
    assert _page(client, "/min-pension") != page
    organisation = db.exec(select(Organisation).where(Organisation.name == "Exempelby kommun")).one()
    db.exec(update(Organisation).where(Organisation.id == organisation.id).values(name="Nya Exempelby kommun"))
    db.commit()
    assert "Nya Exempelby kommun" in _page(client, "/min-pension")
    add_employer_role(db, bertil, organisation, "approver")
    assert "/arbetsgivare" in _page(client, "/min-pension")


def test_a_flash_message_shows_once_and_is_never_kept(client, login_as, bertil):
    login_as(bertil)
    plain = _page(client, "/min-pension")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Ditt meddelande")]
    assert "Ditt meddelande" in _page(client, "/min-pension")
    again = _page(client, "/min-pension")
    assert "Ditt meddelande" not in again and _without_token(again) == _without_token(plain)


def test_a_closure_scheduled_by_another_process_shows_within_the_refresh_time(app, client, db, login_as,
                                                                                bertil, monkeypatch):
    import webapp.closures

    clock = [1000.0]
    monkeypatch.setattr(webapp.closures.time, "monotonic", lambda: clock[0])
    app.config["FIXED_NOW"] = "2023-04-20T10:00:00+00:00"
    login_as(bertil)
    assert "Planerat avbrott" not in _page(client, "/min-pension")
    # `flask closure-add` writes the row from its own process: this one has not been told.
    start = datetime(2023, 4, 21, 20, 0, tzinfo=UTC)
    db.add(PlannedClosure(starts_at=start, ends_at=start + timedelta(hours=2), message_sv="Vi uppgraderar."))
    db.commit()
    clock[0] += app.config["CLOSURE_REFRESH_SECONDS"] + 1
    page = _page(client, "/min-pension")
    assert "Planerat avbrott" in page and "Vi uppgraderar." in page


def test_the_htmx_fragment_and_the_whole_page_are_kept_apart(client, login_as, bertil):
    login_as(bertil)
    path = "/min-pension/jamforelse?retirement_age=63"
    fragment = client.get(path, headers={"HX-Request": "true"}).get_data(as_text=True)
    page = _page(client, path)
    assert "<html" not in fragment and "<html" in page
    assert "<html" not in client.get(path, headers={"HX-Request": "true"}).get_data(as_text=True)
