"""person.data_version: the database bumps it (migration 0009 triggers) whenever a row the
person's own pages show is written, whatever wrote it, so a page cached under an older version
is never served again. Another person's version stays put, and reading changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, text

from tests.factories import add_employer_role, make_organisation, make_person
from webapp.models import (
    AgreementMembership,
    Choice,
    Decision,
    EarnedRight,
    EmployerRole,
    Employment,
    LateChoiceRequest,
    LeavePeriod,
    PensionApplication,
    Person,
    Precalculation,
    SalaryYear,
)

WHEN = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


def _choice(person, org, campaign="2023") -> Choice:
    return Choice(reference=f"PV-{campaign}-{person.id:04d}", person_id=person.id, organisation_id=org.id,
                  campaign=campaign,
                  agreement="AKAP-KR", chosen_at=WHEN, signed_text="Jag väljer AKAP-KR.",
                  signed_evidence="token", comparison_snapshot="{}")


# Table -> (a new row of the person at the organisation, a change to that row).
ROWS = {
    "employment": (lambda w, p: Employment(person_id=p.id, organisation_id=w["org"].id, start_date=date(2010, 1, 1),
                                           pay_type="monthly", degree=Decimal("100")), {"degree": Decimal("80")}),
    "salaryyear": (lambda w, p: SalaryYear(person_id=p.id, organisation_id=w["org"].id, year=2022,
                                           amount=Decimal("480000")), {"amount": Decimal("490000")}),
    "leaveperiod": (lambda w, p: LeavePeriod(person_id=p.id, start_date=date(2020, 1, 1), kind="leave"),
                    {"end_date": date(2020, 6, 30)}),
    "earnedright": (lambda w, p: EarnedRight(person_id=p.id, kind="livranta", year=2010, amount=Decimal("1200")),
                    {"amount": Decimal("1300")}),
    "agreementmembership": (lambda w, p: AgreementMembership(person_id=p.id, agreement="KAP-KL",
                                                             valid_from=date(2006, 1, 1)), {"agreement": "AKAP-KL"}),
    "employerrole": (lambda w, p: EmployerRole(person_id=p.id, organisation_id=w["org"].id, role="handler"),
                     {"role": "approver"}),
    "choice": (lambda w, p: _choice(p, w["org"], campaign="2024"), {"status": "approved"}),
    "latechoicerequest": (lambda w, p: LateChoiceRequest(person_id=p.id, organisation_id=w["org"].id, campaign="2023",
                                                         reason="Sjuk i maj.", requested_at=WHEN), {"status": "granted"}),
    "pensionapplication": (lambda w, p: PensionApplication(
        person_id=p.id, organisation_id=w["org"].id, requested_start=date(2025, 1, 1), start_date=date(2025, 1, 1),
        basis_snapshot="{}", created_at=WHEN), {"status": "approved"}),
    "precalculation": (lambda w, p: Precalculation(
        organisation_id=w["org"].id, person_id=p.id, created_at=WHEN, created_by=w["staff"].id,
        calculation_date=date(2024, 5, 2), agreement="KAP-KL", retirement_age=65, total_monthly=Decimal("1000"),
        subject=json.dumps({}), request_snapshot="{}", simulation_snapshot="{}"), {"note": "Inför samtalet"}),
    # A decision belongs to the person of its choice (not to the staff member who decided).
    "decision": (lambda w, p: Decision(choice_id=w["choices"][p.id].id, outcome="approved",
                                       decided_by=w["staff"].id, decided_at=WHEN), {"reason": "Enligt avtal."}),
}
PERSON_ID_TABLES = [table for table in ROWS if table != "decision"]


@pytest.fixture
def world(db):
    org = make_organisation(db)
    anna = make_person(db, given_name="Anna", family_name="Andersson")
    bertil = make_person(db, given_name="Bertil", family_name="Berg")
    staff = make_person(db, given_name="Karin", family_name="Karlsson")
    choices = {p.id: _choice(p, org) for p in (anna, bertil)}
    db.add_all(choices.values())
    db.commit()
    return {"org": org, "anna": anna, "bertil": bertil, "staff": staff, "choices": choices}


def versions(db) -> dict[int, int]:
    return dict(db.connection().execute(select(Person.id, Person.data_version)).all())


def bumped_by(db, write) -> set[int]:
    """The ids of the persons whose data version the committed ``write()`` raised."""
    before = versions(db)
    write()
    db.commit()
    after = versions(db)
    assert all(after[pid] >= version for pid, version in before.items())
    return {pid for pid, version in after.items() if version != before.get(pid)}


def _add(db, row):
    db.add(row)
    db.flush()


def _change(db, row, fields):
    for name, value in fields.items():
        setattr(row, name, value)
    db.add(row)
    db.flush()


@pytest.mark.parametrize("table", ROWS)
def test_inserting_changing_and_deleting_a_row_bumps_only_its_person(db, world, table):
    make_row, change = ROWS[table]
    anna = world["anna"].id
    row = make_row(world, world["anna"])
    assert row.__tablename__ == table

    assert bumped_by(db, lambda: _add(db, row)) == {anna}
    assert bumped_by(db, lambda: _change(db, row, change)) == {anna}
    assert bumped_by(db, lambda: db.delete(row)) == {anna}


@pytest.mark.parametrize("table", PERSON_ID_TABLES)
def test_moving_a_row_to_another_person_bumps_both(db, world, table):
    make_row, _change_fields = ROWS[table]
    row = make_row(world, world["anna"])
    _add(db, row)
    db.commit()

    moved = bumped_by(db, lambda: _change(db, row, {"person_id": world["bertil"].id}))
    assert moved == {world["anna"].id, world["bertil"].id}


def test_a_decision_moved_to_another_choice_bumps_both_persons(db, world):
    decision = ROWS["decision"][0](world, world["anna"])
    _add(db, decision)
    db.commit()
    moved = bumped_by(db, lambda: _change(db, decision, {"choice_id": world["choices"][world["bertil"].id].id}))
    assert moved == {world["anna"].id, world["bertil"].id}


def test_core_multi_row_insert_and_raw_sql_bump_every_person_written(db, world):
    anna, bertil, staff = world["anna"].id, world["bertil"].id, world["staff"].id
    rows = [{"person_id": person, "organisation_id": world["org"].id, "year": year, "amount": Decimal("400000")}
            for person in (anna, bertil) for year in (2020, 2021, 2022)]

    assert bumped_by(db, lambda: db.connection().execute(insert(SalaryYear), rows)) == {anna, bertil}
    assert bumped_by(db, lambda: db.connection().execute(insert(LeavePeriod).values([
        {"person_id": anna, "start_date": date(2021, 1, 1), "kind": "leave"},
        {"person_id": anna, "start_date": date(2022, 1, 1), "kind": "leave"},
        {"person_id": bertil, "start_date": date(2022, 1, 1), "kind": "leave"},
    ]))) == {anna, bertil}
    assert bumped_by(db, lambda: db.connection().execute(
        text("UPDATE salaryyear SET amount = amount + 1 WHERE person_id = :p"), {"p": bertil})) == {bertil}
    assert bumped_by(db, lambda: db.connection().execute(
        text("DELETE FROM salaryyear WHERE person_id = :p AND year = 2020"), {"p": anna})) == {anna}
    assert staff not in bumped_by(db, lambda: db.connection().execute(text("DELETE FROM leaveperiod")))


def test_a_multi_row_statement_bumps_each_person_once_on_postgresql(db, world):
    if db.connection().dialect.name != "postgresql":
        pytest.skip("SQLite has only row triggers: one bump per row")
    anna = world["anna"].id
    before = versions(db)[anna]
    db.connection().execute(insert(EarnedRight).values([
        {"person_id": anna, "kind": "livranta", "year": year, "amount": Decimal("100")} for year in range(2000, 2010)
    ]))
    db.commit()
    assert versions(db)[anna] == before + 1


def test_several_writes_in_one_transaction_leave_a_new_version_and_a_rollback_none(db, world):
    anna, bertil = world["anna"], world["bertil"]

    def many_writes():
        _change(db, anna, {"given_name": "Annie"})
        for year in (2020, 2021):
            _add(db, SalaryYear(person_id=anna.id, organisation_id=world["org"].id, year=year, amount=Decimal("1")))
            _add(db, SalaryYear(person_id=bertil.id, organisation_id=world["org"].id, year=year, amount=Decimal("1")))

    assert bumped_by(db, many_writes) == {anna.id, bertil.id}

    before = versions(db)
    _add(db, LeavePeriod(person_id=anna.id, start_date=date(2023, 1, 1), kind="leave"))
    db.rollback()
    assert versions(db) == before
    assert bumped_by(db, lambda: _add(db, LeavePeriod(person_id=anna.id, start_date=date(2023, 1, 1),
                                                      kind="leave"))) == {anna.id}


@pytest.mark.parametrize("column", ["name", "org_number"])
def test_renaming_an_organisation_bumps_its_employees_payees_and_staff_only(db, world, column):
    org, other = world["org"], make_organisation(db, name="Grannby kommun")
    employee, payee, staff, outsider = world["anna"], world["bertil"], world["staff"], make_person(db)
    db.add(ROWS["employment"][0](world, employee))
    db.add(SalaryYear(person_id=payee.id, organisation_id=org.id, year=2019, amount=Decimal("300000")))
    db.add(Employment(person_id=outsider.id, organisation_id=other.id, start_date=date(2010, 1, 1),
                      pay_type="monthly", degree=Decimal("100")))
    db.commit()
    add_employer_role(db, staff, org, "approver")

    new_value = {"name": "Nyby kommun", "org_number": "2120001111"}[column]
    renamed = bumped_by(db, lambda: _change(db, org, {column: new_value}))
    assert renamed == {employee.id, payee.id, staff.id}


def test_updating_a_person_bumps_them_once_and_nobody_else(db, world):
    anna = world["anna"]
    before = versions(db)[anna.id]
    assert bumped_by(db, lambda: _change(db, anna, {"family_name": "Lindqvist"})) == {anna.id}
    assert versions(db)[anna.id] == before + 1
    assert bumped_by(db, lambda: db.connection().execute(
        text("UPDATE person SET sap_granted = :yes WHERE id = :p"), {"yes": True, "p": anna.id})) == {anna.id}


def test_reading_the_register_and_the_employee_pages_bumps_nobody(app, client, db, login_as, world):
    app.config["FIXED_TODAY"] = "2024-05-02"
    anna = world["anna"]
    for table in ROWS:
        db.add(ROWS[table][0](world, anna))
    db.commit()

    def read():
        for model in (Person, Employment, SalaryYear, Choice, Decision, Precalculation):
            db.exec(select(model)).all()
        login_as(anna)
        for path in ("/min-pension/jamforelse", "/min-pension/forhandsberakningar"):
            assert client.get(path).status_code < 500

    assert bumped_by(db, read) == set()
