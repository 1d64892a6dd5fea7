"""The pension liability in Chromium: a handler makes the first calculation, changes the discount
rate in the what-if and sees the total recomputed in place, reads the individual list and one
person's reserve; axe passes on every page in Swedish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.liability_support import TODAY, liability_world


@pytest.fixture
def world(app, db):
    app.config["FIXED_TODAY"] = TODAY
    return liability_world(db)


def _kronor(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_a_handler_calculates_and_a_what_if_changes_the_total(page, server, log_in, axe_check, world):
    log_in(page, world.handler.pnr, next=f"/arbetsgivare/pensionsskuld/{world.org.id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pensionsskuld för Exempelby kommun")
    expect(page.get_by_text("Ingen pensionsskuld har beräknats")).to_be_visible()
    axe_check(page)

    expect(page.get_by_label("Beräkningsdag")).to_have_value("2022-12-31")
    page.get_by_label("Namn på beräkningen (frivilligt)").fill("Bokslut 2022")
    page.get_by_role("button", name="Beräkna pensionsskulden").click()
    page.wait_for_url(re.compile(r"/berakning/\d+$"))
    # Calculated in the background: the progress polls until the page with the result loads.
    totals = page.get_by_role("table", name="Pensionsskuld efter när den tjänades in")
    expect(totals).to_be_visible(timeout=20_000)
    expect(page.get_by_text("enligt RIPS för 3 personer")).to_be_visible()
    saved_total = _kronor(totals.locator("[data-total=reserve]").inner_text())
    assert saved_total > 0
    axe_check(page)

    page.get_by_role("navigation", name="Pensionsskuld").get_by_role("link", name="Tänk om?").click()
    expect(page.get_by_role("heading", name="Antaganden")).to_be_visible()
    total = page.locator("#what-if-total .figure-amount")
    assert _kronor(total.inner_text()) == saved_total  # the saved assumptions give the saved total
    axe_check(page)

    page.evaluate("window.notReloaded = true")
    rate = page.get_by_label("Diskonteringsränta (real, procent per år)")
    rate.fill("3")
    page.get_by_role("button", name="Räkna om").click()
    expect(page).to_have_url(re.compile(r"discount_rate=3"))
    expect(total).not_to_have_text(re.compile(f"^{saved_total:,}".replace(",", r"\s")))
    assert _kronor(total.inner_text()) < saved_total  # a higher rate, a lower present value
    expect(page.get_by_text("Sparad beräkning:")).to_contain_text("Skillnad: -")
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the result in place
    axe_check(page)

    rate.fill("-1")
    page.get_by_role("button", name="Räkna om").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Diskonteringsräntan kan inte vara lägre än 0 procent")
    expect(rate).to_have_value("-1")
    expect(page.locator("#what-if-total")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="Individlista").click()
    list_table = page.get_by_role("table", name="3 personer")
    expect(list_table).to_be_visible()
    axe_check(page)
    page.get_by_label("Sök på namn").fill("fribrev")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("table", name=re.compile("1 personer matchar"))).to_be_visible()
    assert "fribrev" not in page.url.lower()
    page.get_by_role("link", name="Bengtsson, Fribrev").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pensionsreserv för Fribrev Bengtsson")
    page.locator("summary").first.click()
    expect(page.get_by_text("Pensionsreserv enligt RIPS").first).to_be_visible()
    axe_check(page)
