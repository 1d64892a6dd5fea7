"""The pension simulation in Chromium: change the retirement age and see the figures change in
place (htmx), a bad value kept with its message, axe in Swedish and in English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import flat_salaries, make_employee, make_organisation


@pytest.fixture
def anna(app, db):
    app.config["FIXED_TODAY"] = "2023-04-20"
    organisation = make_organisation(db, name="Exempelby kommun")
    return make_employee(db, organisation, birth_date=date(1965, 3, 12), salaries=flat_salaries(2000, 2022, 700_000),
                         ipr_1997=Decimal(24_000), ipr_1997_above_ceiling=Decimal(0), given_name="Anna",
                         family_name="Andersson", fixed_monthly_salary_2022_12_31=Decimal(60_000))


def total(page) -> str:
    return page.locator(".simulation-table tfoot tr.total td").first.inner_text()


@pytest.mark.parametrize(("lang", "heading", "age_label", "bad"), [
    ("sv", "Din pension per månad från {age} år i KAP-KL", "Pensionsålder", "Välj en av de andelar som erbjuds"),
    ("en", "Your monthly pension from {age} under KAP-KL", "Retirement age", "Choose one of the shares offered"),
])
def test_changing_the_age_updates_the_simulation_in_place(page, server, log_in, axe_check, anna, lang, heading,
                                                         age_label, bad):
    log_in(page, anna.pnr, next="/min-pension/simulering")
    if lang == "en":
        page.get_by_role("button", name="In English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#simulation-heading")).to_have_text(heading.format(age=65))
    at_65 = total(page)
    axe_check(page)

    page.evaluate("window.notReloaded = true")
    page.get_by_label(age_label, exact=True).select_option("61")
    expect(page.locator("#simulation-heading")).to_have_text(heading.format(age=61))
    assert page.evaluate("window.notReloaded === true"), "the page reloaded instead of swapping the fragment"
    assert "retirement_age=61" in page.url
    assert total(page) != at_65
    axe_check(page)

    # AKAP-KR takes out the whole pension only: a half share is refused and kept.
    page.goto(server + "/min-pension/simulering?agreement=AKAP-KR&withdrawal_share=0.5")
    expect(page.locator(".error-summary")).to_contain_text(bad)
    expect(page.locator("#field-withdrawal_share")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-withdrawal_share")).to_have_value("0.5")
    axe_check(page)
