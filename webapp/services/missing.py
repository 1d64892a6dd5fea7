"""Choices still missing: employees of the staff member's organisations whom the domain finds
eligible for the 2023 choice and who have not chosen, so the employer can remind them (the
administrators send no reminders).

The register rows of all candidates are loaded in a handful of queries and assembled with
``history.build_history``, so the page costs the same number of queries for ten employees as for
ten thousand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, select

from webapp.models import Choice, EarnedRight, Employment, LeavePeriod, Organisation, Person, SalaryYear
from webapp.services.history import build_history

_CHUNK = 500  # persons per IN (...) query


@dataclass(frozen=True)
class MissingRow:
    person: Person
    organisation: str
    eligible: bool | None  # None: the domain cannot tell in this build


def _eligibility_function():
    try:
        from domain import eligibility_2023
    except ImportError:
        return None
    return eligibility_2023


def missing_choices(session: Session, org_ids: Collection[int], campaign: str, opens: date) -> list[MissingRow]:
    """Employees employed by the organisations when the period opened who have not chosen and whom
    the domain finds eligible (all of them, marked unknown, when the domain cannot tell)."""
    chosen = select(Choice.person_id).where(Choice.campaign == campaign)
    candidates = session.exec(
        select(Person, Organisation.name)
        .join(Employment, Employment.person_id == Person.id)
        .join(Organisation, Organisation.id == Employment.organisation_id)
        .where(
            Employment.organisation_id.in_(list(org_ids)),
            Employment.start_date <= opens,
            or_(Employment.end_date.is_(None), Employment.end_date >= opens),
            Person.id.not_in(chosen),
        )
        .order_by(Person.family_name, Person.given_name, Person.id)
    ).all()
    first_org: dict[int, tuple[Person, str]] = {}
    for person, org_name in candidates:
        first_org.setdefault(person.id, (person, org_name))
    eligibility_2023 = _eligibility_function()
    if eligibility_2023 is None:
        return [MissingRow(person, org, None) for person, org in first_org.values()]
    eligible: set[int] = set()
    ids = list(first_org)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        # Plain rows, not ORM objects: build_history reads attributes only, and thousands of
        # salary rows load several times faster this way.
        employments, salaries, leaves, rights = (defaultdict(list) for _ in range(4))
        for row in session.execute(
            select(Employment.person_id, Employment.start_date, Employment.end_date, Employment.pay_type,
                   Employment.degree, Organisation.org_number)
            .join(Organisation, Organisation.id == Employment.organisation_id)
            .where(Employment.person_id.in_(chunk))
            .order_by(Employment.start_date)
        ):
            employments[row.person_id].append((row, row.org_number))
        for row in session.execute(
            select(SalaryYear.person_id, SalaryYear.year, SalaryYear.amount, SalaryYear.full_time_amount)
            .where(SalaryYear.person_id.in_(chunk))
        ):
            salaries[row.person_id].append(row)
        for row in session.execute(
            select(LeavePeriod.person_id, LeavePeriod.start_date, LeavePeriod.end_date, LeavePeriod.kind)
            .where(LeavePeriod.person_id.in_(chunk))
            .order_by(LeavePeriod.start_date)
        ):
            leaves[row.person_id].append(row)
        for row in session.execute(
            select(EarnedRight.person_id, EarnedRight.kind, EarnedRight.amount).where(EarnedRight.person_id.in_(chunk))
        ):
            rights[row.person_id].append(row)
        for person_id in chunk:
            person = first_org[person_id][0]
            history = build_history(person, employments[person_id], salaries[person_id], leaves[person_id],
                                    rights[person_id])
            if eligibility_2023(history).eligible:
                eligible.add(person_id)
    return [MissingRow(person, org, True) for person_id, (person, org) in first_org.items() if person_id in eligible]
