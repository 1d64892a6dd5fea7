"""Choices, their decisions, late-choice requests and report batches to the administrator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Choice(SQLModel, table=True):
    """A signed, irrevocable choice. The database allows one per person and campaign."""

    __table_args__ = (
        UniqueConstraint("person_id", "campaign", name="uq_choice_person_campaign"),
        CheckConstraint("agreement IN ('KAP-KL', 'AKAP-KR')", name="ck_choice_agreement"),
        CheckConstraint(
            "status IN ('received', 'approved', 'rejected', 'reported')", name="ck_choice_status"
        ),
        # The employer queue (migration 0003_employer).
        Index("ix_choice_org_status_chosen", "organisation_id", "status", "chosen_at", "id"),
        Index("ix_choice_org_chosen", "organisation_id", "chosen_at", "id"),
        Index("ix_choice_org_reported", "organisation_id", "status", "report_batch_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True, index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    campaign: str = Field(max_length=20)
    agreement: str = Field(max_length=10)
    chosen_at: datetime
    is_late: bool = Field(default=False)
    status: str = Field(default="received", max_length=10, index=True)
    signed_text: str = Field(sa_column=Column(Text, nullable=False))
    signed_evidence: str = Field(sa_column=Column(Text, nullable=False))  # the signing login's ID token
    comparison_snapshot: str = Field(sa_column=Column(Text, nullable=False))  # JSON of what the person saw
    report_batch_id: int | None = Field(default=None, foreign_key="reportbatch.id", index=True)


class Decision(SQLModel, table=True):
    """The employer's decision on a choice; unique per choice so a case is decided once."""

    id: int | None = Field(default=None, primary_key=True)
    choice_id: int = Field(foreign_key="choice.id", unique=True)
    outcome: str = Field(max_length=10)  # approved | rejected
    reason: str | None = Field(default=None, sa_column=Column(Text))
    decided_by: int = Field(foreign_key="person.id")
    decided_at: datetime


class LateChoiceRequest(SQLModel, table=True):
    """An employee who was unable to choose in time asks the employer to allow a late choice."""

    __table_args__ = (
        UniqueConstraint("person_id", "campaign", name="uq_late_request_person_campaign"),
        CheckConstraint("status IN ('pending', 'granted', 'refused')", name="ck_late_request_status"),
        Index("ix_late_request_org_status", "organisation_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    campaign: str = Field(max_length=20)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    requested_at: datetime
    status: str = Field(default="pending", max_length=10, index=True)
    decided_by: int | None = Field(default=None, foreign_key="person.id")
    decided_at: datetime | None = None
    decision_reason: str | None = Field(default=None, sa_column=Column(Text))


class ReportBatch(SQLModel, table=True):
    """A numbered export of approved choices to the administrator, kept byte for byte."""

    __table_args__ = (UniqueConstraint("organisation_id", "number", name="uq_batch_org_number"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    number: int
    created_at: datetime
    created_by: int = Field(foreign_key="person.id")
    csv_content: str = Field(sa_column=Column(Text, nullable=False))
    json_content: str = Field(sa_column=Column(Text, nullable=False))
