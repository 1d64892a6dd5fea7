"""The organisation's individual list: employees with their latest salary, eligibility for the
2023 choice and the status of their choice, for the list page and its downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_
from sqlmodel import Session, select

from domain import MissingParameter, eligibility_2023
from webapp.models import Choice, Employment, Person, SalaryYear
from webapp.services.history import person_history
from webapp.services.register_edit import SORTS, _employed_at


@dataclass(frozen=True)
class ListRow:
    person_id: int
    pnr: str
    name: str
    birth_date: date
    degree: Decimal | None  # the current (latest) employment here
    salary_year: int | None  # the latest salary year here
    salary: Decimal | None
    eligible: bool | None  # None: cannot be calculated
    choice_agreement: str | None
    choice_status: str | None


def list_rows(session: Session, organisation_id: int, name: str = "", sort: str = "name"):
    """Every employee of the organisation, sorted; one query per person for eligibility."""
    query = select(Person).where(_employed_at(organisation_id))
    for word in name.split()[:4]:
        pattern = f"%{word.lower()}%"
        query = query.where(or_(func.lower(Person.given_name).like(pattern),
                                func.lower(Person.family_name).like(pattern)))
    persons = session.exec(query.order_by(*SORTS.get(sort, SORTS["name"]))).all()
    ids = [p.id for p in persons]
    latest_employment: dict[int, Employment] = {}
    for employment in session.exec(select(Employment).where(
            Employment.organisation_id == organisation_id, Employment.person_id.in_(ids))
            .order_by(Employment.start_date)):
        latest_employment[employment.person_id] = employment
    latest_salary: dict[int, SalaryYear] = {}
    for salary in session.exec(select(SalaryYear).where(
            SalaryYear.organisation_id == organisation_id, SalaryYear.person_id.in_(ids)).order_by(SalaryYear.year)):
        latest_salary[salary.person_id] = salary
    choices = {c.person_id: c for c in session.exec(select(Choice).where(Choice.person_id.in_(ids)))}
    for person in persons:
        try:
            eligible = eligibility_2023(person_history(session, person)).eligible
        except (MissingParameter, ValueError):
            eligible = None
        employment = latest_employment.get(person.id)
        salary = latest_salary.get(person.id)
        choice = choices.get(person.id)
        yield ListRow(
            person_id=person.id, pnr=person.pnr, name=f"{person.family_name}, {person.given_name}",
            birth_date=person.birth_date, degree=Decimal(employment.degree) if employment else None,
            salary_year=salary.year if salary else None, salary=Decimal(salary.amount) if salary else None,
            eligible=eligible, choice_agreement=choice.agreement if choice else None,
            choice_status=choice.status if choice else None,
        )
