"""Retirement (issue 9): the organisation's monitoring of milestones and employees' pension
applications with the employer's decision.

An application is decided once: the status changes only from an open value (submitted or
redated) in one conditional UPDATE, so two approvers clicking at the same moment end with one
decision and the other gets ``AlreadyDecided``. A decision on a basis whose start date another
approver changed meanwhile is refused (``StartChanged``). Every change is written to the audit log
in the same transaction as the change itself."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.milestones import MILESTONES, Milestone, birthday, upcoming_milestones
from domain.pension_basis import InvalidStartDate, PensionBasis, pension_basis
from webapp import clock
from webapp.models import (
    AgreementMembership,
    Choice,
    Employment,
    MonitoringSetting,
    Organisation,
    PensionApplication,
    Person,
)
from webapp.models.retirement import OPEN_STATUSES
from webapp.services import audit
from webapp.services.decisions import AlreadyDecided, NotAllowed, NotFound, ReasonRequired, approver_orgs
from webapp.services.history import person_history

__all__ = [
    "AlreadyApplied", "AlreadyDecided", "InvalidStartDate", "NotAllowed", "NotEmployed", "NotFound",
    "ReasonRequired", "StartChanged",
]

OUTCOMES = ("approved", "rejected")
LETTER_TO = ("employee", "employer")
MAX_NOTICE_MONTHS = 60  # the database's check constraint says the same
# Monitoring looks at employees between these ages only (every milestone lies in between).
_AGE_RANGE = (50, 80)


class AlreadyApplied(Exception):
    """The employee has an application waiting or approved with this employer."""


class NotEmployed(Exception):
    """The employee has no ongoing employment with the organisation."""


class StartChanged(Exception):
    """Another approver registered another start date after the page was shown."""


# --- monitoring ----------------------------------------------------------------------------


def settings_of(session: Session, organisation_id: int) -> dict[str, MonitoringSetting | None]:
    """The organisation's setting per milestone code (None: never set)."""
    rows = session.exec(select(MonitoringSetting).where(MonitoringSetting.organisation_id == organisation_id))
    found = {row.milestone: row for row in rows}
    return {code: found.get(code) for code in MILESTONES}


def notice_months(session: Session, organisation_id: int) -> dict[str, int]:
    """Milestone code -> notice months of the enabled settings."""
    return {code: row.notice_months for code, row in settings_of(session, organisation_id).items()
            if row is not None and row.enabled}


def save_settings(session: Session, *, actor: Person, roles: Mapping[int, set[str]], organisation_id: int,
                  values: Mapping[str, tuple[bool, int]]) -> None:
    """Store the settings (code -> (enabled, months)); approvers only."""
    if organisation_id not in roles:
        raise NotFound(organisation_id)
    if organisation_id not in approver_orgs(roles):
        raise NotAllowed(organisation_id)
    current = settings_of(session, organisation_id)
    changed = {}
    for code, (enabled, months) in values.items():
        if code not in MILESTONES or not 0 <= months <= MAX_NOTICE_MONTHS:
            raise ValueError(code)
        row = current[code]
        if row is None:
            session.add(MonitoringSetting(organisation_id=organisation_id, milestone=code,
                                          notice_months=months, enabled=enabled))
        elif (row.enabled, row.notice_months) == (enabled, months):
            continue
        else:
            row.enabled, row.notice_months = enabled, months
            session.add(row)
        changed[code] = {"enabled": enabled, "months": months}
    if changed:
        audit.record(session, "monitoring_settings_changed", actor_id=actor.id, organisation=organisation_id,
                     settings=changed)
    session.commit()


@dataclass(frozen=True)
class MonitoringRow:
    person: Person
    milestone: Milestone


def monitoring_rows(session: Session, organisation_id: int, today: date) -> list[MonitoringRow]:
    """Employees of the organisation (employed today) who reach a milestone within its notice
    time from today, sorted by the date they reach it."""
    notice = notice_months(session, organisation_id)
    if not notice:
        return []
    youngest, oldest = _AGE_RANGE
    people = session.exec(
        select(Person).distinct().join(Employment, Employment.person_id == Person.id).where(
            Employment.organisation_id == organisation_id,
            Employment.start_date <= today,
            or_(Employment.end_date.is_(None), Employment.end_date >= today),
            Person.birth_date <= birthday(today, -youngest),
            Person.birth_date > birthday(today, -oldest - 1),
        )
    ).all()
    rows = [MonitoringRow(person, item) for person in people
            for item in upcoming_milestones(person.birth_date, today, notice)]
    return sorted(rows, key=lambda r: (r.milestone.reached_on, r.person.family_name, r.person.given_name,
                                       r.person.id, r.milestone.code))


