"""Issue 9, closures: a salary file sent during a planned closure is received and queued, the sender
sees it queued, and it is processed when the site reopens."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlmodel import select

from tests.register_support import ANNA, csv_file, employee, organisation, staff
from webapp.models import ImportFile, SalaryYear
from webapp.services import salary_import
from webapp.services.closures import schedule_closure

NOW = datetime(2023, 4, 20, 12, 0, tzinfo=UTC)


def test_a_file_sent_during_a_closure_is_queued_shown_as_waiting_and_processed_after(app, client, login_as, db,
                                                                                      csrf_token):
    app.config.update(FIXED_NOW=NOW.isoformat(), IMPORT_WORKER="off")  # the test plays the worker
    org = organisation(db)
    employee(db, org, ANNA, {2022: "500000"})
    login_as(staff(db, org))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    files = f"/arbetsgivare/register/{org.id}/filer"
    token = csrf_token(files)
    schedule_closure(db, NOW - timedelta(hours=1), NOW + timedelta(hours=1))

    sent = client.post(files, data={"csrf_token": token, "file": (io.BytesIO(csv_file(
        f"{ANNA};Anna;Andersson;2023;530000;manad;;100;2001-01-01;")), "lon.csv")}, content_type="multipart/form-data")
    assert sent.status_code == 303
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Waiting to be processed." in page
    assert "the file will be processed when it opens again" in page
    assert salary_import.run_pending(app) == 0  # the worker leaves it while the closure lasts
    record = db.exec(select(ImportFile)).one()
    assert record.status == "received"
    assert db.exec(select(SalaryYear).where(SalaryYear.year == 2023)).all() == []

    app.config["FIXED_NOW"] = (NOW + timedelta(hours=2)).isoformat()  # the site has reopened
    assert salary_import.run_pending(app) == 1
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Done" in page and "Waiting to be processed." not in page
    db.expire_all()
    assert db.exec(select(SalaryYear.amount).where(SalaryYear.year == 2023)).one() == Decimal("530000")
