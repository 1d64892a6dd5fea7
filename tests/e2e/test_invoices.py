"""Contribution invoices in Chromium: an approver opens the specification of a half-year from the
list of periods and downloads it as CSV; axe passes on both pages in Swedish."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.register_support import ANNA, STAFF, employee, organisation, staff
from webapp.models import AgreementMembership


@pytest.fixture
def app(app):
    app.config.update(FIXED_TODAY="2024-01-10", IMPORT_WORKER="off")
    return app


def test_approver_opens_a_specification_and_downloads_it_as_csv(page, server, db, log_in, axe_check, tmp_path):
    org = organisation(db)
    staff(db, org, STAFF, role="approver")
    anna = employee(db, org, ANNA, {2023: "360000"})
    db.add(AgreementMembership(person_id=anna.id, agreement="AKAP-KR", valid_from=date(2023, 1, 1)))
    db.commit()

    log_in(page, STAFF, next=f"/arbetsgivare/fakturor/{org.id}/")
    page.goto(server + f"/arbetsgivare/fakturor/{org.id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avgiftsfakturor")
    axe_check(page)

    page.get_by_role("link", name="januari–juni 2023").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fakturaspecifikation: januari–juni 2023")
    rows = page.get_by_role("table", name="Belopp per anställd")
    expect(rows.get_by_role("row", name=re.compile("Anna Andersson"))).to_contain_text("10\u00a0800,00")
    expect(page.get_by_text(re.compile("Totalt att betala: 13\u00a0420,08"))).to_be_visible()
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Fakturaspecifikation som CSV").click()
    target = tmp_path / "specifikation.csv"
    download_info.value.save_as(target)
    text = target.read_bytes().decode("utf-8-sig")
    assert f"{ANNA};Anna Andersson;AKAP-KR-avgift;2023-1;Nej;180000,00;10800,00;0;2620,08;13420,08" in text
