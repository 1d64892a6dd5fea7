"""The register in Chromium: a staff member sends a salary file, watches its progress and reads
the return report, then changes a salary inline; axe passes in Swedish and in English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.register_support import ANNA, STAFF, csv_file, employee, organisation, staff


@pytest.fixture
def app(app):
    app.config.update(IMPORT_WORKER="off")  # the test starts the worker itself
    return app


@pytest.fixture
def world(db):
    org = organisation(db)
    staff(db, org, STAFF)
    anna = employee(db, org, ANNA, {2020: "590000", 2021: "600000", 2022: "610000"})
    return {"org": org, "anna": anna}


def test_upload_shows_progress_then_the_return_report(app, page, server, log_in, axe_check, world, tmp_path):
    files_url = f"/arbetsgivare/register/{world['org'].id}/filer"
    log_in(page, STAFF, next=files_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lönefiler")
    axe_check(page)
    sample = tmp_path / "lon-2023.csv"
    sample.write_bytes(csv_file(
        f"{ANNA};Anna;Andersson;2023;\"990 000,00\";manad;;100;2001-01-01;",  # a jump: a warning
        "19720815-9835;Bertil;Berg;2022;\"214 500,50\";timme;\"429 001,00\";50;2010-03-01;",
        encoding="cp1252"))
    page.get_by_label("Lönefil (CSV)").set_input_files(str(sample))
    page.get_by_role("button", name="Skicka filen").click()
    page.wait_for_url(re.compile(r"/filer/\d+$"))
    expect(page.get_by_text("Väntar på att bearbetas.")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    axe_check(page)

    app.config["IMPORT_WORKER"] = "thread"  # the next poll of the progress fragment starts the worker
    report = page.get_by_role("heading", name="Återrapport")
    expect(report).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Klar med varningar").first).to_be_visible()
    stats = page.get_by_role("table", name="Statistik")
    expect(stats.get_by_role("row", name=re.compile("Lästa rader"))).to_contain_text("2")
    expect(stats.get_by_role("row", name=re.compile("Skapade personer"))).to_contain_text("1")
    warnings = page.get_by_role("table", name=re.compile("Varningar"))
    expect(warnings).to_contain_text("skiljer sig med mer än hälften")
    axe_check(page)

    page.get_by_role("button", name="In English").click()
    expect(page.get_by_role("heading", name="Return report")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Warnings"))).to_contain_text("differs by more than half")
    axe_check(page)
    page.get_by_role("link", name="All sent files").click()
    expect(page.get_by_role("table", name="Sent files")).to_contain_text("Done with warnings")
    axe_check(page)


def test_a_salary_is_changed_inline_and_the_history_shows_the_previous_value(page, server, log_in, axe_check, world):
    person_url = f"/arbetsgivare/register/{world['org'].id}/person/{world['anna'].id}"
    log_in(page, STAFF, next=person_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Andersson")
    axe_check(page)
    before = page.locator("#figure-pensionsunderlag").inner_text()
    page.get_by_role("link", name="Ändra lönen för 2022").click()
    amount = page.locator("tr.editing").get_by_label("Pensionsgrundande lön för året (kr)")
    expect(amount).to_be_visible()
    assert page.url.endswith(person_url)  # edited in place, no page change
    axe_check(page)
    amount.fill("700 000,00")
    page.locator("tr.editing").get_by_role("button", name="Spara").click()
    row = page.get_by_role("row", name=re.compile("^2022"))
    expect(row).to_contain_text("700 000,00 kr")
    expect(page.locator("#history")).to_contain_text("Lönår ändrat")
    expect(page.locator("#history")).to_contain_text("610000.00")
    assert page.locator("#figure-pensionsunderlag").inner_text() != before
    axe_check(page)

    page.get_by_role("button", name="In English").click()
    expect(page.get_by_role("heading", name="History of changes")).to_be_visible()
    page.get_by_role("link", name="Change salary for 2021").click()
    page.locator("tr.editing").get_by_label("Pensionable salary for the year (SEK)").fill("-5")
    page.locator("tr.editing").get_by_role("button", name="Save").click()
    expect(page.get_by_text("The salary cannot be negative.")).to_be_visible()
    axe_check(page)


def test_the_employee_list_searches_as_you_type_and_finds_by_pnr(page, server, log_in, axe_check, world, db):
    employee(db, world["org"], "198001019846", given="Cecilia", family="Claesson")
    list_url = f"/arbetsgivare/register/{world['org'].id}/"
    log_in(page, STAFF, next=list_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Anställda vid Exempelby kommun")
    axe_check(page)
    page.get_by_label("Sök på namn").fill("clae")
    expect(page.get_by_role("link", name="Andersson, Anna")).to_have_count(0)
    expect(page.get_by_role("link", name="Claesson, Cecilia")).to_be_visible()
    page.get_by_role("button", name="In English").click()
    page.get_by_label("Personal identity number").fill("19650312-9824")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Andersson")
    assert "9824" not in page.url
    axe_check(page)
