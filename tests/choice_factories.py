"""Helpers for the choice tests: an employee who may choose, a stored choice, the employer's answers."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from decimal import Decimal

from tests.factories import flat_salaries, make_employee
from webapp.models import Choice, Decision, LateChoiceRequest, Person


def make_person(db, organisation=None, *, birth=date(1965, 3, 12), yearly_salary=Decimal("720000"),
                given_name="Åsa", family_name="Öberg", pension_granted_on=None) -> Person:
    """A monthly paid full-time employee since 2005 (eligible for the 2023 choice when born 1958–1985)."""
    return make_employee(
        db, organisation, birth_date=birth, start=date(2005, 1, 1),
        salaries=flat_salaries(2005, 2023, yearly_salary),
        given_name=given_name, family_name=family_name, pension_granted_on=pension_granted_on,
        fixed_monthly_salary_2022_12_31=(yearly_salary / 12).quantize(Decimal("1")),
    )


def sign_choice(db, person, agreement="AKAP-KR", status="received", when=datetime(2023, 4, 20, 10, 0, tzinfo=UTC)):
    """A stored choice as the signing would leave it (for tests of what comes after)."""
    from webapp.services.choices import campaign, record_choice

    choice, _created = record_choice(db, person, agreement, "signed text", "header.payload.signature", when,
                                     campaign(), False)
    if status != "received":
        choice.status = status
        db.add(choice)
        db.commit()
    return choice


def decide(db, choice, outcome, reason=None, by=None):
    choice.status = outcome
    db.add(choice)
    db.add(Decision(choice_id=choice.id, outcome=outcome, reason=reason, decided_by=by or choice.person_id,
                    decided_at=datetime.now(UTC)))
    db.commit()


def answer_late_request(db, person, status, reason=None):
    from sqlmodel import select

    row = db.exec(select(LateChoiceRequest).where(LateChoiceRequest.person_id == person.id)).one()
    row.status = status
    row.decision_reason = reason
    row.decided_at = datetime.now(UTC)
    db.add(row)
    db.commit()
    return row


def make_late_request(db, person, status="pending", reason="In hospital all of May.", decision_reason=None):
    """A late-choice request as the person sends it, already answered by the employer unless pending."""
    from sqlmodel import select

    from webapp.models import Employment

    organisation_id = db.exec(select(Employment.organisation_id).where(Employment.person_id == person.id)).first()
    request = LateChoiceRequest(
        person_id=person.id, organisation_id=organisation_id, campaign="2023", reason=reason,
        requested_at=datetime(2023, 6, 2, 9, 0, tzinfo=UTC), status=status, decision_reason=decision_reason,
        decided_at=None if status == "pending" else datetime(2023, 6, 5, 9, 0, tzinfo=UTC),
    )
    db.add(request)
    db.commit()
    return request


def choices_of(db, person) -> list[Choice]:
    from sqlmodel import select

    return list(db.exec(select(Choice).where(Choice.person_id == person.id)))


def fake_id_token(person) -> str:
    return f"eyJhbGciOiJSUzI1NiJ9.{person.id}.{int(time.time())}"
