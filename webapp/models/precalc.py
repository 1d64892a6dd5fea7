"""Saved pre-calculations (förhandsberäkningar): a simulation an employer made for an employee and
kept, with everything needed to show it again unchanged a year later."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Index, Text
from sqlmodel import Field, SQLModel

ADDRESSEES = ("employee", "employer")


class Precalculation(SQLModel, table=True):
    """One saved pre-calculation. The JSON columns are the domain's own snapshots
    (``SimulationRequest.to_snapshot()``, ``Simulation.to_snapshot()``, the survivor cover's), so
    reopening shows what was computed then — with the parameters and their dates — and never
    recomputes. ``subject`` keeps the name, birth date and employer as they were, for the letter.
    The summary columns (agreement, age, total) serve the lists without parsing the JSON."""

    __table_args__ = (
        CheckConstraint("addressee IN ('employee', 'employer')", name="ck_precalculation_addressee"),
        Index("ix_precalculation_org_created", "organisation_id", "created_at"),
        Index("ix_precalculation_person_created", "person_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime
    created_by: int = Field(foreign_key="person.id")
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    addressee: str = Field(default="employee", max_length=10)  # whom the pension letter is for
    calculation_date: date  # the day the simulation was computed at (its parameters' date)
    agreement: str = Field(max_length=10)
    retirement_age: int
    total_monthly: Decimal = Field(max_digits=14, decimal_places=2)
    subject: str = Field(sa_column=Column(Text, nullable=False))  # JSON: name, birth date, organisation
    request_snapshot: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    simulation_snapshot: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    survivors_snapshot: str | None = Field(default=None, sa_column=Column(Text))  # JSON; None: not computed
