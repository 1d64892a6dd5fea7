"""Demo rows for the retirement pages: each organisation monitors three milestones, and the first
organisation has a few pension applications (waiting, approved with the letter to the employee,
rejected with a reason) from employees near 61. Deterministic: the same data gives the same rows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import Connection, or_
from sqlmodel import Session, select

from domain.pension_basis import start_window
from webapp.models import (
    AuditEntry,
    EmployerRole,
    Employment,
    MonitoringSetting,
    Organisation,
    PensionApplication,
    Person,
)
from webapp.services import retirement

DEMO_DAY = date(2023, 4, 20)
NOTICE = {"fap_earliest": 6, "normal_pension_age": 6, "las_age": 12}
# (status, letter_to, reason) of the demo applications, in the order of the applicants found.
APPLICATIONS = (
    ("submitted", None, None),
    ("submitted", None, None),
    ("approved", "employee", None),
    ("rejected", None, "Anställningen fortsätter enligt överenskommelse; ansök igen inför det nya datumet."),
)


def load(connection: Connection) -> int:
    """Insert the rows in the caller's transaction; returns the number of applications."""
    session = Session(bind=connection)
    organisations = session.exec(select(Organisation).order_by(Organisation.id)).all()
    for organisation in organisations:
        session.add_all(MonitoringSetting(organisation_id=organisation.id, milestone=code, notice_months=months)
                        for code, months in NOTICE.items())
    first = organisations[0]
    approver = session.exec(select(EmployerRole.person_id).where(
        EmployerRole.organisation_id == first.id, EmployerRole.role == "approver").order_by(EmployerRole.id)).first()
    people = session.exec(
        select(Person).distinct().join(Employment, Employment.person_id == Person.id).where(
            Employment.organisation_id == first.id, Employment.start_date <= DEMO_DAY,
            or_(Employment.end_date.is_(None), Employment.end_date >= DEMO_DAY),
            Person.birth_date >= date(1961, 1, 1), Person.birth_date <= date(1962, 9, 30),
        ).order_by(Person.id).limit(len(APPLICATIONS))
    ).all()
    made = 0
    for person, (status, letter_to, reason) in zip(people, APPLICATIONS, strict=False):
        earliest, _latest, _uses = start_window(person.birth_date)
        start = max(earliest, date(2023, 9, 1))
        basis = retirement.basis_for(session, person, start)
        created = datetime(2023, 4, 3 + made, 9, 30, tzinfo=UTC)
        decided = datetime(2023, 4, 12 + made, 14, 0, tzinfo=UTC) if status != "submitted" else None
        application = PensionApplication(
            person_id=person.id, organisation_id=first.id, requested_start=start, start_date=start, status=status,
            decided_by=approver if decided else None, decided_at=decided, reason=reason, letter_to=letter_to,
            basis_snapshot=json.dumps(basis.to_snapshot(), ensure_ascii=False), created_at=created,
        )
        session.add(application)
        session.flush()
        entries = [(created, person.id, "pension_applied", {"start": start.isoformat()})]
        if decided:
            entries.append((decided, approver, f"pension_{status}", {"start": start.isoformat(), "reason": reason,
                                                                      "letter_to": letter_to}))
        for at, actor, action, details in entries:
            session.add(AuditEntry(at=at, actor_id=actor, action=action, subject_person_id=person.id,
                                   details=json.dumps({"application": application.id, **details},
                                                      ensure_ascii=False, sort_keys=True)))
        made += 1
    session.flush()
    session.close()
    return made
