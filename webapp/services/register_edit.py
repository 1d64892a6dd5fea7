"""Changing the register by hand: persons, employments, yearly salaries and leave periods.

Every change is scoped to one organisation and records who made it and the previous value
(an audit entry with ``before`` and ``after``), in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_
from sqlmodel import Session, select

from domain import MissingParameter, eligibility_2023, entitlements
from webapp.models import Employment, LeavePeriod, Person, SalaryYear
from webapp.services import audit
from webapp.services.history import person_history

# What can be edited on a person page: kind → (model, the fields a form may set).
KINDS = {
    "employment": (Employment, ("start_date", "end_date", "pay_type", "degree")),
    "salary": (SalaryYear, ("year", "amount", "full_time_amount")),
    "leave": (LeavePeriod, ("start_date", "end_date", "kind")),
}
PAGE_SIZE = 50


def snapshot(record, fields) -> dict:
    """The values of ``fields`` as JSON-ready text (dates ISO, amounts exact)."""
    out = {}
    for name in fields:
        value = getattr(record, name)
        out[name] = None if value is None else str(value)
    return out


def _employed_at(organisation_id: int):
    """Persons with an employment or a salary year at the organisation."""
    employed = select(Employment.person_id).where(Employment.organisation_id == organisation_id)
    paid = select(SalaryYear.person_id).where(SalaryYear.organisation_id == organisation_id)
    return or_(Person.id.in_(employed), Person.id.in_(paid))


SORTS = {
    "name": (Person.family_name, Person.given_name, Person.id),
    "born": (Person.birth_date, Person.id),
    "born_desc": (Person.birth_date.desc(), Person.id),
}


def persons_of_organisation(session: Session, organisation_id: int, name: str = "", page: int = 1,
                            sort: str = "name"):
    """One page of the organisation's persons, sorted (``SORTS``), optionally filtered by name."""
    query = select(Person).where(_employed_at(organisation_id))
    for word in name.split()[:4]:
        pattern = f"%{word.lower()}%"
        query = query.where(or_(func.lower(Person.given_name).like(pattern),
                                func.lower(Person.family_name).like(pattern)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(*SORTS.get(sort, SORTS["name"]))
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return rows, total


def person_in_organisation(session: Session, organisation_id: int, person_id: int) -> Person | None:
    return session.exec(select(Person).where(Person.id == person_id, _employed_at(organisation_id))).first()


def find_by_pnr(session: Session, organisation_id: int, pnr_digits: str) -> Person | None:
    return session.exec(select(Person).where(Person.pnr == pnr_digits, _employed_at(organisation_id))).first()


def records_of(session: Session, organisation_id: int, person_id: int) -> dict[str, list]:
    """The person's rows for the page: this organisation's employments and salaries, all leave."""
    return {
        "employment": list(session.exec(
            select(Employment).where(Employment.person_id == person_id,
                                     Employment.organisation_id == organisation_id)
            .order_by(Employment.start_date, Employment.id))),
        "salary": list(session.exec(
            select(SalaryYear).where(SalaryYear.person_id == person_id,
                                     SalaryYear.organisation_id == organisation_id)
            .order_by(SalaryYear.year.desc()))),
        "leave": list(session.exec(
            select(LeavePeriod).where(LeavePeriod.person_id == person_id).order_by(LeavePeriod.start_date))),
    }


def record_of(session: Session, kind: str, organisation_id: int, person_id: int, record_id: int):
    """One row of the person, only if it belongs to the organisation (leave belongs to the person)."""
    model, _fields = KINDS[kind]
    record = session.get(model, record_id)
    if record is None or record.person_id != person_id:
        return None
    if kind != "leave" and record.organisation_id != organisation_id:
        return None
    return record


class Conflict(Exception):
    """The change would break a rule of the register (e.g. a second salary for the same year)."""

    def __init__(self, field: str, code: str):
        super().__init__(code)
        self.field = field
        self.code = code


def save_record(session: Session, kind: str, *, actor_id: int, organisation_id: int, person: Person,
                values: dict, record=None):
    """Add (``record`` None) or change a row; audit ``register.<kind>.added|changed`` with before/after.

    Commits. Returns the row. Raises ``Conflict`` when the year already has a salary."""
    model, fields = KINDS[kind]
    if kind == "salary":
        clash = session.exec(select(SalaryYear).where(
            SalaryYear.person_id == person.id, SalaryYear.organisation_id == organisation_id,
            SalaryYear.year == values["year"])).first()
        if clash is not None and (record is None or clash.id != record.id):
            raise Conflict("year", "salary_year_exists")
    before = snapshot(record, fields) if record is not None else None
    if record is None:
        record = model(person_id=person.id, **values)
        if kind != "leave":
            record.organisation_id = organisation_id
    else:
        for name, value in values.items():
            setattr(record, name, value)
    after = snapshot(record, fields)
    if before == after:
        return record
    session.add(record)
    session.flush()
    audit.record(session, f"register.{kind}.{'added' if before is None else 'changed'}", actor_id=actor_id,
                 subject_person_id=person.id, organisation_id=organisation_id, record_id=record.id,
                 before=before, after=after)
    session.commit()
    return record


def add_person(session: Session, *, actor_id: int, organisation_id: int, pnr: str, birth_date: date,
               given_name: str, family_name: str, employment: dict) -> Person:
    """A new employee: the person (unless already in the register) and their first employment."""
    person = session.exec(select(Person).where(Person.pnr == pnr)).first()
    if person is None:
        person = Person(pnr=pnr, birth_date=birth_date, given_name=given_name, family_name=family_name)
        session.add(person)
        session.flush()
        audit.record(session, "register.person.added", actor_id=actor_id, subject_person_id=person.id,
                     organisation_id=organisation_id, before=None,
                     after={"given_name": given_name, "family_name": family_name})
    save_record(session, "employment", actor_id=actor_id, organisation_id=organisation_id, person=person,
                values=employment)
    return person


@dataclass(frozen=True)
class DerivedFigures:
    """What the rules make of the register today: shown on the person page beside the data."""

    pensionsunderlag: Decimal | None
    pensionsunderlag_year: int | None
    livranta: Decimal | None
    eligible: bool | None
    failed_rules: tuple[str, ...]
    error: str | None = None


def derived_figures(session: Session, person: Person, today: date) -> DerivedFigures:
    history = person_history(session, person)
    try:
        result = entitlements(history, today)
        eligibility = eligibility_2023(history)
    except (MissingParameter, ValueError) as error:
        return DerivedFigures(None, None, None, None, (), error=type(error).__name__)
    return DerivedFigures(
        pensionsunderlag=result.pensionsunderlag.amount,
        pensionsunderlag_year=result.pensionsunderlag.year,
        livranta=result.livranta.amount,
        eligible=eligibility.eligible,
        failed_rules=eligibility.reasons,
    )
