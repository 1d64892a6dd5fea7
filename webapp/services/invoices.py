"""Contribution invoices of an organisation: the draft of a half-year computed from today's register,
issuing it (fixing its lines at the cut-off) and the corrections of issued periods on the next one.

Design: an invoice is issued at its period's cut-off and stores its lines as JSON, with the salary
each amount was computed on (``webapp.models.Invoice``). The next invoice recomputes every issued
period from today's register and adds the difference to what was invoiced as correction lines
(``domain.invoice.corrections``). Nothing else about the register's past is needed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain import Explanation, MissingParameter
from domain.invoice import KINDS, Coverage, InvoiceLine, Period, corrections, invoice_lines
from webapp.models import AgreementMembership, Choice, Employment, Invoice, Organisation, Person, SalaryYear
from webapp.services import audit
from webapp.services.choices import CAMPAIGN_CODE
from webapp.services.history import build_history
from webapp.services.register_edit import _employed_at

# The site invoices from the first AKAP-KR half-year (AKAP-KR and the tilläggsavgift start
# 2023-01-01, SKR Q&A [S29]); earlier years were invoiced before the site existed.
FIRST_PERIOD = Period(2023, 1)
CHOSE_AKAPKR_STATUSES = ("approved", "reported")  # a choice the employer accepted
ZERO = Decimal(0)


class InvoiceError(Exception):
    """Why a period cannot be issued: ``code`` is one of not_ended, issued, earlier_not_issued,
    incomplete (an employee's amounts cannot be computed: a yearly parameter is missing)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Row:
    person_id: int
    name: str
    pnr: str
    line: InvoiceLine


@dataclass(frozen=True)
class Total:
    kind: str
    contribution: Decimal
    payroll_tax: Decimal
    paid_as_salary: Decimal

    @property
    def total(self) -> Decimal:
        return self.contribution + self.payroll_tax


@dataclass(frozen=True)
class Specification:
    period: Period
    invoice: Invoice | None  # None: a draft computed from today's register
    rows: list[Row]
    totals: list[Total]  # per kind, own lines and corrections apart
    correction_totals: list[Total]
    missing: list[str]  # names of employees whose amounts cannot be computed (a parameter is missing)

    @property
    def total(self) -> Decimal:
        return sum((row.line.total for row in self.rows), ZERO)


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    invoice: Invoice | None
    ended: bool


def mask_pnr(pnr: str) -> str:
    """Birth date and a masked serial: enough to tell people apart on screen (docs/report-format.md
    keeps the full number for downloads)."""
    return f"{pnr[:8]}-****"


def periods(session: Session, organisation_id: int, today: date) -> list[PeriodStatus]:
    """Every half-year from FIRST_PERIOD to the current one, newest first."""
    issued = {(i.year, i.half): i for i in session.exec(select(Invoice).where(Invoice.organisation_id == organisation_id))}
    found, period, current = [], FIRST_PERIOD, Period.containing(today)
    while period <= current:
        found.append(PeriodStatus(period, issued.get((period.year, period.half)), period.end < today))
        period = period.next()
    return found[::-1]


def invoice_of(session: Session, organisation_id: int, period: Period) -> Invoice | None:
    return session.exec(select(Invoice).where(
        Invoice.organisation_id == organisation_id, Invoice.year == period.year, Invoice.half == period.half)).first()


# -- who owes what ---------------------------------------------------------------------------------


def _coverage_reader(memberships: list[AgreementMembership], chose_akapkr: bool, birth_year: int):
    """The agreement of a person in a period: the membership in force at the period's end; a 2023
    chooser of AKAP-KR is in AKAP-KR from 2023 with tilläggsavgift (SKR Q&A [S3]). Without any
    membership: AKAP-KR for those born 1986 or later (AKAP-KL from 2014, renamed 2023), KAP-KL for
    the others (reading; the register normally holds the memberships)."""
    ordered = sorted(memberships, key=lambda m: m.valid_from)

    def coverage_at(period: Period) -> Coverage:
        if chose_akapkr and period.start >= date(2023, 1, 1):
            return Coverage("AKAP-KR", True)
        current = [m.agreement for m in ordered if m.valid_from <= period.end]
        if current:
            return Coverage(current[-1])
        return Coverage("AKAP-KR" if birth_year >= 1986 else "KAP-KL")

    return coverage_at


@dataclass(frozen=True)
class _Employee:
    person: Person
    history: object  # domain.PersonHistory with this organisation's salaries and employments
    coverage_at: object


def _employees(session: Session, organisation: Organisation) -> list[_Employee]:
    """The organisation's employees with histories of this employer's salaries only (the employer
    owes contributions on the salary it paid); a handful of queries for the whole organisation."""
    persons = session.exec(select(Person).where(_employed_at(organisation.id))
                           .order_by(Person.family_name, Person.given_name, Person.id)).all()
    ids = [p.id for p in persons]
    employments, salaries, memberships = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in session.exec(select(Employment).where(Employment.organisation_id == organisation.id)):
        employments[row.person_id].append((row, organisation.org_number))
    # Only the invoiced years: contributions are computed from the salary of their own year.
    for row in session.exec(select(SalaryYear.person_id, SalaryYear.year, SalaryYear.amount,
                                   SalaryYear.full_time_amount)
                            .where(SalaryYear.organisation_id == organisation.id,
                                   SalaryYear.year >= FIRST_PERIOD.year)):
        salaries[row.person_id].append(row)
    for row in session.exec(select(AgreementMembership).where(AgreementMembership.person_id.in_(ids))):
        memberships[row.person_id].append(row)
    choosers = set(session.exec(select(Choice.person_id).where(
        Choice.person_id.in_(ids), Choice.campaign == CAMPAIGN_CODE, Choice.agreement == "AKAP-KR",
        Choice.status.in_(CHOSE_AKAPKR_STATUSES))))
    found = []
    for person in persons:
        history = build_history(person, sorted(employments[person.id], key=lambda e: e[0].start_date),
                                salaries[person.id], [], [])
        found.append(_Employee(person, history,
                               _coverage_reader(memberships[person.id], person.id in choosers, person.birth_date.year)))
    return found


def _stored(line: dict) -> InvoiceLine:
    return InvoiceLine(
        kind=line["kind"], period=Period.parse(line["period"]), salary=Decimal(line["salary"]),
        contribution=Decimal(line["contribution"]), paid_as_salary=Decimal(line["paid_as_salary"]),
        payroll_tax=Decimal(line["payroll_tax"]), correction=line["correction"],
        explanation=Explanation(rule="invoiced", source="issued invoice"),
    )


def _as_json(person_id: int, line: InvoiceLine) -> dict:
    return {"person_id": person_id, "kind": line.kind, "period": str(line.period), "salary": str(line.salary),
            "contribution": str(line.contribution), "paid_as_salary": str(line.paid_as_salary),
            "payroll_tax": str(line.payroll_tax), "correction": line.correction}


def _draft_lines(session: Session, organisation: Organisation, period: Period):
    """(person_id → lines, names that could not be computed) for a period not yet issued."""
    earlier = [i for i in session.exec(select(Invoice).where(Invoice.organisation_id == organisation.id))
               if Period(i.year, i.half) < period]
    invoiced: dict[int, list[InvoiceLine]] = defaultdict(list)
    for invoice in earlier:
        for line in json.loads(invoice.lines):
            invoiced[line["person_id"]].append(_stored(line))
    issued_periods = [Period(i.year, i.half) for i in earlier]
    lines: dict[int, tuple[InvoiceLine, ...]] = {}
    missing = []
    for employee in _employees(session, organisation):
        cover = employee.coverage_at(period)
        try:
            own = invoice_lines(employee.history, period, agreement=cover.agreement,
                                chose_akapkr=cover.chose_akapkr, employer=organisation.org_number)
            fixes = corrections(employee.history, invoiced.get(employee.person.id, ()),
                                coverage_at=employee.coverage_at, employer=organisation.org_number,
                                periods=issued_periods)
        except MissingParameter:
            missing.append(employee.person.name)
            continue
        if own or fixes:
            lines[employee.person.id] = own + fixes
    return lines, missing


def _totals(lines: list[InvoiceLine]) -> list[Total]:
    sums: dict[str, list[Decimal]] = {}
    for line in lines:
        entry = sums.setdefault(line.kind, [ZERO, ZERO, ZERO])
        entry[0] += line.contribution
        entry[1] += line.payroll_tax
        entry[2] += line.paid_as_salary
    return [Total(kind, *sums[kind]) for kind in KINDS if kind in sums]


def specification(session: Session, organisation: Organisation, period: Period) -> Specification:
    """The issued invoice of the period, or its draft from today's register."""
    invoice = invoice_of(session, organisation.id, period)
    missing: list[str] = []
    if invoice is not None:
        per_person: dict[int, list[InvoiceLine]] = defaultdict(list)
        for line in json.loads(invoice.lines):
            per_person[line["person_id"]].append(_stored(line))
    else:
        per_person, missing = _draft_lines(session, organisation, period)
    persons = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(list(per_person))))}
    order = sorted(per_person, key=lambda pid: (persons[pid].family_name, persons[pid].given_name, pid))
    rows = [Row(pid, persons[pid].name, persons[pid].pnr, line) for pid in order for line in per_person[pid]]
    return Specification(
        period=period, invoice=invoice, rows=rows,
        totals=_totals([r.line for r in rows if not r.line.correction]),
        correction_totals=_totals([r.line for r in rows if r.line.correction]),
        missing=missing,
    )


