"""A pension approval in Chromium: the employee applies from a date, the approver reads the
calculation basis, approves it with the letter to the employee, and the employee sees the outcome
and the letter. The monitoring pages are checked too. axe checks every page (Swedish)."""

from __future__ import annotations

import re
from datetime import date

from tests.factories import add_employer_role, flat_salaries, make_employee, make_organisation, make_person
from webapp.models import MonitoringSetting


def _logout(page):
    page.get_by_role("button", name=re.compile("Logga ut|Log out")).click()


def test_employee_applies_and_the_approver_approves_the_basis(app, page, server, db, log_in, axe_check):
    app.config["FIXED_TODAY"] = "2023-04-20"
    org = make_organisation(db, name="Exempelby kommun")
    employee = make_employee(db, org, birth_date=date(1962, 5, 10), salaries=flat_salaries(2005, 2022, 700_000),
                             start=date(1990, 1, 1), given_name="Ingrid", family_name="Pensionsson")
    approver = make_person(db, birth_date=date(1975, 1, 1), given_name="Anna", family_name="Attestant")
    add_employer_role(db, approver, org, "approver")
    db.add(MonitoringSetting(organisation_id=org.id, milestone="fap_earliest", notice_months=6))
    db.commit()

    # The employee applies, first with a date before the 61-year month.
    log_in(page, employee.pnr, next="/min-pension/ansok")
    page.goto(server + "/min-pension/ansok")
    assert page.get_by_role("heading", level=1).inner_text() == "Ansök om din pension"
    axe_check(page)
    page.get_by_label("Pensionen ska börja").fill("2023-04-01")
    page.get_by_role("button", name="Skicka ansökan").click()
    assert "Pensionen kan börja tidigast 1 maj 2023" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Pensionen ska börja").input_value() == "2023-04-01"
    axe_check(page)
    page.get_by_label("Pensionen ska börja").fill("2024-03-01")
    page.get_by_role("button", name="Skicka ansökan").click()
    assert "Din ansökan har skickats till din arbetsgivare." in page.locator("main").inner_text()
    _logout(page)

    # The approver sees the employee in the monitoring list and the application in the queue.
    log_in(page, approver.pnr, next="/arbetsgivare/pension/")
    page.goto(server + "/arbetsgivare/pension/")
    page.wait_for_url(f"**/arbetsgivare/pension/{org.id}/bevakning")
    assert "Ingrid Pensionsson" in page.locator("table").inner_text()
    axe_check(page)
    page.get_by_role("link", name="Inställningar för bevakning").click()
    axe_check(page)
    page.get_by_role("link", name="Pensionsansökningar").click()
    axe_check(page)
    page.get_by_role("link", name="Ingrid Pensionsson").click()
    assert "Beräkningsunderlag" in page.locator("main").inner_text()
    page.locator("details.explanation summary").first.click()
    axe_check(page)

    # Approving without choosing the letter's addressee is refused with a message.
    page.get_by_label("Godkänn beräkningsunderlaget").check()
    page.get_by_role("button", name="Registrera beslutet").click()
    assert "Välj vem som ska få pensionsbeslutet." in page.locator(".error-summary").inner_text()
    page.get_by_label("Godkänn beräkningsunderlaget").check()
    page.get_by_label("Den anställda (visas på den anställdas sida)").check()
    page.get_by_role("button", name="Registrera beslutet").click()
    assert "Pensionen godkändes." in page.locator("main").inner_text()
    assert "Godkänt av Anna Attestant" in page.locator("#decision").inner_text()
    axe_check(page)
    _logout(page)

    # The employee sees the outcome and downloads the letter.
    log_in(page, employee.pnr, next="/min-pension")
    page.goto(server + "/min-pension")
    assert page.locator("#pension-application-status").inner_text() == "Godkänt"
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ditt pensionsbeslut (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