# --- applications --------------------------------------------------------------------------


def employers_of(session: Session, person: Person, today: date) -> list[Organisation]:
    """The organisations the person is employed by today (an application goes to one of them)."""
    return list(session.exec(
        select(Organisation).distinct().join(Employment, Employment.organisation_id == Organisation.id).where(
            Employment.person_id == person.id,
            Employment.start_date <= today,
            or_(Employment.end_date.is_(None), Employment.end_date >= today),
        ).order_by(Organisation.name)
    ).all())


def chose_akapkr(session: Session, person: Person, start: date) -> bool:
    """In AKAP-KR with an IPR 2022: chose AKAP-KR in 2023 (a choice not rejected) or a register
    membership of AKAP-KR from before the start."""
    choice = session.exec(select(Choice.id).where(
        Choice.person_id == person.id, Choice.agreement == "AKAP-KR", Choice.status != "rejected")).first()
    if choice is not None:
        return True
    member = session.exec(select(AgreementMembership.agreement).where(
        AgreementMembership.person_id == person.id, AgreementMembership.valid_from <= start,
    ).order_by(AgreementMembership.valid_from.desc())).first()
    return member == "AKAP-KR"


def basis_for(session: Session, person: Person, start: date) -> PensionBasis:
    """The calculation basis from the register; raises ``InvalidStartDate``."""
    return pension_basis(person_history(session, person), start, chose_akapkr=chose_akapkr(session, person, start))


def _snapshot(basis: PensionBasis) -> str:
    return json.dumps(basis.to_snapshot(), ensure_ascii=False)  # figures keep their order


def apply(session: Session, *, person: Person, organisation_id: int, start: date) -> PensionApplication:
    """The employee applies for the pension from ``start``; raises NotEmployed, AlreadyApplied or
    InvalidStartDate."""
    today = clock.today()
    if organisation_id not in {o.id for o in employers_of(session, person, today)}:
        raise NotEmployed(organisation_id)
    if start < today.replace(day=1):
        raise InvalidStartDate(("in_the_past",))
    basis = basis_for(session, person, start)
    waiting = session.exec(select(PensionApplication.id).where(
        PensionApplication.person_id == person.id, PensionApplication.organisation_id == organisation_id,
        PensionApplication.status.in_((*OPEN_STATUSES, "approved")))).first()
    if waiting is not None:
        raise AlreadyApplied(waiting)
    application = PensionApplication(
        person_id=person.id, organisation_id=organisation_id, requested_start=start, start_date=start,
        basis_snapshot=_snapshot(basis), created_at=clock.now(),
    )
    session.add(application)
    try:
        session.flush()  # the partial unique index loses a concurrent second application
    except IntegrityError:
        session.rollback()
        raise AlreadyApplied(None) from None
    audit.record(session, "pension_applied", actor_id=person.id, subject_person_id=person.id,
                 application=application.id, start=start.isoformat())
    session.commit()
    session.refresh(application)
    return application


def applications_of_person(session: Session, person: Person) -> list[PensionApplication]:
    return list(session.exec(select(PensionApplication).where(PensionApplication.person_id == person.id)
                             .order_by(PensionApplication.created_at.desc(), PensionApplication.id.desc())).all())


def application_of_person(session: Session, person: Person, application_id: int) -> PensionApplication | None:
    return session.exec(select(PensionApplication).where(
        PensionApplication.id == application_id, PensionApplication.person_id == person.id)).first()


def applications_of(session: Session, organisation_id: int, status: str = "open") -> list[tuple[PensionApplication, Person]]:
    """The organisation's queue: open applications (or those of one status), oldest first."""
    statuses = OPEN_STATUSES if status == "open" else (status,)
    return list(session.exec(
        select(PensionApplication, Person).join(Person, Person.id == PensionApplication.person_id).where(
            PensionApplication.organisation_id == organisation_id, PensionApplication.status.in_(statuses),
        ).order_by(PensionApplication.created_at, PensionApplication.id)
    ).all())


