"""Retirement: the organisation's monitoring settings and employees' pension applications."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# An application waits for a decision while submitted or redated (the employer registered another
# start date and the basis was recomputed); approved and rejected are final.
OPEN_STATUSES = ("submitted", "redated")
ACTIVE_CONDITION = "status IN ('submitted', 'redated', 'approved')"


class MonitoringSetting(SQLModel, table=True):
    """How many months before a milestone (a code of domain.milestones.MILESTONES) the
    organisation wants to see the employees who reach it."""

    __table_args__ = (
        UniqueConstraint("organisation_id", "milestone", name="uq_monitoring_org_milestone"),
        CheckConstraint("notice_months >= 0 AND notice_months <= 60", name="ck_monitoring_notice"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    milestone: str = Field(max_length=30)
    notice_months: int
    enabled: bool = Field(default=True)


class PensionApplication(SQLModel, table=True):
    """An employee's application to take out the pension from a date, and the employer's decision."""

    __table_args__ = (
        CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected', 'redated')", name="ck_pension_application_status"
        ),
        CheckConstraint("letter_to IS NULL OR letter_to IN ('employee', 'employer')",
                        name="ck_pension_application_letter_to"),
        Index("ix_pension_application_org_status", "organisation_id", "status", "created_at"),
        # One application at a time per employee and employer: waiting or approved (a second click
        # or a second tab cannot add another; a rejected one leaves room for a new application).
        Index("uq_pension_application_active", "person_id", "organisation_id", unique=True,
              sqlite_where=text(ACTIVE_CONDITION), postgresql_where=text(ACTIVE_CONDITION)),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    requested_start: date  # as the employee asked
    start_date: date  # the start the basis is computed for (another one after a redating)
    status: str = Field(default="submitted", max_length=10)
    decided_by: int | None = Field(default=None, foreign_key="person.id")
    decided_at: datetime | None = None
    reason: str | None = Field(default=None, sa_column=Column(Text))
    basis_snapshot: str = Field(sa_column=Column(Text, nullable=False))  # JSON of PensionBasis.to_snapshot()
    letter_to: str | None = Field(default=None, max_length=10)
    created_at: datetime
