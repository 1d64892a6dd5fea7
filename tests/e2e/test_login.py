"""Logging in through the test identity provider's page in Chromium, in Swedish and English,
with axe checks on every page of the way."""

from __future__ import annotations

import re

from tests.webapp.test_auth import ANNA, MAJA, _person


def test_a_tester_picks_a_test_person_and_is_logged_in_and_out_in_swedish(page, server, db, axe_check):
    _person(db, ANNA)
    page.goto(server + "/login")
    axe_check(page)
    page.get_by_role("link", name="Logga in med BankID").click()
    page.wait_for_url(re.compile(r"/test-idp/authorize\?"))
    assert page.get_by_role("heading", level=1).inner_text() == "Legitimera dig med Test-BankID"
    axe_check(page)
    page.get_by_role("radio", name=re.compile("Anna Andersson")).check()
    page.get_by_role("button", name="Legitimera").click()
    page.wait_for_url(server + "/")
    assert "Du är inloggad som Anna Andersson." in page.locator("main").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(server + "/")
    assert page.get_by_role("link", name="Logga in", exact=True).is_visible()


def test_a_wrong_number_gets_a_clear_error_then_the_login_works_in_english(page, server, db, axe_check):
    _person(db, ANNA)
    page.goto(server + "/")
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(server + "/")
    page.get_by_role("link", name="Log in with BankID").click()  # the start page's link to the login page
    page.wait_for_url(server + "/login")
    page.get_by_role("link", name="Log in with BankID").click()  # the login page's link to the provider
    page.wait_for_url(re.compile(r"/test-idp/authorize\?"))
    assert page.locator("html").get_attribute("lang") == "en"
    field = page.get_by_label(re.compile("^Personal identity number"))
    field.fill("196503129825")
    page.get_by_role("button", name="Identify").click()
    error = page.locator("#pnr-error")
    assert "correct check digit" in error.inner_text()
    assert "pnr-error" in field.get_attribute("aria-describedby")
    assert field.get_attribute("aria-invalid") == "true"
    axe_check(page)
    page.get_by_label(re.compile("^Personal identity number")).fill(ANNA)
    page.get_by_role("button", name="Identify").click()
    page.wait_for_url(server + "/")
    assert "You are logged in as Anna Andersson." in page.locator("main").inner_text()


def test_a_person_without_employment_sees_the_friendly_page_in_both_languages(page, server, db, log_in, axe_check):
    _person(db, MAJA, "Maja", "Mattsson", employed=False)
    page.goto(server + "/login")
    page.locator("a[href^='/login/start']").click()
    page.locator("#pnr").fill(MAJA)
    page.locator("button[name=action][value=identify]").click()
    page.wait_for_url(server + "/login/not-registered")
    assert page.get_by_role("heading", level=1).inner_text() == "Vi har ingen anställning registrerad för dig"
    axe_check(page)
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(server + "/login/not-registered")
    assert page.get_by_role("heading", level=1).inner_text() == "We have no employment registered for you"
    axe_check(page)


def test_the_log_in_fixture_logs_in_and_follows_next(page, server, db, log_in):
    _person(db, ANNA)
    log_in(page, ANNA, next="/tillganglighet")
    assert page.url == server + "/tillganglighet"
    page.goto(server + "/")
    assert "Anna Andersson" in page.locator("main").inner_text()


def test_a_cancelled_login_explains_itself_and_offers_to_try_again(page, server, db, axe_check):
    page.goto(server + "/login")
    page.locator("a[href^='/login/start']").click()
    page.get_by_role("button", name="Avbryt").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggningen avbröts"
    axe_check(page)
    page.get_by_role("link", name="Försök igen").click()
    page.wait_for_url(re.compile(r"/login(\?next=/)?$"))
    page.locator("a[href^='/login/start']").click()
    page.wait_for_url(re.compile(r"/test-idp/authorize\?"))


def test_a_refused_login_shows_a_clear_accessible_page_in_english(page, server, app, db, axe_check):
    _person(db, ANNA)
    app.extensions["test_idp"].misbehave = "wrong_audience"
    page.goto(server + "/")
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(server + "/")
    page.goto(server + "/login")
    page.locator("a[href^='/login/start']").click()
    page.locator("#pnr").fill(ANNA)
    page.locator("button[name=action][value=identify]").click()
    page.wait_for_url(re.compile(r"/login/callback\?"))
    assert page.get_by_role("heading", level=1).inner_text() == "We could not verify your login"
    axe_check(page)
    app.extensions["test_idp"].misbehave = None
    page.get_by_role("link", name="Try again").click()
    page.locator("a[href^='/login/start']").click()
    page.locator("#pnr").fill(ANNA)
    page.locator("button[name=action][value=identify]").click()
    page.wait_for_url(server + "/")
    assert "You are logged in as Anna Andersson." in page.locator("main").inner_text()
