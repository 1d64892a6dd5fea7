"""Turn the register rows of one person into the domain's input (``domain.PersonHistory``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlmodel import Session, select

from domain import Employment as DomainEmployment
from domain import LeavePeriod as DomainLeavePeriod
from domain import PersonHistory
from domain import SalaryYear as DomainSalaryYear
from webapp.models import EarnedRight, Employment, LeavePeriod, Organisation, Person, SalaryYear


def person_history(session: Session, person: Person) -> PersonHistory:
    employments = session.exec(
        select(Employment, Organisation.org_number)
        .join(Organisation, Organisation.id == Employment.organisation_id)
        .where(Employment.person_id == person.id)
        .order_by(Employment.start_date)
    ).all()
    salaries = session.exec(select(SalaryYear).where(SalaryYear.person_id == person.id)).all()
    leaves = session.exec(
        select(LeavePeriod).where(LeavePeriod.person_id == person.id).order_by(LeavePeriod.start_date)
    ).all()
    rights = session.exec(select(EarnedRight).where(EarnedRight.person_id == person.id)).all()
    return build_history(person, employments, salaries, leaves, rights)


def build_history(person, employments, salaries, leaves, rights) -> PersonHistory:
    """Pure assembly from already loaded rows, so batch loaders can reuse it."""
    # The rules work per calendar year: salaries from several employers in one year add up.
    per_year: dict[int, Decimal] = defaultdict(Decimal)
    full_time: dict[int, Decimal] = defaultdict(Decimal)
    has_full_time: set[int] = set()
    for salary in salaries:
        per_year[salary.year] += salary.amount
        if salary.full_time_amount is not None:
            full_time[salary.year] += salary.full_time_amount
            has_full_time.add(salary.year)
        else:
            full_time[salary.year] += salary.amount
    ipr = {r.kind: r.amount for r in rights if r.kind in ("ipr_1997", "ipr_1997_above_ceiling")}
    return PersonHistory(
        birth_date=person.birth_date,
        employments=tuple(
            DomainEmployment(
                employer=org_number,
                start=employment.start_date,
                end=employment.end_date,
                pay_type=employment.pay_type,
                degree=Decimal(employment.degree),
            )
            for employment, org_number in employments
        ),
        salaries=tuple(
            DomainSalaryYear(
                year=year,
                amount=per_year[year],
                full_time_amount=full_time[year] if year in has_full_time else None,
            )
            for year in sorted(per_year)
        ),
        leaves=tuple(
            DomainLeavePeriod(start=leave.start_date, end=leave.end_date, kind=leave.kind) for leave in leaves
        ),
        ipr_1997=ipr.get("ipr_1997", Decimal(0)),
        ipr_1997_above_ceiling=ipr.get("ipr_1997_above_ceiling", Decimal(0)),
        fixed_monthly_salary_2022_12_31=person.fixed_monthly_salary_2022_12_31,
        pension_granted_on=person.pension_granted_on,
        sap_granted=person.sap_granted,
        fap_in_payment=person.fap_in_payment,
    )
