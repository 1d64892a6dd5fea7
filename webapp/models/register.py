"""The employment and salary register: employers, persons, employments, salaries, leave, rights."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

MONEY = {"max_digits": 14, "decimal_places": 2}


class Organisation(SQLModel, table=True):
    """An employer: a municipality, a region or one of their companies."""

    id: int | None = Field(default=None, primary_key=True)
    org_number: str = Field(max_length=10, unique=True, index=True)
    name: str = Field(max_length=200)


class Person(SQLModel, table=True):
    """A person known to the register; the personal identity number is the key from the login."""

    __table_args__ = (Index("ix_person_name", "family_name", "given_name"),)  # employer search and sort

    id: int | None = Field(default=None, primary_key=True)
    pnr: str = Field(max_length=12, unique=True, index=True)  # 12 digits, no separator
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    birth_date: date
    is_test_person: bool = Field(default=False)  # demo identities are fictional and marked so
    fixed_monthly_salary_2022_12_31: Decimal | None = Field(default=None, **MONEY)
    pension_granted_on: date | None = None
    sap_granted: bool = Field(default=False)
    fap_in_payment: bool = Field(default=False)
    # Bumped by database triggers (migration 0009_person_data_version) whenever a row that the
    # person's own pages show changes: the person, their employments, salaries, leave, rights,
    # agreements, employer roles, choices and decisions, late-choice requests, pension
    # applications, pre-calculations, and the name of an organisation they work at. The page
    # cache (webapp/render_cache.py) keys on it. Application code never sets it.
    data_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Employment(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("degree > 0 AND degree <= 100", name="ck_employment_degree"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_employment_dates"),
        CheckConstraint("pay_type IN ('monthly', 'hourly')", name="ck_employment_pay_type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    start_date: date
    end_date: date | None = None  # last day, inclusive
    pay_type: str = Field(max_length=10)  # monthly | hourly
    degree: Decimal = Field(max_digits=5, decimal_places=2)  # employment degree in percent


class SalaryYear(SQLModel, table=True):
    """Pensionable salary paid by one employer to one person in one calendar year."""

    __table_args__ = (
        UniqueConstraint("person_id", "organisation_id", "year", name="uq_salary_person_org_year"),
        CheckConstraint("amount >= 0", name="ck_salary_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    year: int
    amount: Decimal = Field(**MONEY)
    full_time_amount: Decimal | None = Field(default=None, **MONEY)  # hourly paid, converted per AB


class LeavePeriod(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_leave_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    start_date: date
    end_date: date | None = None
    kind: str = Field(max_length=30)  # leave | sickness_compensation | activity_compensation


class EarnedRight(SQLModel, table=True):
    """Rights fixed in the register: IPR 1997/98 (and its part above the ceiling), yearly livränta."""

    __table_args__ = (UniqueConstraint("person_id", "kind", "year", name="uq_earned_right"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=30)  # ipr_1997 | ipr_1997_above_ceiling | livranta
    year: int
    amount: Decimal = Field(**MONEY)


class AgreementMembership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("person_id", "valid_from", name="uq_membership_from"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    agreement: str = Field(max_length=10)  # KAP-KL | AKAP-KL | AKAP-KR
    valid_from: date


class EmployerRole(SQLModel, table=True):
    """Links a staff member to an organisation as handler (prepares) or approver (decides)."""

    __table_args__ = (
        UniqueConstraint("person_id", "organisation_id", "role", name="uq_employer_role"),
        CheckConstraint("role IN ('handler', 'approver')", name="ck_employer_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: str = Field(max_length=10)