def employee_lines(session: Session, organisation: Organisation, period: Period, person_id: int):
    """Today's computation of one employee's amounts for a period, with explanations."""
    for employee in _employees(session, organisation):
        if employee.person.id == person_id:
            cover = employee.coverage_at(period)
            return employee.person, cover, invoice_lines(
                employee.history, period, agreement=cover.agreement, chose_akapkr=cover.chose_akapkr,
                employer=organisation.org_number)
    return None


def issue(session: Session, organisation: Organisation, period: Period, *, actor_id: int, now: datetime) -> Invoice:
    """Fix the period's invoice at its cut-off (now): in order, after the period has ended, once."""
    if period.end >= now.date():
        raise InvoiceError("not_ended")
    if invoice_of(session, organisation.id, period) is not None:
        raise InvoiceError("issued")
    if period > FIRST_PERIOD and invoice_of(session, organisation.id, period.previous()) is None:
        raise InvoiceError("earlier_not_issued")
    lines, missing = _draft_lines(session, organisation, period)
    if missing:
        raise InvoiceError("incomplete")  # an invoice without some employees would look complete
    invoice = Invoice(organisation_id=organisation.id, year=period.year, half=period.half, issued_at=now,
                      issued_by_id=actor_id,
                      lines=json.dumps([_as_json(pid, line) for pid, found in lines.items() for line in found]))
    session.add(invoice)
    audit.record(session, "invoice_issued", actor_id=actor_id, organisation_id=organisation.id,
                 period=str(period), lines=sum(len(found) for found in lines.values()))
    try:
        session.commit()
    except IntegrityError:  # issued at the same moment by someone else: the unique constraint holds
        session.rollback()
        raise InvoiceError("issued") from None
    return invoice
