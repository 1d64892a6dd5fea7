"""Choices still missing: employees of the staff member's organisations whom the domain finds
eligible for the 2023 choice and who have not chosen, so the employer can remind them (the
administrators send no reminders).

The register rows of all candidates are loaded in a handful of queries
(``history.histories``), so the page costs the same number of queries for ten employees as for
ten thousand."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, select

from webapp.models import Choice, Employment, Organisation, Person
from webapp.services.history import histories


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
    found = histories(session, [person for person, _org in first_org.values()])
    eligible = {person_id for person_id, history in found.items() if eligibility_2023(history).eligible}
    return [MissingRow(person, org, True) for person_id, (person, org) in first_org.items() if person_id in eligible]
