"""Applying salary files: all or nothing, the same file twice changes nothing, every change
audited with its previous value, warnings and statistics in the return report, jobs resumable."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlmodel import select

from tests.register_support import ANNA, BERTIL, csv_file, employee, organisation, staff
from webapp.models import AuditEntry, Employment, ImportFile, Person, SalaryYear
from webapp.services import salary_import
from webapp.services.closures import schedule_closure

NOW = datetime(2023, 4, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def app(app):
    app.config.update(FIXED_NOW=NOW.isoformat(), IMPORT_WORKER="off")
    return app


@pytest.fixture
def org(db):
    return organisation(db)


@pytest.fixture
def sender(db, org):
    return staff(db, org)


def send(app, db, org, sender, data: bytes, run: bool = True) -> ImportFile:
    record, _new = salary_import.receive(db, organisation_id=org.id, actor_id=sender.id, filename="lon.csv",
                                         data=data, now=NOW)
    if run:
        salary_import.run_pending(app)
    db.expire_all()
    return db.get(ImportFile, record.id)


def report(record: ImportFile) -> dict:
    return json.loads(record.report)


def salaries(db, pnr=ANNA) -> dict[int, Decimal]:
    person = db.exec(select(Person).where(Person.pnr == pnr)).first()
    if person is None:
        return {}
    return {s.year: s.amount for s in db.exec(select(SalaryYear).where(SalaryYear.person_id == person.id))}


GOOD = (
    f"{ANNA};Anna;Andersson;2021;500000;manad;;100;2001-01-01;",
    f"{ANNA};Anna;Andersson;2022;\"520 000,00\";manad;;100;2001-01-01;",
    f"{BERTIL};Bertil;Berg;2022;200000;timme;400000;50;2010-03-01;",
)


def test_a_good_file_creates_persons_employments_and_salary_years(app, db, org, sender):
    record = send(app, db, org, sender, csv_file(*GOOD))
    assert record.status == "done"
    assert report(record)["stats"] == {"rows_read": 3, "persons_created": 2, "employments_added": 2,
                                       "salary_years_added": 3}
    assert salaries(db) == {2021: Decimal("500000"), 2022: Decimal("520000")}
    bertil = db.exec(select(Person).where(Person.pnr == BERTIL)).one()
    hourly = db.exec(select(SalaryYear).where(SalaryYear.person_id == bertil.id)).one()
    assert hourly.full_time_amount == Decimal("400000")


def test_a_file_with_one_error_is_rejected_and_changes_nothing(app, db, org, sender):
    employee(db, org, ANNA, {2021: "480000"})
    bad = f"{BERTIL};Bertil;Berg;2022;-5;manad;;100;2010-03-01;"
    record = send(app, db, org, sender, csv_file(*GOOD, bad))
    assert record.status == "rejected"
    body = report(record)
    assert body["applied"] is False
    assert body["errors"] == [{"row": 5, "column": "lon", "code": "negative_amount", "params": {}}]
    assert salaries(db) == {2021: Decimal("480000")}
    assert db.exec(select(Person).where(Person.pnr == BERTIL)).first() is None
    assert db.exec(select(AuditEntry).where(AuditEntry.action.like("register.salary.%"))).all() == []


def test_an_error_found_while_applying_rolls_back_rows_already_applied(app, db, org, sender):
    # A new person without a name is only discovered against the register, after earlier rows were applied.
    nameless = f"{BERTIL};;;2022;200000;manad;;100;2010-03-01;"
    record = send(app, db, org, sender, csv_file(GOOD[0], nameless))
    assert record.status == "rejected"
    assert [e["code"] for e in report(record)["errors"]] == ["name_required"]
    assert salaries(db) == {}


def test_sending_the_same_file_twice_changes_nothing_the_second_time(app, db, org, sender):
    data = csv_file(*GOOD)
    first = send(app, db, org, sender, data)
    audit_count = len(db.exec(select(AuditEntry)).all())
    again, is_new = salary_import.receive(db, organisation_id=org.id, actor_id=sender.id, filename="copy.csv",
                                          data=data, now=NOW)
    assert (again.id, is_new) == (first.id, False)
    assert len(db.exec(select(ImportFile)).all()) == 1
    assert len(db.exec(select(AuditEntry)).all()) == audit_count


def test_the_same_rows_in_a_new_file_are_counted_unchanged(app, db, org, sender):
    send(app, db, org, sender, csv_file(*GOOD))
    record = send(app, db, org, sender, csv_file(*GOOD, newline="\n"))  # other bytes, same content
    assert record.status == "done"
    assert report(record)["stats"] == {"rows_read": 3, "unchanged_rows": 3}


def test_a_changed_salary_is_audited_with_the_previous_value_and_the_sender(app, db, org, sender):
    employee(db, org, ANNA, {2022: "480000"})
    record = send(app, db, org, sender, csv_file(f"{ANNA};Anna;Andersson;2022;500000;manad;;100;2001-01-01;"))
    assert report(record)["stats"] == {"rows_read": 1, "persons_updated": 1, "salary_years_changed": 1}
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "register.salary.changed")).one()
    details = json.loads(entry.details)
    assert entry.actor_id == sender.id
    assert (details["before"]["amount"], details["after"]["amount"]) == ("480000.00", "500000")
    assert details["import_file_id"] == record.id


def test_a_rejected_file_can_be_sent_again_after_correction(app, db, org, sender):
    bad = csv_file(f"{ANNA};Anna;Andersson;2022;-1;manad;;100;2001-01-01;")
    assert send(app, db, org, sender, bad).status == "rejected"
    assert send(app, db, org, sender, bad).status == "rejected"  # the same bytes are checked again
    assert len(db.exec(select(ImportFile)).all()) == 2


def test_warnings_salary_jump_end_before_start_and_new_employment_after_67(app, db, org, sender):
    old = "195001019800"  # 73 years old in 2023
    record = send(app, db, org, sender, csv_file(
        f"{ANNA};Anna;Andersson;2021;400000;manad;;100;2001-01-01;",
        f"{ANNA};Anna;Andersson;2022;700000;manad;;100;2001-01-01;",
        f"{BERTIL};Bertil;Berg;2022;200000;manad;;100;2010-03-01;2009-12-31",
        f"{old};Olle;Gammal;2023;100000;manad;;20;2023-01-01;",
    ))
    assert record.status == "done_with_warnings"
    warnings = {(w["row"], w["column"], w["code"]) for w in report(record)["warnings"]}
    assert warnings == {(3, "lon", "salary_jump"), (4, "anstallning_tom", "employment_ends_before_start"),
                        (5, "anstallning_from", "old_new_employment")}
    bertil = db.exec(select(Person).where(Person.pnr == BERTIL)).one()
    assert db.exec(select(Employment).where(Employment.person_id == bertil.id)).one().end_date is None


def test_a_salary_that_drops_by_more_than_half_is_a_warning(app, db, org, sender):
    employee(db, org, ANNA, {2021: "500000"})
    record = send(app, db, org, sender, csv_file(f"{ANNA};Anna;Andersson;2022;240000;manad;;100;2001-01-01;"))
    assert [w["code"] for w in report(record)["warnings"]] == ["salary_jump"]


def test_a_duplicate_person_and_year_is_an_error(app, db, org, sender):
    record = send(app, db, org, sender, csv_file(GOOD[0], GOOD[0]))
    assert [(e["row"], e["code"]) for e in report(record)["errors"]] == [(3, "duplicate_row")]


def test_a_file_only_touches_the_senders_organisation(app, db, org, sender):
    other = organisation(db, "2120000002", "Exempelstad kommun")
    employee(db, other, ANNA, {2022: "300000"})
    send(app, db, org, sender, csv_file(GOOD[1]))
    amounts = {(s.organisation_id, s.year): s.amount for s in db.exec(select(SalaryYear))}
    assert amounts == {(other.id, 2022): Decimal("300000"), (org.id, 2022): Decimal("520000")}


def test_a_file_received_during_a_closure_waits_and_is_processed_after(app, db, org, sender):
    schedule_closure(db, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    record = send(app, db, org, sender, csv_file(*GOOD))
    assert record.status == "received"
    app.config["FIXED_NOW"] = (NOW + timedelta(hours=2)).isoformat()
    salary_import.run_pending(app)
    db.expire_all()
    assert db.get(ImportFile, record.id).status == "done"


def test_a_job_whose_worker_died_is_resumed_once_stale(app, db, org, sender):
    record = send(app, db, org, sender, csv_file(*GOOD), run=False)
    db.exec(update(ImportFile).where(ImportFile.id == record.id).values(
        status="processing", heartbeat_at=NOW - timedelta(minutes=1)))
    db.commit()
    assert salary_import.run_pending(app) == 0  # still fresh: another worker may be on it
    db.exec(update(ImportFile).where(ImportFile.id == record.id).values(heartbeat_at=NOW - timedelta(hours=1)))
    db.commit()
    assert salary_import.run_pending(app) == 1
    db.expire_all()
    assert db.get(ImportFile, record.id).status == "done"


class WorkerKilled(BaseException):
    """Stands in for the process dying (no Python handler runs)."""


def test_a_worker_dying_while_applying_leaves_nothing_half_applied(app, db, org, sender, monkeypatch):
    record = send(app, db, org, sender, csv_file(*GOOD), run=False)
    original = salary_import._apply_chunk
    calls = []

    def die_after_applying(session, rows, *args):
        original(session, rows, *args)
        calls.append(len(rows))
        raise WorkerKilled

    monkeypatch.setattr(salary_import, "_apply_chunk", die_after_applying)
    with pytest.raises(WorkerKilled):
        salary_import.run_pending(app)
    assert calls == [3]
    db.expire_all()
    assert db.get(ImportFile, record.id).status == "processing"  # resumed later, see the stale test
    assert salaries(db) == {} and db.exec(select(Person)).all() == [sender]


def test_an_error_on_our_side_rejects_the_file_with_nothing_applied(app, db, org, sender, monkeypatch):
    record = send(app, db, org, sender, csv_file(*GOOD), run=False)
    original = salary_import._apply_chunk

    def fail_after_applying(session, rows, *args):
        original(session, rows, *args)
        raise RuntimeError("a bug")

    monkeypatch.setattr(salary_import, "_apply_chunk", fail_after_applying)
    assert salary_import.run_pending(app) == 1
    db.expire_all()
    failed = db.get(ImportFile, record.id)
    assert failed.status == "rejected"
    assert [e["code"] for e in report(failed)["errors"]] == ["internal_error"]
    assert salaries(db) == {}


def test_the_cli_processes_waiting_files(app, db, org, sender):
    record = send(app, db, org, sender, csv_file(*GOOD), run=False)
    result = app.test_cli_runner().invoke(args=["process-imports"])
    assert "1 salary file(s) processed" in result.output
    db.expire_all()
    assert db.get(ImportFile, record.id).status == "done"
