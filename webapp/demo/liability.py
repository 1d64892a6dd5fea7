"""Saved pension liability calculations for the demo: Exempelby Energi AB (the smallest demo
employer, so it takes about a second) at the end of 2021 and of 2022, so the liability page shows
totals, the change between the two and the causes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from webapp.demo.organisations import ORGANISATION_BY_KEY
from webapp.models import EmployerRole, Organisation
from webapp.services import liability

ORGANISATION = "exempelby-energi"
DATES = (date(2021, 12, 31), date(2022, 12, 31))
MADE_AT = datetime(2023, 2, 15, 9, 0, tzinfo=UTC)  # before the demo date, 2023-04-20


def add_calculations(engine) -> int:
    """Calculate and store the demo calculations; returns how many were made."""
    with Session(engine, expire_on_commit=False) as session:
        organisation = session.exec(select(Organisation).where(
            Organisation.org_number == ORGANISATION_BY_KEY[ORGANISATION].org_number)).first()
        if organisation is None:
            return 0
        actor = session.exec(select(EmployerRole.person_id).where(
            EmployerRole.organisation_id == organisation.id).order_by(EmployerRole.id)).first()
        for at in DATES:
            liability.calculate(session, organisation_id=organisation.id, at=at, actor_id=actor, now=MADE_AT,
                                label=f"Bokslut {at.year}")
    return len(DATES)
