"""The employee's pension simulation page: the figures come from the domain for the logged-in
person only, bad values get a clear message in the user's language and are kept, the form works
without JavaScript, htmx gets the fragment, and a saved snapshot renders like the live result."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from flask import render_template

import domain
from tests.choice_factories import sign_choice
from tests.factories import add_membership, flat_salaries, make_employee, make_organisation, make_person
from webapp.i18n import format_money
from webapp.services import simulation as service
from webapp.services.history import person_history

TODAY = date(2023, 4, 20)  # the 2023 choice period is open
PATH = "/min-pension/simulering"
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def fixed_today(app):
    app.config["FIXED_TODAY"] = TODAY.isoformat()


@pytest.fixture
def anna(db):
    """Born 1965, above 7.5 IBB since 2000: may still choose, so both agreements are offered."""
    organisation = make_organisation(db, name="Exempelby kommun")
    return make_employee(
        db, organisation, birth_date=date(1965, 3, 12), salaries=flat_salaries(2000, 2022, 700_000),
        start=date(1995, 1, 1), ipr_1997=Decimal(24_000), ipr_1997_above_ceiling=Decimal(0),
        given_name="Anna", family_name="Andersson", fixed_monthly_salary_2022_12_31=Decimal(60_000),
    )


@pytest.fixture
def bo(db):
    """Born 1990, AKAP-KL since 2014: AKAP-KR only."""
    organisation = make_organisation(db, name="Annanstad kommun")
    person = make_employee(db, organisation, birth_date=date(1990, 7, 1), salaries=flat_salaries(2013, 2022, 487_654),
                           start=date(2013, 1, 1), given_name="Bo", family_name="Berg")
    add_membership(db, person, "AKAP-KL", date(2014, 1, 1))
    return person


def page(client, query="", lang="sv", **headers):
    response = client.get(PATH + query, headers={"Accept-Language": lang, **headers})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def money(app, amount, lang="sv", decimals=0):
    with app.test_request_context(headers={"Accept-Language": lang}):
        return format_money(amount, decimals)


def expected(db, person, **request):
    return domain.simulate(person_history(db, person), domain.SimulationRequest(**request), TODAY)


def selected(html, name):
    select = re.search(rf'<select id="field-{name}" name="{name}".*?</select>', html, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return option.group(1) if option else None


# --- the figures ------------------------------------------------------------------------------------

def test_the_page_shows_each_part_and_the_total_the_domain_simulates_for_the_person(app, client, db, login_as, anna):
    login_as(anna)
    html = page(client, "?agreement=KAP-KL&retirement_age=63&dc_payout_years=15", lang="en")
    sim = expected(db, anna, retirement_age=63, dc_payout_years=15, agreement="KAP-KL")
    assert {p.code for p in sim.parts} >= {"fap", "ipr_1997", "kapkl_dc"}
    assert "Your monthly pension from 63 under KAP-KL" in html
    for part in sim.parts:
        assert money(app, part.monthly_at_start, "en") in html
    assert money(app, sim.total_monthly, "en") in html
    assert "for 15 years" in html and "for life" in html
    # the years of payment: a data table row per year, the DC part stops after 15 years
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\d+) years</th>", html)
    assert [int(age) for age in rows] == [row.age for row in sim.payments]
    last = sim.payments[-1]
    assert last.by_part["kapkl_dc"] == 0 and last.total_monthly == sim.part("fap").monthly_at_start + sim.part(
        "ipr_1997").monthly_at_start


def test_changing_the_retirement_age_changes_the_figures(app, client, db, login_as, anna):
    login_as(anna)
    early = expected(db, anna, retirement_age=61, agreement="KAP-KL")
    normal = expected(db, anna, retirement_age=65, agreement="KAP-KL")
    assert early.total_monthly < normal.total_monthly
    assert money(app, early.total_monthly) in page(client, "?agreement=KAP-KL&retirement_age=61")
    html = page(client, "?agreement=KAP-KL&retirement_age=65")
    assert money(app, normal.total_monthly) in html
    assert selected(html, "retirement_age") == "65"


def test_without_a_query_the_page_simulates_the_persons_own_agreement_at_65_for_life(app, client, db, login_as, anna):
    login_as(anna)
    html = page(client)
    sim = expected(db, anna, retirement_age=65, agreement="KAP-KL")
    assert money(app, sim.total_monthly) in html
    assert selected(html, "retirement_age") == "65" and selected(html, "dc_payout_years") == "lifelong"
    assert re.search(r'name="agreement" value="KAP-KL" checked', html)
    assert "AKAP-KR" in html  # may still choose: both offered


def test_partial_withdrawal_shows_the_share_of_every_part(app, client, db, login_as, anna):
    login_as(anna)
    html = page(client, "?agreement=KAP-KL&retirement_age=65&withdrawal_share=0.5", lang="en")
    half = expected(db, anna, retirement_age=65, withdrawal_share=Decimal("0.5"), agreement="KAP-KL")
    whole = expected(db, anna, retirement_age=65, agreement="KAP-KL")
    assert half.total_monthly * 2 == whole.total_monthly
    assert money(app, half.total_monthly, "en", decimals=2) in html
    assert "You take out 50" in html


def test_survivor_cover_is_shown_with_what_the_estimate_does_not_cover(app, client, db, login_as, anna):
    login_as(anna)
    html = page(client, "?agreement=KAP-KL", lang="en")
    cover = domain.survivor_cover(person_history(db, anna), TODAY, "KAP-KL")
    assert "If you were to die now: survivor cover in KAP-KL" in html
    assert money(app, cover.adult_monthly, "en") in html
    assert "Not covered by this estimate" in html
    assert "Group life insurance (TGL-KL)" in html
    html = page(client, "?agreement=AKAP-KR", lang="en")
    cover = domain.survivor_cover(person_history(db, anna), TODAY, "AKAP-KR")
    assert money(app, cover.child_monthly_each, "en") in html


def test_someone_who_cannot_choose_sees_only_their_own_agreement(client, db, login_as, bo):
    login_as(bo)
    html = page(client, lang="en")
    assert "Your agreement: AKAP-KR" in html
    assert 'name="agreement" value="AKAP-KR"' in html and 'value="KAP-KL"' not in html
    html = page(client, "?agreement=KAP-KL", lang="en")
    assert "Choose one of the agreements offered." in html


def test_after_choosing_akapkr_the_closed_choice_shows_akapkr_only(client, db, login_as, anna, app):
    sign_choice(db, anna, "AKAP-KR", status="approved")
    app.config["FIXED_TODAY"] = "2023-09-01"
    login_as(anna)
    html = page(client, lang="en")
    assert "Your agreement: AKAP-KR" in html and "Your monthly pension from 65 under AKAP-KR" in html


# --- bad values ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "field", "sv", "en"), [
    ("?agreement=KAP-KL&retirement_age=68", "retirement_age",
     "Välj en av de pensionsåldrar som erbjuds i KAP-KL: 61 till 67 år.",
     "Choose one of the retirement ages offered under KAP-KL: 61 to 67 years."),
    ("?retirement_age=sextio", "retirement_age", "Välj en pensionsålder.", "Choose a retirement age."),
    ("?agreement=AKAP-KR&withdrawal_share=0.5", "withdrawal_share",
     "Välj en av de andelar som erbjuds. Andelar som kan tas ut i AKAP-KR: 100 %.",
     "Choose one of the shares offered. The shares that can be taken out under AKAP-KR: 100 %."),
    ("?dc_payout_years=5", "dc_payout_years", "Välj utbetalning livet ut eller en period på 10 till 20 år.",
     "Choose payment for life or a period of 10 to 20 years."),
])
def test_a_bad_value_gets_a_clear_message_in_the_users_language_and_is_kept(client, login_as, anna, query, field,
                                                                            sv, en):
    login_as(anna)
    for lang, message in (("sv", sv), ("en", en)):
        html = page(client, query, lang=lang)
        assert 'class="error-summary"' in html and f'href="#field-{field}"' in html
        assert message in html
        typed = dict(part.split("=") for part in query[1:].split("&"))[field]
        assert selected(html, field) == typed
        assert 'aria-invalid="true"' in html
        assert 'class="simulation-result"' not in html  # no figures for values that cannot be used


# --- no JavaScript, htmx, access -----------------------------------------------------------------------

def test_the_form_is_a_plain_get_form_that_htmx_enhances(client, login_as, anna):
    login_as(anna)
    html = page(client)
    form = re.search(r'<form method="get" action="/min-pension/simulering"[^>]*>', html)
    assert form and 'hx-get="/min-pension/simulering"' in form.group(0) and 'hx-target="#simulation"' in form.group(0)
    assert '<button type="submit"' in html
    assert "<th scope=\"col\">" in html and "role=\"img\"" in html  # a table per part and a chart with its data


def test_htmx_gets_only_the_fragment_and_caches_keep_the_two_apart(client, login_as, anna):
    login_as(anna)
    response = client.get(PATH + "?retirement_age=62", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True).strip()
    assert body.startswith('<div id="simulation"') and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_the_page_shows_only_the_logged_in_persons_data(app, client, db, login_as, anna, bo):
    login_as(bo)
    html = page(client)
    bo_total = expected(db, bo, retirement_age=65).total_monthly
    anna_total = expected(db, anna, retirement_age=65, agreement="KAP-KL").total_monthly
    assert money(app, bo_total) in html and money(app, anna_total) not in html
    assert "Exempelby kommun" not in html


def test_anonymous_visitors_are_sent_to_login(client, anna):
    response = client.get(PATH + "?retirement_age=62")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_a_person_without_employment_gets_the_friendly_page(client, db, login_as):
    login_as(make_person(db, birth_date=date(1988, 8, 8)))
    assert "We have no employment registered for you" in page(client, lang="en")


def test_my_pension_and_the_navigation_link_to_the_simulation(client, login_as, anna):
    login_as(anna)
    my_pension = client.get("/min-pension", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'href="{PATH}"' in my_pension
    assert f'href="{PATH}" aria-current="page"' in page(client)


# --- a saved snapshot renders like the live result ------------------------------------------------------

def test_a_snapshot_renders_the_same_result_as_the_live_simulation(app, db, anna):
    sim = expected(db, anna, retirement_age=62, withdrawal_share=Decimal("0.75"), dc_payout_years=12,
                   agreement="KAP-KL")
    snapshot = json.loads(json.dumps(sim.to_snapshot()))
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        live = render_template("employee/_simulation_result.html", sim=service.display(sim))
        saved = render_template("employee/_simulation_result.html", sim=service.display(snapshot))
    assert saved == live
    assert money(app, sim.total_monthly, decimals=2) in saved


def test_a_saved_survivor_cover_renders_the_same_as_the_live_one(app, db, anna):
    cover = domain.survivor_cover(person_history(db, anna), TODAY, "AKAP-KR")
    snapshot = json.loads(json.dumps(cover.to_snapshot()))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        live = render_template("employee/_survivors.html", cover=service.survivors(cover))
        saved = render_template("employee/_survivors.html", cover=service.survivors(snapshot))
    assert saved == live
    assert money(app, cover.adult_monthly, "en") in saved


def test_someone_past_every_age_of_the_agreement_is_told_so(client, db, login_as):
    organisation = make_organisation(db, name="Exempelby kommun")
    old = make_employee(db, organisation, birth_date=date(1954, 5, 5), salaries=flat_salaries(2000, 2022, 700_000),
                        start=date(1990, 1, 1), given_name="Olle")
    login_as(old)
    html = page(client, lang="en")
    assert "There is no retirement age left to simulate under KAP-KL." in html
    assert 'class="simulation-result"' not in html
