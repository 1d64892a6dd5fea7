"""Contribution invoices on the employer pages: by organisation only, totals that add up, corrections
on the next invoice after a late salary change, CSV and Excel downloads (issue 9)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from domain.invoice import Period
from tests.employer_factories import make_choice
from tests.employer_factories import make_pnr as valid_pnr
from tests.explanation_support import ExplanationNames
from tests.register_support import ANNA, BERTIL, OTHER_STAFF, STAFF, employee, organisation, person, staff
from webapp.models import AgreementMembership, AuditEntry, Invoice, SalaryYear
from webapp.services import invoices
from webapp.services.closures import schedule_closure

JULY = datetime(2023, 7, 10, 9, 0, tzinfo=UTC)
JANUARY = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(app, db):
    app.config.update(FIXED_NOW=JULY.isoformat(), IMPORT_WORKER="off")
    here, there = organisation(db), organisation(db, "2120000002", "Exempelstad kommun")
    anna = employee(db, here, ANNA, {2023: "360000"})
    bertil = employee(db, here, BERTIL, {2023: "600000"}, given="Bertil", family="Berg")
    cecilia = employee(db, here, valid_pnr(date(1960, 5, 10), 981), {2023: "700000"}, given="Cecilia",
                       family="Carlsson")
    outsider = employee(db, there, valid_pnr(date(1970, 1, 1), 982), {2023: "500000"}, given="Olle",
                        family="Utomstående")
    db.add_all([AgreementMembership(person_id=anna.id, agreement="AKAP-KR", valid_from=date(2023, 1, 1)),
                AgreementMembership(person_id=bertil.id, agreement="KAP-KL", valid_from=date(2001, 1, 1)),
                AgreementMembership(person_id=cecilia.id, agreement="KAP-KL", valid_from=date(2001, 1, 1))])
    db.commit()
    make_choice(db, cecilia, here, agreement="AKAP-KR", status="approved")
    return {"here": here, "there": there, "anna": anna, "bertil": bertil, "cecilia": cecilia,
            "outsider": outsider, "approver": staff(db, here, STAFF, role="approver"),
            "other": staff(db, there, OTHER_STAFF)}


def url(org, period="2023-1", tail=""):
    return f"/arbetsgivare/fakturor/{org.id}/{period}/{tail}"


def test_staff_see_only_their_own_organisations_invoices(client, login_as, world):
    assert client.get(url(world["here"])).status_code == 302  # to the login
    login_as(world["other"])
    for path in (url(world["here"]), url(world["here"], tail="fakturaspecifikation.csv"),
                 url(world["here"], tail=str(world["anna"].id)), f"/arbetsgivare/fakturor/{world['here'].id}/"):
        assert client.get(path).status_code == 404, path
    own = client.get(url(world["there"], "2023-2")).get_data(as_text=True)  # his KAP-KL DC part
    assert "Utomstående" in own and "Andersson" not in own
    # An employee of another organisation under this organisation's id: 404.
    assert client.get(url(world["there"], tail=str(world["anna"].id))).status_code == 404
    for bad in ("2023-3", "2022-2", "2024-1", "x"):  # not a period, before the first, not begun yet
        assert client.get(url(world["there"], bad)).status_code == 404


def test_first_half_of_2023_by_hand_and_totals_are_the_sum_of_the_lines(client, login_as, db, world):
    """IBB 2023 = 74 300: 3.75 IBB = 278 625. Anna (AKAP-KR) 180 000 × 6 % = 10 800.00, tax 2 620.08.
    Cecilia chose AKAP-KR (born 1960): 350 000 → 6 % × 278 625 + 31.5 % × 71 375 = 39 200.625 → 39 200.63,
    tilläggsavgift 1.0 % × 278 625 + 8.5 % × 71 375 = 8 853.125 → 8 853.13; tax 9 510.07 and 2 147.77.
    Bertil (KAP-KL) owes his DC part with the second half-year only."""
    spec = invoices.specification(db, world["here"], Period(2023, 1))
    lines = {(row.name, row.line.kind): row.line for row in spec.rows}
    assert {key: (line.contribution, line.payroll_tax) for key, line in lines.items()} == {
        ("Anna Andersson", "akapkr"): (Decimal("10800.00"), Decimal("2620.08")),
        ("Cecilia Carlsson", "akapkr"): (Decimal("39200.63"), Decimal("9510.07")),
        ("Cecilia Carlsson", "tillaggsavgift"): (Decimal("8853.13"), Decimal("2147.77")),
    }
    assert spec.total == sum(line.contribution + line.payroll_tax for line in lines.values()) == Decimal("73131.68")
    assert sum(t.total for t in spec.totals) == spec.total
    login_as(world["approver"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(url(world["here"])).get_data(as_text=True)
    assert "SEK\u00a073,131.68" in page and "Bertil" not in page and ANNA not in page
    second = invoices.specification(db, world["here"], Period(2023, 2))
    assert [(r.name, r.line.kind, r.line.contribution) for r in second.rows if r.name.startswith("Bertil")] == [
        ("Bertil Berg", "kapkl_dc", Decimal("27000.00"))]


def test_a_salary_changed_after_issuing_is_corrected_on_the_next_invoice(app, client, login_as, db, world,
                                                                          csrf_token):
    login_as(world["approver"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_token(url(world["here"]))
    response = client.post(url(world["here"], tail="utfarda"), data={"csrf_token": token})
    assert response.status_code == 303
    issued = db.exec(select(Invoice)).one()
    assert (issued.year, issued.half, issued.issued_by_id) == (2023, 1, world["approver"].id)
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "invoice_issued")).one()
    # Anna's 2023 salary is raised after the cut-off: 420 000 → 210 000 in the first half.
    salary = db.exec(select(SalaryYear).where(SalaryYear.person_id == world["anna"].id)).one()
    salary.amount = Decimal("420000")
    db.add(salary)
    db.commit()
    first = invoices.specification(db, world["here"], Period(2023, 1))
    assert [r.line.contribution for r in first.rows if r.name == "Anna Andersson"] == [Decimal("10800.00")]
    app.config["FIXED_NOW"] = JANUARY.isoformat()
    second = invoices.specification(db, world["here"], Period(2023, 2))
    (fix,) = [row.line for row in second.rows if row.line.correction]
    assert (fix.period, fix.kind, fix.contribution, fix.payroll_tax) == (
        Period(2023, 1), "akapkr", Decimal("1800.00"), Decimal("436.68"))  # 12 600 − 10 800; 3 056.76 − 2 620.08
    assert [t.total for t in second.correction_totals] == [Decimal("2236.68")]
    page = client.get(url(world["here"], "2023-2")).get_data(as_text=True)
    assert "Corrections of earlier periods" in page and "January–June 2023" in page and "Correction" in page


def test_invoices_are_issued_once_in_order_after_the_period_and_by_approvers_only(app, client, login_as, db,
                                                                                    world, csrf_token):
    login_as(world["approver"])
    token = csrf_token(url(world["here"]))
    assert client.post(url(world["here"], "2023-2", "utfarda"), data={"csrf_token": token}).status_code == 303
    assert db.exec(select(Invoice)).all() == []  # 2023-2 has not ended
    app.config["FIXED_NOW"] = JANUARY.isoformat()
    client.post(url(world["here"], "2023-2", "utfarda"), data={"csrf_token": token})
    assert db.exec(select(Invoice)).all() == []  # 2023-1 first
    client.post(url(world["here"], "2023-1", "utfarda"), data={"csrf_token": token})
    client.post(url(world["here"], "2023-1", "utfarda"), data={"csrf_token": token})
    assert len(db.exec(select(Invoice)).all()) == 1
    handler = staff(db, world["here"], valid_pnr(date(1980, 2, 2), 983))
    login_as(handler)
    token = csrf_token(url(world["here"]))
    assert client.post(url(world["here"], "2023-2", "utfarda"), data={"csrf_token": token}).status_code == 403
    assert len(db.exec(select(Invoice)).all()) == 1


def test_csv_and_excel_hold_every_line_with_the_full_identity_number_and_are_audited(client, login_as, db, world):
    login_as(world["approver"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(url(world["here"], tail="fakturaspecifikation.csv"))
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig").splitlines()
    assert text[0].startswith("Personal identity number;Name;Kind;Period;Correction")
    assert f"{ANNA};Anna Andersson;AKAP-KR contribution;2023-1;No;180000,00;10800,00;0;2620,08;13420,08" in text
    assert len(text) == 1 + 3
    xlsx = client.get(url(world["here"], tail="fakturaspecifikation.xlsx"))
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "Cecilia Carlsson" in sheet and "8853.13" in sheet and "Utomstående" not in sheet
    audits = db.exec(select(AuditEntry).where(AuditEntry.action == "invoice_downloaded")).all()
    assert [json.loads(a.details)["format"] for a in audits] == ["csv", "xlsx"]


def test_the_small_amount_rule_shows_as_paid_as_salary_not_invoiced(db, world):
    """Skandikon [S31]: 2023 limit 0.75 % × 74 300 = 557.25; 9 000 a half-year × 6 % = 540 is paid as salary."""
    young = person(db, valid_pnr(date(2000, 1, 1), 984), "Ung", "Sommarjobbare")
    db.add_all([SalaryYear(person_id=young.id, organisation_id=world["here"].id, year=2023, amount=Decimal("18000")),
                AgreementMembership(person_id=young.id, agreement="AKAP-KR", valid_from=date(2023, 1, 1))])
    db.commit()
    spec = invoices.specification(db, world["here"], Period(2023, 1))
    (line,) = [row.line for row in spec.rows if row.person_id == young.id]
    assert (line.contribution, line.paid_as_salary, line.total) == (0, Decimal("540.00"), 0)


def test_downloads_work_before_and_during_a_closure_and_issuing_waits(app, client, login_as, db, world, csrf_token):
    login_as(world["approver"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_token(url(world["here"]))
    schedule_closure(db, JULY + timedelta(hours=2), JULY + timedelta(hours=6), announce_hours=48)
    before = client.get(url(world["here"]))
    assert "can be downloaded before and during the closure" in before.get_data(as_text=True)
    assert client.get(url(world["here"], tail="fakturaspecifikation.csv")).status_code == 200
    app.config["FIXED_NOW"] = (JULY + timedelta(hours=3)).isoformat()
    assert client.get(url(world["here"], tail="fakturaspecifikation.csv")).status_code == 200
    assert client.get(url(world["here"], tail="fakturaspecifikation.xlsx")).status_code == 200
    refused = client.post(url(world["here"], tail="utfarda"), data={"csrf_token": token})
    assert refused.status_code == 503 and "Retry-After" in refused.headers
    assert db.exec(select(Invoice)).all() == []


def test_every_rule_and_input_of_an_invoice_explanation_has_a_translated_name(app, db, world):

    seen = ExplanationNames()

    for who in (world["anna"], world["bertil"], world["cecilia"]):
        for period in (Period(2023, 1), Period(2023, 2)):
            _person, _cover, lines = invoices.employee_lines(db, world["here"], period, who.id)
            for line in lines:
                seen.walk(line.explanation)
    assert {"invoice_line", "akapkr_contribution", "tillaggsavgift", "kapkl_dc_contribution"} <= seen.rules
    seen.assert_all_named(app)


def test_the_employee_page_explains_each_amount(client, login_as, world):
    login_as(world["approver"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(url(world["here"], tail=str(world["cecilia"].id))).get_data(as_text=True)
    assert "Chose AKAP-KR in 2023" in page
    assert "Special payroll tax on pension costs" in page and "24.26" in page
    assert "How was this calculated?" in page


def test_an_invoice_is_not_issued_while_an_employees_amounts_cannot_be_computed(app, db, world, monkeypatch):
    from domain import MissingParameter

    original = invoices.invoice_lines

    def missing_for_anna(history, period, **kwargs):
        if history.birth_date == world["anna"].birth_date:
            raise MissingParameter("inkomstbasbelopp", period.start)
        return original(history, period, **kwargs)

    monkeypatch.setattr(invoices, "invoice_lines", missing_for_anna)
    spec = invoices.specification(db, world["here"], Period(2023, 1))
    assert spec.missing == ["Anna Andersson"]
    with pytest.raises(invoices.InvoiceError) as refused:
        invoices.issue(db, world["here"], Period(2023, 1), actor_id=world["approver"].id, now=JULY)
    assert refused.value.code == "incomplete"
    assert db.exec(select(Invoice)).all() == []


def test_the_unconfirmed_tillaggsavgift_table_is_flagged_on_the_specification(client, login_as, world):
    login_as(world["approver"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "are not confirmed by our sources" in client.get(url(world["here"])).get_data(as_text=True)
    # Olle's organisation has no chooser: no caveat there.
    login_as(world["other"])
    there = client.get(url(world["there"], "2023-2"))
    assert there.status_code == 200 and "Utomstående" in there.get_data(as_text=True)
    assert "are not confirmed by our sources" not in there.get_data(as_text=True)
