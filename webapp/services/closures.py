"""Planned closures: which one is announced or in force at a given time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from webapp.models import PlannedClosure


def closure_in_force(session: Session, at: datetime) -> PlannedClosure | None:
    return session.exec(
        select(PlannedClosure)
        .where(PlannedClosure.starts_at <= at, PlannedClosure.ends_at > at)
        .order_by(PlannedClosure.ends_at.desc())
    ).first()


def closure_to_announce(session: Session, at: datetime) -> PlannedClosure | None:
    """The closure in force, or the next one whose announcement period has begun."""
    for closure in session.exec(
        select(PlannedClosure).where(PlannedClosure.ends_at > at).order_by(PlannedClosure.starts_at)
    ):
        if closure.starts_at - timedelta(hours=closure.announce_hours) <= at:
            return closure
    return None


def schedule_closure(session: Session, starts_at: datetime, ends_at: datetime, message_sv: str = "",
                     message_en: str = "", announce_hours: int = 72) -> PlannedClosure:
    if ends_at <= starts_at:
        raise ValueError("A closure must end after it starts.")
    closure = PlannedClosure(starts_at=starts_at, ends_at=ends_at, announce_hours=announce_hours,
                             message_sv=message_sv, message_en=message_en)
    session.add(closure)
    session.commit()
    return closure
