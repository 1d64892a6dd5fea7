"""My pension and the comparison in Chromium, logged in through the test identity provider:
both languages, axe on every state, the retirement age changed with htmx and without JavaScript."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import flat_salaries, make_employee, make_organisation


@pytest.fixture
def anna(app, db):
    app.config["FIXED_TODAY"] = "2023-04-20"
    organisation = make_organisation(db, name="Exempelby kommun")
    salaries = flat_salaries(2000, 2022, 420_000, growth="0.03")
    return make_employee(db, organisation, birth_date=date(1965, 3, 12), salaries=salaries,
                         ipr_1997=Decimal(24_000), ipr_1997_above_ceiling=Decimal(3_000),
                         given_name="Anna", family_name="Andersson",
                         fixed_monthly_salary_2022_12_31=Decimal(62_000))


def switch_to_english(page):
    page.get_by_role("button", name="In English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_my_pension_in_swedish_and_english_with_explanations_and_no_accessibility_violations(
    page, server, log_in, axe_check, anna
):
    log_in(page, anna.pnr, next="/min-pension")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min pension")
    expect(page.get_by_role("row", name=re.compile(r"^2020 .*Räknas"))).to_be_visible()
    axe_check(page)
    # Opening a "how was this calculated" shows the inputs, the parameters and the rule.
    pu = page.locator(".figure", has=page.get_by_text("Pensionsunderlag 2022"))
    pu.get_by_text("Hur har detta räknats ut?").click()
    expect(pu.get_by_text("Prisbasbelopp").first).to_be_visible()
    expect(pu.get_by_text(re.compile("^Regel: "))).to_be_visible()
    axe_check(page)
    # The explanation's own page (where the link leads without JavaScript) passes axe too.
    page.goto(server + pu.locator("details.explanation").first.get_attribute("hx-get"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pensionsunderlag: genomsnittet av de fem bästa av sju år")
    axe_check(page)
    page.go_back()

    switch_to_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My pension")
    expect(page.get_by_text("You may choose between KAP-KL and AKAP-KR")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Compare staying in KAP-KL with moving to AKAP-KR").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare KAP-KL and AKAP-KR")


@pytest.mark.parametrize(("lang", "heading", "age_label"), [
    ("sv", "Din månadspension från {age} år", "Pensionsålder"),
    ("en", "Your monthly pension from {age}", "Retirement age"),
])
def test_changing_the_retirement_age_updates_the_comparison_in_place_with_htmx(
    page, server, log_in, axe_check, anna, lang, heading, age_label
):
    log_in(page, anna.pnr, next="/min-pension/jamforelse")
    if lang == "en":
        switch_to_english(page)
    expect(page.locator("#result-heading")).to_have_text(heading.format(age=65))
    axe_check(page)
    page.evaluate("window.notReloaded = true")
    page.get_by_label(age_label, exact=True).select_option("62")
    expect(page.locator("#result-heading")).to_have_text(heading.format(age=62))
    assert page.evaluate("window.notReloaded === true"), "the page reloaded instead of swapping the fragment"
    assert "retirement_age=62" in page.url  # the address can be bookmarked and shared
    expect(page.locator("table.chart-data tr.chosen th")).to_contain_text("62")
    axe_check(page)

    # A value that cannot be used: a message linked to the field, the other values kept.
    growth = page.locator("#real_salary_growth")
    growth.fill("mycket")
    growth.press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(growth).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#result-heading")).to_have_text(heading.format(age=62))
    assert page.evaluate("window.notReloaded === true")
    axe_check(page)

    # Switching language keeps the comparison the person is looking at.
    if lang == "sv":
        switch_to_english(page)
        expect(page.locator("#result-heading")).to_have_text("Your monthly pension from 62")
        expect(page.locator("#real_salary_growth")).to_have_value("mycket")


def test_the_comparison_works_without_javascript(browser, server, anna, log_in):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, anna.pnr, next="/min-pension/jamforelse")
        expect(page.locator("#result-heading")).to_have_text("Din månadspension från 65 år")
        page.get_by_label("Pensionsålder", exact=True).select_option("67")
        page.locator("#real_return").fill("2,5")
        page.get_by_role("button", name="Uppdatera jämförelsen").click()
        page.wait_for_url(re.compile(r"retirement_age=67"))
        expect(page.locator("#result-heading")).to_have_text("Din månadspension från 67 år")
        expect(page.locator("#real_return")).to_have_value("2,5")
        expect(page.get_by_text("Real avkastning: 2,5 % per år")).to_be_visible()
    finally:
        context.close()


def test_an_explanation_opens_on_a_page_of_its_own_without_javascript(browser, server, anna, log_in):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        log_in(page, anna.pnr, next="/min-pension")
        pu = page.locator(".figure", has=page.get_by_text("Pensionsunderlag 2022"))
        pu.get_by_text("Hur har detta räknats ut?").click()
        pu.get_by_role("link", name=re.compile("^Visa beräkningen")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Pensionsunderlag: genomsnittet av de fem bästa av sju år")
        expect(page.get_by_text(re.compile("^Regel: "))).to_be_visible()
        page.get_by_role("link", name="Tillbaka till min pension").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Min pension")
    finally:
        context.close()
