"""The register pages: scoped to the staff member's organisations, CSRF-protected, usable without
JavaScript and inline with htmx; personal identity numbers never in a URL."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.register_support import ANNA, BERTIL, OTHER_STAFF, csv_file, employee, organisation, staff
from webapp.models import AuditEntry, ImportFile, Person, SalaryYear


@pytest.fixture
def app(app):
    app.config.update(FIXED_TODAY="2023-04-20", IMPORT_WORKER="off")
    return app


@pytest.fixture
def world(db):
    here = organisation(db)
    there = organisation(db, "2120000002", "Exempelstad kommun")
    member = staff(db, here)
    anna = employee(db, here, ANNA, {2020: "500000", 2021: "510000", 2022: "520000"})
    bertil = employee(db, there, BERTIL, {2022: "300000"})
    return {"here": here, "there": there, "staff": member, "anna": anna, "bertil": bertil}


def person_url(org, person):
    return f"/arbetsgivare/register/{org.id}/person/{person.id}"


def test_staff_sees_own_employees_and_not_another_organisations(client, login_as, world):
    login_as(world["staff"])
    page = client.get(f"/arbetsgivare/register/{world['here'].id}/").get_data(as_text=True)
    assert "Andersson, Anna" in page
    assert client.get(f"/arbetsgivare/register/{world['there'].id}/").status_code == 404
    assert client.get(person_url(world["there"], world["bertil"])).status_code == 404
    # An employee of the other organisation reached through one's own organisation's id: 404 too.
    assert client.get(person_url(world["here"], world["bertil"])).status_code == 404


def test_an_employee_without_staff_role_gets_404(client, login_as, world):
    login_as(world["anna"])
    assert client.get(f"/arbetsgivare/register/{world['here'].id}/").status_code == 404


def test_a_row_of_another_organisation_cannot_be_edited_through_own_person(client, login_as, db, world, csrf_token):
    login_as(world["staff"])
    bertil_salary = db.exec(select(SalaryYear).where(SalaryYear.person_id == world["bertil"].id)).one()
    url = f"{person_url(world['here'], world['anna'])}/lon/{bertil_salary.id}/andra"
    assert client.get(url).status_code == 404
    token = csrf_token(person_url(world["here"], world["anna"]))
    response = client.post(url, data={"csrf_token": token, f"salary-{bertil_salary.id}-year": "2022",
                                      f"salary-{bertil_salary.id}-amount": "1"})
    assert response.status_code == 404
    db.refresh(bertil_salary)
    assert bertil_salary.amount == Decimal("300000")


def test_name_search_filters_the_list(client, login_as, db, world):
    employee(db, world["here"], "198001019846", given="Cecilia", family="Claesson")
    login_as(world["staff"])
    everyone = client.get(f"/arbetsgivare/register/{world['here'].id}/").get_data(as_text=True)
    assert "Andersson, Anna" in everyone and "Claesson, Cecilia" in everyone
    page = client.get(f"/arbetsgivare/register/{world['here'].id}/?namn=ann").get_data(as_text=True)
    assert "Andersson, Anna" in page and "Claesson" not in page


def test_pnr_search_is_a_post_and_redirects_to_the_person_by_id(client, login_as, world, csrf_token):
    login_as(world["staff"])
    token = csrf_token(f"/arbetsgivare/register/{world['here'].id}/")
    response = client.post(f"/arbetsgivare/register/{world['here'].id}/sok",
                           data={"csrf_token": token, "pnr": "19650312-9824"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(person_url(world["here"], world["anna"]))
    assert ANNA not in response.headers["Location"]


def test_pnr_search_explains_a_wrong_check_digit_next_to_the_field(client, login_as, world, csrf_token):
    login_as(world["staff"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_token(f"/arbetsgivare/register/{world['here'].id}/")
    response = client.post(f"/arbetsgivare/register/{world['here'].id}/sok",
                           data={"csrf_token": token, "pnr": "196503129825"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "check digit" in page
    assert 'aria-describedby="pnr-hint pnr-error"' in page


def test_pnr_search_does_not_find_another_organisations_employee(client, login_as, world, csrf_token):
    login_as(world["staff"])
    token = csrf_token(f"/arbetsgivare/register/{world['here'].id}/")
    response = client.post(f"/arbetsgivare/register/{world['here'].id}/sok",
                           data={"csrf_token": token, "pnr": BERTIL})
    assert response.status_code == 400


def test_posts_without_csrf_token_are_refused(client, login_as, world, db):
    login_as(world["staff"])
    salary = db.exec(select(SalaryYear).where(SalaryYear.person_id == world["anna"].id, SalaryYear.year == 2022)).one()
    url = f"{person_url(world['here'], world['anna'])}/lon/{salary.id}/andra"
    assert client.post(url, data={f"salary-{salary.id}-year": "2022", f"salary-{salary.id}-amount": "1"}).status_code == 400
    upload = client.post(f"/arbetsgivare/register/{world['here'].id}/filer",
                         data={"file": (io.BytesIO(b"x"), "a.csv")}, content_type="multipart/form-data")
    assert upload.status_code == 400
    db.refresh(salary)
    assert salary.amount == Decimal("520000")
    assert db.exec(select(ImportFile)).all() == []


def test_inline_edit_returns_the_row_and_updates_figures_and_history(client, login_as, db, world, csrf_token):
    login_as(world["staff"])
    salary = db.exec(select(SalaryYear).where(SalaryYear.person_id == world["anna"].id, SalaryYear.year == 2022)).one()
    url = f"{person_url(world['here'], world['anna'])}/lon/{salary.id}/andra"
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<tr id="salary-{salary.id}"')
    assert 'hx-post="' in fragment
    token = csrf_token(person_url(world["here"], world["anna"]))
    response = client.post(url, headers={"HX-Request": "true"}, data={
        "csrf_token": token, f"salary-{salary.id}-year": "2022", f"salary-{salary.id}-amount": "612 345,50"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<tr id="salary-{salary.id}">' in body
    assert response.headers["HX-Trigger"] == "register-changed"  # figures and history reload themselves
    history = client.get(f"{person_url(world['here'], world['anna'])}/del/historik", headers={"HX-Request": "true"})
    assert "612345.50" in history.get_data(as_text=True)
    db.refresh(salary)
    assert salary.amount == Decimal("612345.50")
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "register.salary.changed")).one()
    details = json.loads(entry.details)
    assert entry.actor_id == world["staff"].id
    assert details["before"]["amount"] == "520000.00"
    assert details["after"]["amount"] == "612345.50"


def test_edit_without_javascript_redirects_to_the_person_page(client, login_as, db, world, csrf_token):
    login_as(world["staff"])
    salary = db.exec(select(SalaryYear).where(SalaryYear.person_id == world["anna"].id, SalaryYear.year == 2022)).one()
    url = f"{person_url(world['here'], world['anna'])}/lon/{salary.id}/andra"
    assert "<form" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(url), f"salary-{salary.id}-year": "2022",
                                      f"salary-{salary.id}-amount": "530000"})
    assert response.status_code == 303
    page = client.get(person_url(world["here"], world["anna"])).get_data(as_text=True)
    assert "530" in page and ("Salary year changed" in page or "Lönår ändrat" in page)


def test_negative_salary_is_refused_with_a_message_linked_to_the_field(client, login_as, db, world, csrf_token):
    login_as(world["staff"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = f"{person_url(world['here'], world['anna'])}/lon/ny"
    response = client.post(url, data={"csrf_token": csrf_token(person_url(world["here"], world["anna"])),
                                      "new-salary-year": "2023", "new-salary-amount": "-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The salary cannot be negative." in page
    assert 'aria-describedby="new-salary-amount-hint new-salary-amount-error"' in page
    assert db.exec(select(SalaryYear).where(SalaryYear.year == 2023)).all() == []


def test_hourly_paid_salary_needs_the_full_time_equivalent(client, login_as, db, world, csrf_token):
    login_as(world["staff"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page_url = person_url(world["here"], world["anna"])
    token = csrf_token(page_url)
    added = client.post(f"{page_url}/anstallning/ny", data={
        "csrf_token": token, "new-employment-start_date": "2023-01-01", "new-employment-pay_type": "hourly",
        "new-employment-degree": "50"})
    assert added.status_code == 303
    response = client.post(f"{page_url}/lon/ny", data={"csrf_token": token, "new-salary-year": "2023",
                                                       "new-salary-amount": "100000"})
    assert "converted to full time" in response.get_data(as_text=True)
    ok = client.post(f"{page_url}/lon/ny", data={"csrf_token": token, "new-salary-year": "2023",
                                                 "new-salary-amount": "100000",
                                                 "new-salary-full_time_amount": "200 000,00"})
    assert ok.status_code == 303


@pytest.mark.parametrize(("fields", "message"), [
    ({"new-employment-start_date": "2023-02-30", "new-employment-degree": "100"}, "Write a real date"),
    ({"new-employment-start_date": "2023-03-01", "new-employment-end_date": "2023-02-01",
      "new-employment-degree": "100"}, "The last day cannot be before the first day."),
    ({"new-employment-start_date": "2023-03-01", "new-employment-degree": "101"}, "at most 100"),
    ({"new-employment-start_date": "2023-03-01", "new-employment-degree": "0"}, "above 0"),
])
def test_employment_validation_explains_itself(client, login_as, world, csrf_token, fields, message):
    login_as(world["staff"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page_url = person_url(world["here"], world["anna"])
    response = client.post(f"{page_url}/anstallning/ny", data={
        "csrf_token": csrf_token(page_url), "new-employment-pay_type": "monthly", **fields})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_new_employee_with_valid_pnr_is_added_with_history(client, login_as, db, world, csrf_token):
    login_as(world["staff"])
    url = f"/arbetsgivare/register/{world['here'].id}/ny"
    response = client.post(url, data={
        "csrf_token": csrf_token(url), "pnr": "19800101-9846", "given_name": "Cecilia", "family_name": "Claesson",
        "start_date": "2023-01-01", "pay_type": "monthly", "degree": "100"})
    assert response.status_code == 303
    cecilia = db.exec(select(Person).where(Person.pnr == "198001019846")).one()
    actions = [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.subject_person_id == cecilia.id))]
    assert actions == ["register.person.added", "register.employment.added"]


def test_upload_returns_at_once_and_shows_progress_until_processed(app, client, login_as, db, world, csrf_token):
    login_as(world["staff"])
    url = f"/arbetsgivare/register/{world['here'].id}/filer"
    data = csv_file(f"{ANNA};Anna;Andersson;2023;\"530 000,00\";manad;;100;2001-01-01;")
    response = client.post(url, data={"csrf_token": csrf_token(url), "file": (io.BytesIO(data), "lon.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    fragment = client.get(response.headers["Location"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
    from webapp.services.salary_import import run_pending

    assert run_pending(app) == 1
    fragment = client.get(response.headers["Location"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "every 1s" not in fragment
    assert "Return report" in fragment or "Återrapport" in fragment


def test_another_organisations_file_is_404(client, login_as, db, world):
    record = ImportFile(organisation_id=world["there"].id, uploaded_at=datetime.now(UTC),
                        filename="x.csv", size=1, sha256="0" * 64, content=b"x")
    db.add(record)
    db.commit()
    login_as(world["staff"])
    assert client.get(f"/arbetsgivare/register/{world['here'].id}/filer/{record.id}").status_code == 404
    assert client.get(f"/arbetsgivare/register/{world['there'].id}/filer/{record.id}").status_code == 404


def test_staff_of_two_organisations_chooses_one(client, login_as, db, world):
    other = staff(db, world["there"], OTHER_STAFF)
    login_as(other)
    response = client.get("/arbetsgivare/register/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/arbetsgivare/register/{world['there'].id}/")


def test_every_register_route_requires_an_employer_role(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("register.")]
    assert len(rules) >= 9
    for rule in rules:
        assert getattr(app.view_functions[rule.endpoint], "requires_staff", False), rule.endpoint


def test_a_pnr_search_leaves_no_pnr_in_the_logs_or_the_address(client, login_as, world, csrf_token, caplog):
    login_as(world["staff"])
    token = csrf_token(f"/arbetsgivare/register/{world['here'].id}/")
    with caplog.at_level("DEBUG"):
        found = client.post(f"/arbetsgivare/register/{world['here'].id}/sok", data={"csrf_token": token, "pnr": ANNA})
        missing = client.post(f"/arbetsgivare/register/{world['here'].id}/sok",
                              data={"csrf_token": token, "pnr": "198001019846"})
    assert missing.status_code == 400
    assert ANNA not in found.headers["Location"]
    assert ANNA not in caplog.text and "198001019846" not in caplog.text


def test_the_list_sorts_by_birth_date_and_pages(client, login_as, db, world):
    employee(db, world["here"], "198001019846", given="Cecilia", family="Claesson")
    login_as(world["staff"])
    base = f"/arbetsgivare/register/{world['here'].id}/"
    oldest_first = client.get(base + "?sortera=born").get_data(as_text=True)
    youngest_first = client.get(base + "?sortera=born_desc").get_data(as_text=True)
    assert oldest_first.index("Andersson") < oldest_first.index("Claesson")
    assert youngest_first.index("Claesson") < youngest_first.index("Andersson")


def test_downloads_neutralise_formulas_and_stay_in_the_organisation(client, login_as, db, world):
    import zipfile

    employee(db, world["here"], "198001019846", given="=HYPERLINK(\"x\")", family="+Evil")
    login_as(world["staff"])
    csv_body = client.get(f"/arbetsgivare/register/{world['here'].id}/lista.csv").get_data()
    text = csv_body.decode("utf-8-sig")
    assert "'+Evil, =HYPERLINK" in text
    assert "Andersson, Anna" in text and "Berg" not in text
    assert ";520000,00;" in text
    xlsx = client.get(f"/arbetsgivare/register/{world['here'].id}/lista.xlsx")
    assert xlsx.mimetype.endswith("spreadsheetml.sheet")
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "'+Evil" in sheet and "<f>" not in sheet
    assert client.get(f"/arbetsgivare/register/{world['there'].id}/lista.csv").status_code == 404


def test_an_upload_during_a_closure_is_received_and_queued(app, client, login_as, db, world, csrf_token):
    from datetime import timedelta

    from webapp.services.closures import schedule_closure

    login_as(world["staff"])
    url = f"/arbetsgivare/register/{world['here'].id}/filer"
    token = csrf_token(url)
    now = datetime(2023, 4, 20, 12, 0, tzinfo=UTC)
    schedule_closure(db, now - timedelta(hours=1), now + timedelta(hours=1))
    data = csv_file(f"{ANNA};Anna;Andersson;2023;530000;manad;;100;2001-01-01;")
    response = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "lon.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "underhåll" in page or "maintenance" in page
    assert db.exec(select(ImportFile)).one().status == "received"


def test_a_file_over_the_size_limit_is_refused_on_the_page_and_not_stored(app, client, login_as, db, world,
                                                                           csrf_token):
    app.config["REGISTER_MAX_UPLOAD_BYTES"] = 1_000_000
    login_as(world["staff"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = f"/arbetsgivare/register/{world['here'].id}/filer"
    single_line = b"personnummer;" + b"x" * 2_000_000
    response = client.post(url, data={"csrf_token": csrf_token(url), "file": (io.BytesIO(single_line), "big.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "The file is larger than 1 MB" in response.get_data(as_text=True)
    assert db.exec(select(ImportFile)).all() == []


def test_bad_files_get_a_report_not_a_crash(app, client, login_as, db, world, csrf_token):
    from webapp.services.salary_import import run_pending

    login_as(world["staff"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = f"/arbetsgivare/register/{world['here'].id}/filer"
    bad_files = {
        "binary.csv": bytes(range(256)) * 10,
        "empty.csv": b"",
        "columns.csv": b"namn;belopp\r\nAnna;1\r\n",
        "quote.csv": csv_file(f'{ANNA};"Anna;Andersson;2022;1;manad;;100;2001-01-01;'),
        "date.csv": csv_file(f"{ANNA};Anna;Andersson;2022;1;manad;;100;2023-02-30;"),
        "negative.csv": csv_file(f"{ANNA};Anna;Andersson;2022;-1;manad;;100;2001-01-01;"),
        "line.csv": b"personnummer;" + b"x" * 200_000,
    }
    expected = {
        "binary.csv": "not a text file", "empty.csv": "The file is empty.", "columns.csv": "Missing: personnummer",
        "quote.csv": "never closed", "date.csv": "Not a real date", "negative.csv": "cannot be negative",
        "line.csv": "longer than 10000 characters",
    }
    for name, data in bad_files.items():
        sent = client.post(url, data={"csrf_token": csrf_token(url), "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
        assert sent.status_code == 303, name
        run_pending(app)
        page = client.get(sent.headers["Location"])
        assert page.status_code == 200, name
        text = page.get_data(as_text=True)
        assert "Rejected" in text and expected[name] in text, name


def test_the_progress_fragment_shows_how_far_the_check_has_come(client, login_as, db, world):
    record = ImportFile(organisation_id=world["here"].id, uploaded_at=datetime.now(UTC), filename="x.csv", size=1,
                        sha256="1" * 64, content=b"x", status="processing", progress=30,
                        heartbeat_at=datetime(2023, 4, 20, 12, 0, tzinfo=UTC))
    db.add(record)
    db.commit()
    login_as(world["staff"])
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    fragment = client.get(f"/arbetsgivare/register/{world['here'].id}/filer/{record.id}",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'value="30"' in fragment and "Checking the rows of the file." in fragment
    assert 'hx-trigger="every 1s"' in fragment
