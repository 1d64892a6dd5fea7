"""A pre-calculation in Chromium: a staff member finds an employee, simulates retirement at 63,
saves the pre-calculation, reopens it and downloads the pension letter; the employee then finds it
under My pension. axe passes in Swedish."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests.choice_factories import make_person
from tests.factories import add_employer_role, make_organisation
from tests.factories import make_person as make_plain_person


def test_staff_simulates_saves_reopens_and_downloads_the_letter(app, db, page, server, log_in, axe_check):
    app.config["FIXED_TODAY"] = "2025-03-14"
    org = make_organisation(db, name="Exempelby kommun")
    anna = make_person(db, org, birth=date(1962, 5, 17), given_name="Anna", family_name="Lindqvist")
    staff = make_plain_person(db, birth_date=date(1980, 1, 5), given_name="Hanna", family_name="Handläggare")
    add_employer_role(db, staff, org, "handler")

    log_in(page, staff.pnr, next=f"/arbetsgivare/forhandsberakning/{org.id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsberäkningar för anställda vid Exempelby kommun")
    axe_check(page)
    page.get_by_label("Namn eller personnummer").fill("Lindqvist")
    page.get_by_role("button", name="Hitta den anställda").click()
    page.get_by_role("link", name="Lindqvist, Anna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsberäkning för Anna Lindqvist")
    axe_check(page)

    summary = page.locator(".simulation-summary")
    at_65 = summary.inner_text()
    page.get_by_label("Anteckning (frivillig)").fill("Inför samtal om pensionsavgång")
    page.get_by_label("Pensionsålder").select_option("63")  # htmx swaps the result in place
    expect(summary).not_to_have_text(at_65)
    at_63 = summary.inner_text()
    assert "63" in page.url
    expect(page.get_by_label("Anteckning (frivillig)")).to_have_value("Inför samtal om pensionsavgång")
    page.get_by_role("button", name="Spara förhandsberäkningen").click()

    page.wait_for_url(re.compile(r"/sparad/\d+$"))
    expect(page.get_by_text("Förhandsberäkningen sparades.")).to_be_visible()
    expect(page.locator(".simulation-summary")).to_have_text(at_63)  # what was shown is what was saved
    expect(page.get_by_text("Inför samtal om pensionsavgång")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Alla sparade förhandsberäkningar").click()
    page.get_by_role("link", name=re.compile("öppna förhandsberäkning")).first.click()
    expect(page.locator(".simulation-summary")).to_have_text(at_63)
    page.get_by_label("Arbetsgivaren (arkivexemplar)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner pensionsbrevet").click()
    letter = download.value
    assert letter.suggested_filename.endswith(".pdf")
    assert open(letter.path(), "rb").read(4) == b"%PDF"

    page.context.clear_cookies()
    log_in(page, anna.pnr, next="/min-pension")
    page.get_by_role("link", name="Mina förhandsberäkningar").click()
    page.get_by_role("link", name=re.compile("öppna förhandsberäkning")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsberäkning från Exempelby kommun")
    expect(page.locator(".simulation-summary")).to_have_text(at_63)
    expect(page.get_by_text("Inför samtal om pensionsavgång")).to_have_count(0)  # the staff's note stays theirs
    axe_check(page)
