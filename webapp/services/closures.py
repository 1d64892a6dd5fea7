"""Planned closures: which one is announced or in force at a given time."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from webapp.models import PlannedClosure


def closure_in_force(session: Session, at: datetime) -> PlannedClosure | None:
    return session.exec(
        select(PlannedClosure)
        .where(PlannedClosure.starts_at <= at, PlannedClosure.ends_at > at)
        .order_by(PlannedClosure.ends_at.desc())
    ).first()


def schedule_closure(session: Session, starts_at: datetime, ends_at: datetime, message_sv: str = "",
                     message_en: str = "", announce_hours: int = 72) -> PlannedClosure:
    if ends_at <= starts_at:
        raise ValueError("A closure must end after it starts.")
    closure = PlannedClosure(starts_at=starts_at, ends_at=ends_at, announce_hours=announce_hours,
                             message_sv=message_sv, message_en=message_en)
    session.add(closure)
    session.commit()
    global _scheduled_here
    _scheduled_here += 1  # this process's pages show it at once (webapp/closures.py)
    return closure


_scheduled_here = 0


def scheduled_here() -> int:
    """How many closures this process has scheduled: a change means its kept list is old."""
    return _scheduled_here
