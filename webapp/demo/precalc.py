"""A saved pre-calculation in the demo: the handler of Exempelby kommun made one for Anna Andersson
(retirement at 63, addressed to her), so the employer's list and her "Pre-calculations" page show
one. Computed by the domain like any other, dated the day before the demo's "today"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection
from sqlmodel import Session, select

import domain
from webapp.models import Employment, Organisation, Person
from webapp.services import precalc
from webapp.services import simulation as simulation_service

DAY = date(2023, 4, 19)
EMPLOYEE = "196503129824"  # Anna Andersson (webapp/demo/named.py)
HANDLER = "197803039911"  # Johan Jansson, handler at Exempelby kommun


def add_demo_precalculation(connection: Connection) -> None:
    session = Session(bind=connection)
    people = {p.pnr: p for p in session.exec(select(Person).where(Person.pnr.in_((EMPLOYEE, HANDLER))))}
    if len(people) < 2:
        return
    anna = people[EMPLOYEE]
    organisation = session.exec(select(Organisation).join(Employment, Employment.organisation_id == Organisation.id)
                                .where(Employment.person_id == anna.id)).first()
    page = simulation_service.page_options(session, anna, DAY)
    request = domain.SimulationRequest(retirement_age=63, agreement=page.agreements.own)
    simulation, cover = simulation_service.simulate(page, request, DAY)
    precalc.save(session, actor=people[HANDLER], organisation=organisation, person=anna, simulation=simulation,
                 survivors=cover, note="Demo: inför samtal om pensionsavgång", addressee="employee",
                 now=datetime(2023, 4, 19, 10, 0, tzinfo=UTC))
