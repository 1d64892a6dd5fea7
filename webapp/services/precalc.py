"""Saved pre-calculations (förhandsberäkningar): store a simulation an employer made for an
employee, list and reopen them, and log who saved them and who took out their letters.

A saved pre-calculation is the domain's snapshots as JSON; reopening reads them back and never
recomputes, so it shows the figures, parameters and dates it was made with, whatever has changed
in the register or the parameter files since."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from webapp.models import Organisation, Person, Precalculation
from webapp.models.precalc import ADDRESSEES
from webapp.services import audit

NOTE_MAX = 1000


@dataclass(frozen=True)
class Saved:
    """A saved pre-calculation read back: the row and its snapshots as dicts."""

    row: Precalculation
    subject: dict
    request: dict
    simulation: dict
    survivors: dict | None

    @property
    def id(self) -> int:
        return self.row.id


def save(session: Session, *, actor: Person, organisation: Organisation, person: Person, simulation,
         survivors, note: str, addressee: str, now: datetime) -> Precalculation:
    """Store ``simulation`` (a domain.Simulation) and ``survivors`` (a domain.SurvivorCover or
    None) for ``person``, with the audit entry in the same transaction."""
    if addressee not in ADDRESSEES:
        raise ValueError(f"addressee {addressee!r}")
    snapshot = simulation.to_snapshot()
    subject = {
        "name": person.name,
        "birth_date": person.birth_date.isoformat(),
        "organisation": organisation.name,
        "org_number": organisation.org_number,
    }
    row = Precalculation(
        organisation_id=organisation.id,
        person_id=person.id,
        created_at=now,
        created_by=actor.id,
        note=note.strip()[:NOTE_MAX],
        addressee=addressee,
        calculation_date=simulation.at,
        agreement=simulation.agreement,
        retirement_age=simulation.request.retirement_age,
        total_monthly=simulation.total_monthly,
        subject=_dumps(subject),
        request_snapshot=_dumps(simulation.request.to_snapshot()),
        simulation_snapshot=_dumps(snapshot),
        survivors_snapshot=_dumps(survivors.to_snapshot()) if survivors is not None else None,
    )
    session.add(row)
    session.flush()
    audit.record(session, "precalc.saved", actor_id=actor.id, subject_person_id=person.id,
                 precalculation=row.id, organisation=organisation.id, agreement=row.agreement,
                 retirement_age=row.retirement_age, total_monthly=str(row.total_monthly), addressee=addressee)
    session.commit()
    return row


def record_letter(session: Session, *, actor: Person, saved: Precalculation, addressee: str) -> None:
    """Log that ``actor`` took out the pension letter of ``saved`` addressed to ``addressee``."""
    audit.record(session, "precalc.letter", actor_id=actor.id, subject_person_id=saved.person_id,
                 precalculation=saved.id, organisation=saved.organisation_id, addressee=addressee)
    session.commit()


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def read(row: Precalculation) -> Saved:
    return Saved(
        row=row,
        subject=json.loads(row.subject),
        request=json.loads(row.request_snapshot),
        simulation=json.loads(row.simulation_snapshot),
        survivors=json.loads(row.survivors_snapshot) if row.survivors_snapshot else None,
    )


@dataclass(frozen=True)
class ListRow:
    row: Precalculation
    person_name: str
    author_name: str


def saved_list(session: Session, *, organisation_id: int | None = None, person_id: int | None = None,
               limit: int = 200) -> list[ListRow]:
    """Saved pre-calculations, newest first, of an organisation and/or a person (at least one)."""
    if organisation_id is None and person_id is None:
        raise ValueError("scope the list by organisation or person")
    query = select(Precalculation)
    if organisation_id is not None:
        query = query.where(Precalculation.organisation_id == organisation_id)
    if person_id is not None:
        query = query.where(Precalculation.person_id == person_id)
    rows = session.exec(query.order_by(Precalculation.created_at.desc(), Precalculation.id.desc())
                        .limit(limit)).all()
    ids = {r.person_id for r in rows} | {r.created_by for r in rows}
    names = {p.id: p.name for p in session.exec(select(Person).where(Person.id.in_(ids)))} if ids else {}
    return [ListRow(r, names.get(r.person_id, ""), names.get(r.created_by, "")) for r in rows]


def has_any(session: Session, person_id: int) -> bool:
    """Whether any pre-calculation was saved for ``person_id``."""
    return session.exec(select(Precalculation.id).where(Precalculation.person_id == person_id).limit(1)).first() \
        is not None


def in_organisation(session: Session, organisation_id: int, precalc_id: int) -> Precalculation | None:
    """The pre-calculation, only if it was made by ``organisation``."""
    row = session.get(Precalculation, precalc_id)
    return row if row is not None and row.organisation_id == organisation_id else None


def of_person(session: Session, person_id: int, precalc_id: int) -> Precalculation | None:
    """The pre-calculation, only if it was made for ``person_id``."""
    row = session.get(Precalculation, precalc_id)
    return row if row is not None and row.person_id == person_id else None


