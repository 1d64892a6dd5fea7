"""Contribution invoices: one per organisation and half-year, fixed when issued (its cut-off)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Invoice(SQLModel, table=True):
    """An issued invoice. ``lines`` is JSON: one object per employee and amount, with the salary the
    amount was computed on, as the register held it at the cut-off (``issued_at``). Later salary
    changes are compared with these lines and corrected on the next invoice (domain/invoice.py)."""

    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "half", name="uq_invoice_org_period"),
        CheckConstraint("half IN (1, 2)", name="ck_invoice_half"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    year: int
    half: int
    issued_at: datetime
    issued_by_id: int | None = Field(default=None, foreign_key="person.id")
    lines: str = Field(sa_column=Column(Text, nullable=False))
