"""Turn the register rows of one person into the domain's input (``domain.PersonHistory``)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from sqlmodel import Session, select

from domain import Employment as DomainEmployment
from domain import LeavePeriod as DomainLeavePeriod
from domain import PersonHistory
from domain import SalaryYear as DomainSalaryYear
from webapp.models import EarnedRight, Employment, LeavePeriod, Organisation, Person, SalaryYear


@dataclass(frozen=True)
class PersonRecords:
    """One person's register rows, loaded together once: the domain's input and what the
    employee pages list (organisation names), with a fingerprint of all of it."""

    person: Person
    employments: tuple[tuple[Employment, str, str], ...]  # (row, organisation number, organisation name)
    salaries: tuple[tuple[SalaryYear, str], ...]  # (row, organisation name)
    leaves: tuple[LeavePeriod, ...]
    rights: tuple[EarnedRight, ...]

    @cached_property
    def history(self) -> PersonHistory:
        return build_history(
            self.person, [(e, number) for e, number, _ in self.employments], [s for s, _ in self.salaries],
            self.leaves, self.rights,
        )

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever anything the employee pages compute or show from these rows changes,
        so a rendered page part can be kept under it (webapp/render_cache.py)."""
        shown = (
            self.person.id,
            self.history,
            tuple((e.start_date, name) for e, _, name in self.employments),
            tuple((s.year, s.amount, s.full_time_amount, name) for s, name in self.salaries),
        )
        return hashlib.sha256(repr(shown).encode()).hexdigest()


def load_records(session: Session, person: Person) -> PersonRecords:
    employments = session.exec(
        select(Employment, Organisation.org_number, Organisation.name)
        .join(Organisation, Organisation.id == Employment.organisation_id)
        .where(Employment.person_id == person.id)
        .order_by(Employment.start_date, Employment.id)
    ).all()
    salaries = session.exec(
        select(SalaryYear, Organisation.name)
        .join(Organisation, Organisation.id == SalaryYear.organisation_id)
        .where(SalaryYear.person_id == person.id)
        .order_by(SalaryYear.year, SalaryYear.id)
    ).all()
    leaves = session.exec(
        select(LeavePeriod).where(LeavePeriod.person_id == person.id).order_by(LeavePeriod.start_date)
    ).all()
    rights = session.exec(select(EarnedRight).where(EarnedRight.person_id == person.id).order_by(EarnedRight.id)).all()
    return PersonRecords(person, tuple(tuple(r) for r in employments), tuple(tuple(r) for r in salaries),
                         tuple(leaves), tuple(rights))


HISTORY_CHUNK = 500  # persons whose register rows are loaded per IN (...) query


def histories(session: Session, persons: Sequence[Person]) -> dict[int, PersonHistory]:
    """The domain histories of many persons (as ``person_history`` gives them), four queries per
    chunk of persons. Rows are read as plain column tuples: ``build_history`` reads attributes
    only, and building thousands of ORM objects took most of the time."""
    out: dict[int, PersonHistory] = {}
    for start in range(0, len(persons), HISTORY_CHUNK):
        chunk = persons[start:start + HISTORY_CHUNK]
        ids = [p.id for p in chunk]
        employments: dict[int, list] = {i: [] for i in ids}
        for row in session.exec(
                select(Employment.person_id, Employment.start_date, Employment.end_date, Employment.pay_type,
                       Employment.degree, Organisation.org_number)
                .join(Organisation, Organisation.id == Employment.organisation_id)
                .where(Employment.person_id.in_(ids)).order_by(Employment.start_date, Employment.id)):
            employments[row.person_id].append((row, row.org_number))
        salaries = _by_person(ids, session.exec(select(
            SalaryYear.person_id, SalaryYear.year, SalaryYear.amount, SalaryYear.full_time_amount)
            .where(SalaryYear.person_id.in_(ids))))
        leaves = _by_person(ids, session.exec(select(
            LeavePeriod.person_id, LeavePeriod.start_date, LeavePeriod.end_date, LeavePeriod.kind)
            .where(LeavePeriod.person_id.in_(ids)).order_by(LeavePeriod.start_date)))
        rights = _by_person(ids, session.exec(select(EarnedRight.person_id, EarnedRight.kind, EarnedRight.amount)
                                              .where(EarnedRight.person_id.in_(ids))))
        for person in chunk:
            out[person.id] = build_history(person, employments[person.id], salaries[person.id],
                                           leaves[person.id], rights[person.id])
    return out


def _by_person(ids, rows) -> dict[int, list]:
    grouped: dict[int, list] = {i: [] for i in ids}
    for row in rows:
        grouped[row.person_id].append(row)
    return grouped


def person_history(session: Session, person: Person) -> PersonHistory:
    return load_records(session, person).history


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
