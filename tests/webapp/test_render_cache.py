"""The employee pages keep their rendered figures (webapp/render_cache.py); what a person sees
must still follow every change of their register rows, the day, the language and the inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

import domain
from tests.factories import flat_salaries, make_employee, make_organisation
from webapp.i18n import format_money
from webapp.models import SalaryYear

TODAY = date(2023, 4, 20)


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
