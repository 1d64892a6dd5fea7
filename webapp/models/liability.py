"""Saved pension liability calculations (RIPS): the calculation with its date and assumptions, and
one row per person with the reserve basis and the reserve, so a calculation reopens unchanged and a
what-if can reload the bases without computing the entitlements again."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from webapp.models.register import MONEY

CATEGORIES = ("active", "paid_up", "pensioner")
STATUSES = ("running", "done", "failed")


class LiabilityCalculation(SQLModel, table=True):
    """One organisation's pension liability at a calculation date. Made in the background (status
    running → done | failed); never changed once done."""

    __table_args__ = (
        Index("ix_liabilitycalculation_org_at", "organisation_id", "at", "id"),
        CheckConstraint("status IN ('running', 'done', 'failed')", name="ck_liabilitycalculation_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    at: date  # the calculation date, normally a 31 December
    label: str = Field(default="", max_length=200)
    # domain.LiabilityAssumptions as JSON, with the dated parameters (value, from-date, source) used.
    assumptions: str = Field(sa_column=Column(Text, nullable=False))
    # domain.LiabilityTotals of the rows as JSON (the organisation page shows them without summing).
    totals: str = Field(sa_column=Column(Text, nullable=False))
    persons: int = 0
    # Persons who belong to the liability but whose reserve could not be calculated (ids and reason).
    skipped: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="done", max_length=10)
    progress: int = 0  # percent of the persons calculated while running
    heartbeat_at: datetime | None = None  # the worker's last sign of life; stale → shown as interrupted


class LiabilityRow(SQLModel, table=True):
    """One person's reserve in a saved calculation."""

    __table_args__ = (
        UniqueConstraint("calculation_id", "person_id", name="uq_liabilityrow_calculation_person"),
        CheckConstraint("category IN ('active', 'paid_up', 'pensioner')", name="ck_liabilityrow_category"),
    )

    id: int | None = Field(default=None, primary_key=True)
    calculation_id: int = Field(foreign_key="liabilitycalculation.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    category: str = Field(max_length=10)
    birth_date: date
    sex: str | None = Field(default=None, max_length=1)
    # The ReserveBasis with its benefits but without their explanations (small: what a what-if
    # reloads) ...
    basis: str = Field(sa_column=Column(Text, nullable=False))
    # ... and their explanations, read only for the person's page.
    benefit_explanations: str = Field(sa_column=Column(Text, nullable=False))
    parts: str = Field(sa_column=Column(Text, nullable=False))  # the ReserveParts: code, amount, reserve
    expected_payments: str = Field(sa_column=Column(Text, nullable=False))  # year -> amount
    before_1998: Decimal = Field(**MONEY)  # ansvarsförbindelse, excluding löneskatt
    from_1998: Decimal = Field(**MONEY)  # avsättning, excluding löneskatt
    payroll_tax_before_1998: Decimal = Field(**MONEY)
    payroll_tax_from_1998: Decimal = Field(**MONEY)

    @property
    def total(self) -> Decimal:
        return Decimal(self.before_1998) + Decimal(self.from_1998)

    @property
    def total_with_tax(self) -> Decimal:
        return self.total + Decimal(self.payroll_tax_before_1998) + Decimal(self.payroll_tax_from_1998)