def application_in(session: Session, organisation_id: int, application_id: int) -> PensionApplication | None:
    return session.exec(select(PensionApplication).where(
        PensionApplication.id == application_id, PensionApplication.organisation_id == organisation_id)).first()


def _scoped(session: Session, roles: Mapping[int, set[str]], application_id: int) -> PensionApplication:
    application = session.exec(select(PensionApplication).where(
        PensionApplication.id == application_id, PensionApplication.organisation_id.in_(list(roles)))).first()
    if application is None:
        raise NotFound(application_id)
    if application.organisation_id not in approver_orgs(roles):
        raise NotAllowed(application_id)
    return application


def _already(session: Session, application: PensionApplication) -> AlreadyDecided:
    session.refresh(application)
    decider = session.get(Person, application.decided_by) if application.decided_by else None
    return AlreadyDecided(application.status, decider.name if decider else "?", application.decided_at)


def decide(session: Session, *, actor: Person, roles: Mapping[int, set[str]], application_id: int, outcome: str,
           reason: str | None = None, letter_to: str | None = None, seen_start: date | None = None,
           ) -> PensionApplication:
    """Approve (with the letter's addressee) or reject (with a reason) an open application and
    commit. The basis is computed again at the decision and stored as the approved basis."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    application = _scoped(session, roles, application_id)
    reason = (reason or "").strip() or None
    if outcome == "rejected" and not reason:
        raise ReasonRequired()
    if outcome == "approved" and letter_to not in LETTER_TO:
        raise ValueError(letter_to)
    if application.status not in OPEN_STATUSES:
        raise _already(session, application)
    if seen_start is not None and seen_start != application.start_date:
        raise StartChanged(application.start_date)
    values = {"status": outcome, "decided_by": actor.id, "decided_at": clock.now(), "reason": reason,
              "letter_to": letter_to if outcome == "approved" else None}
    if outcome == "approved":
        person = session.get(Person, application.person_id)
        values["basis_snapshot"] = _snapshot(basis_for(session, person, application.start_date))
    changed = session.execute(
        update(PensionApplication).where(
            PensionApplication.id == application.id,
            PensionApplication.status.in_(OPEN_STATUSES),
            PensionApplication.start_date == application.start_date,
        ).values(**values)
    ).rowcount
    if changed != 1:
        session.rollback()
        session.refresh(application)
        if application.status in OPEN_STATUSES:
            raise StartChanged(application.start_date)
        raise _already(session, application)
    audit.record(session, f"pension_{outcome}", actor_id=actor.id, subject_person_id=application.person_id,
                 application=application.id, start=application.start_date.isoformat(), reason=reason,
                 letter_to=values["letter_to"])
    session.commit()
    session.refresh(application)
    return application


def redate(session: Session, *, actor: Person, roles: Mapping[int, set[str]], application_id: int,
           start: date) -> PensionApplication:
    """Register another start date: the basis is computed for it and the application waits for
    a decision again. Raises InvalidStartDate, AlreadyDecided, NotFound or NotAllowed."""
    application = _scoped(session, roles, application_id)
    if application.status not in OPEN_STATUSES:
        raise _already(session, application)
    person = session.get(Person, application.person_id)
    basis = basis_for(session, person, start)
    previous = application.start_date
    changed = session.execute(
        update(PensionApplication).where(
            PensionApplication.id == application.id, PensionApplication.status.in_(OPEN_STATUSES),
        ).values(status="redated", start_date=start, basis_snapshot=_snapshot(basis))
    ).rowcount
    if changed != 1:
        session.rollback()
        raise _already(session, application)
    audit.record(session, "pension_redated", actor_id=actor.id, subject_person_id=application.person_id,
                 application=application.id, start=start.isoformat(), previous_start=previous.isoformat())
    session.commit()
    session.refresh(application)
    return application


def snapshot_of(application: PensionApplication) -> dict:
    try:
        return json.loads(application.basis_snapshot or "{}")
    except ValueError:
        return {}
