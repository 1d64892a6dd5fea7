"""The employer's pension liability (RIPS): who belongs to an organisation's liability, the
calculation from the register, saved calculations, the change since the previous one and what-if.

Readings of this layer (the rules themselves are in ``domain/liability.py``):
- A person belongs to the liability of the organisation of their latest employment that started
  on or before the calculation date, so nobody is counted twice within an employer group.
- Category: ``pensioner`` when a pension was granted on or before the date, or FÅP / SAP is in
  payment (the register holds those two as flags without a date); ``active`` when that latest
  employment covers the date; otherwise ``paid_up`` (former employee), kept only with some right.
- ``chose_akapkr``: an approved (or reported) AKAP-KR choice of the 2023 campaign, for dates from
  1 January 2023, when the move took effect.
- The register holds no amount of a pension in payment, so ``pension_in_payment`` stays 0 and the
  domain values the earned rights as in payment (its note ``pension_amount_unknown``).
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from decimal import Decimal

from flask import current_app, has_app_context
from sqlalchemy import delete, func, insert
from sqlmodel import Session, select

from domain import MissingParameter, PersonHistory
from domain import liability as rips
from webapp.models import (
    Choice,
    Employment,
    LiabilityCalculation,
    LiabilityRow,
    Person,
)
from webapp.services import audit
from webapp.services import liability_codec as codec
from webapp.services.choices import CAMPAIGN_CODE
from webapp.services.history import histories

ZERO = Decimal(0)
CHUNK = 500  # persons whose register rows are loaded per query
AKAPKR_FROM = date(2023, 1, 1)  # the 2023 choice moved people to AKAP-KR from this day (spec 4)
CHOSEN_STATUSES = ("approved", "reported")


def sex_from_pnr(pnr: str) -> str | None:
    """Legal sex from the personal identity number: the second-to-last digit (the 9th of the
    ten-digit form YYMMDD-NNNC) is odd for men and even for women (Skatteverket). Mortality
    tables differ by sex; None when the number is not of that form."""
    digits = "".join(ch for ch in pnr if ch.isdigit())
    if len(digits) not in (10, 12):
        return None
    return "M" if int(digits[-2]) % 2 else "F"


@dataclass(frozen=True)
class Member:
    person: Person
    status: str  # active | paid_up | pensioner
    chose_akapkr: bool


class CalculationFailed(Exception):
    """The calculation cannot be made at that date (a parameter has no value for it)."""

    def __init__(self, parameter: str, at: date):
        super().__init__(parameter, at)
        self.parameter = parameter
        self.at = at


# --- who belongs to the liability --------------------------------------------------------------


def _is_pensioner(person: Person, at: date) -> bool:
    granted = person.pension_granted_on is not None and person.pension_granted_on <= at
    return granted or person.fap_in_payment or person.sap_granted


def members(session: Session, organisation_id: int, at: date) -> list[Member]:
    """The persons of the organisation's liability at ``at`` with their category, by id."""
    here = select(Employment.person_id).where(Employment.organisation_id == organisation_id,
                                              Employment.start_date <= at)
    latest: dict[int, Employment] = {}
    for employment in session.exec(select(Employment).where(
            Employment.person_id.in_(here), Employment.start_date <= at)):
        current = latest.get(employment.person_id)
        if current is None or (employment.start_date, employment.id) > (current.start_date, current.id):
            latest[employment.person_id] = employment
    ids = sorted(pid for pid, e in latest.items() if e.organisation_id == organisation_id)
    chose: set[int] = set()
    result = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        if at >= AKAPKR_FROM:
            chose |= set(session.exec(select(Choice.person_id).where(
                Choice.person_id.in_(chunk), Choice.campaign == CAMPAIGN_CODE, Choice.agreement == "AKAP-KR",
                Choice.status.in_(CHOSEN_STATUSES))))
        for person in session.exec(select(Person).where(Person.id.in_(chunk)).order_by(Person.id)):
            employment = latest[person.id]
            if _is_pensioner(person, at):
                status = "pensioner"
            elif employment.end_date is None or employment.end_date >= at:
                status = "active"
            else:
                status = "paid_up"
            result.append(Member(person, status, person.id in chose))
    return result


# --- making and storing a calculation ----------------------------------------------------------


def default_date(today: date) -> date:
    """The last 31 December before today: the date of the annual accounts."""
    return date(today.year - 1, 12, 31)


def assumptions_at(at: date) -> rips.LiabilityAssumptions:
    try:
        return rips.default_assumptions(at)
    except MissingParameter as missing:
        raise CalculationFailed(str(missing.args[0]) if missing.args else "", at) from None


def _without_explanation(value):
    return dataclasses.replace(value, explanation=None)


def _compact(basis: rips.ReserveBasis) -> rips.ReserveBasis:
    """The basis as stored for what-if: the benefits without their explanations."""
    return dataclasses.replace(basis, benefits=tuple(_without_explanation(b) for b in basis.benefits))


def _row(basis: rips.ReserveBasis, reserve: rips.PersonReserve) -> dict:
    return {
        "person_id": basis.key, "category": basis.category, "birth_date": basis.birth_date, "sex": basis.sex,
        "basis": codec.dumps(_compact(basis)),
        "benefit_explanations": codec.dumps(tuple(b.explanation for b in basis.benefits)),
        "parts": codec.dumps(tuple(_without_explanation(p) for p in reserve.parts)),
        "expected_payments": codec.dumps(reserve.expected_payments),
        "before_1998": reserve.before_1998, "from_1998": reserve.from_1998,
        "payroll_tax_before_1998": reserve.payroll_tax_before_1998,
        "payroll_tax_from_1998": reserve.payroll_tax_from_1998,
    }


def start(session: Session, *, organisation_id: int, at: date, actor_id: int | None, now,
          label: str = "") -> LiabilityCalculation:
    """Store a new calculation as running, with the assumptions in force at ``at`` (a date without
    them fails here, before anything is stored); ``run`` then computes it."""
    assumptions = assumptions_at(at)
    calculation = LiabilityCalculation(
        organisation_id=organisation_id, at=at, label=label.strip()[:200], assumptions=codec.dumps(assumptions),
        totals="{}", created_at=now, created_by=actor_id, status="running", heartbeat_at=now)
    session.add(calculation)
    session.flush()
    audit.record(session, "liability.calculated", actor_id=actor_id, organisation_id=organisation_id,
                 calculation_id=calculation.id, at=at.isoformat())
    session.commit()
    return calculation


def _light(reserve: rips.PersonReserve, expected: dict[int, Decimal]) -> rips.PersonReserve:
    """The reserve as kept for the totals of every person: without explanations, and with its
    expected payments added to ``expected`` (a dict per person would take hundreds of MB at 50 000)."""
    for year, amount in reserve.expected_payments.items():
        expected[year] = expected.get(year, ZERO) + amount
    return dataclasses.replace(reserve, explanation=None, expected_payments={},
                               parts=tuple(_without_explanation(p) for p in reserve.parts))


def _totals(reserves: list[rips.PersonReserve], expected: dict[int, Decimal]) -> rips.LiabilityTotals:
    """``total_liability`` of the light reserves with the exact sum of the expected payments put
    back through the domain's own ``make_totals`` (which rounds them per year)."""
    t = rips.total_liability(reserves)
    return rips.make_totals(t.persons, t.before_1998, t.from_1998, t.by_category, expected, t.payroll_tax_rate)


def run(engine, calculation_id: int, now_fn) -> str:
    """Compute every member's reserve with the calculation's assumptions and store the rows, a
    chunk of persons per transaction (progress and heartbeat after each); returns the status.

    Persons whose basis cannot be computed (a parameter missing for their history) are listed in
    ``skipped`` rather than failing the whole organisation."""
    with Session(engine, expire_on_commit=False) as session:
        calculation = session.get(LiabilityCalculation, calculation_id)
        assumptions, at = assumptions_of(calculation), calculation.at
        try:
            group = members(session, calculation.organisation_id, at)
            reserves, skipped, expected = [], [], {}
            for first in range(0, len(group), CHUNK):
                chunk = group[first:first + CHUNK]
                by_id = histories(session, [m.person for m in chunk])
                rows = []
                for member in chunk:
                    basis, reserve = _reserve(member, by_id[member.person.id], at, assumptions, skipped)
                    if reserve is not None:
                        reserves.append(_light(reserve, expected))
                        rows.append({**_row(basis, reserve), "calculation_id": calculation_id})
                if rows:
                    session.execute(insert(LiabilityRow), rows)
                calculation.progress = (first + len(chunk)) * 100 // len(group)
                calculation.heartbeat_at = now_fn()
                session.add(calculation)
                session.commit()
            calculation.totals = codec.dumps(_totals(reserves, expected))
            calculation.persons, calculation.skipped = len(reserves), json.dumps(skipped)
            calculation.status, calculation.progress = "done", 100
        except Exception:
            session.rollback()
            session.execute(delete(LiabilityRow).where(LiabilityRow.calculation_id == calculation_id))
            calculation = session.get(LiabilityCalculation, calculation_id)
            calculation.status = "failed"
            session.add(calculation)
            session.commit()
            raise
        session.add(calculation)
        session.commit()
        return calculation.status


def _reserve(member: Member, history: PersonHistory, at: date, assumptions, skipped: list):
    """(basis, reserve) of one member, or (None, None) when left out or not computable."""
    person = member.person
    subject = rips.LiabilityPerson(key=person.id, history=history, sex=sex_from_pnr(person.pnr),
                                   status=member.status, chose_akapkr=member.chose_akapkr)
    try:
        basis = rips.reserve_basis(subject, at)
        if member.status == "paid_up" and not basis.benefits:
            return None, None  # a former employee without any right is not part of the liability
        return basis, rips.person_reserve(basis, assumptions)
    except (MissingParameter, ValueError) as error:
        skipped.append({"person_id": person.id, "reason": type(error).__name__})
        return None, None


def calculate(session: Session, *, organisation_id: int, at: date, actor_id: int | None, now,
              label: str = "") -> LiabilityCalculation:
    """``start`` and ``run`` in one go (the demo data and tests; the pages run it in a thread)."""
    calculation = start(session, organisation_id=organisation_id, at=at, actor_id=actor_id, now=now, label=label)
    run(session.get_bind(), calculation.id, lambda: now)
    session.expire_all()
    return session.get(LiabilityCalculation, calculation.id)


STALE_AFTER = timedelta(minutes=2)  # a running calculation without a heartbeat for this long died


def state_of(calculation: LiabilityCalculation, now) -> str:
    """running | done | failed, where a running calculation whose worker died counts as failed."""
    if calculation.status == "running" and calculation.heartbeat_at is not None:
        beat = calculation.heartbeat_at
        beat = beat if beat.tzinfo else beat.replace(tzinfo=UTC)
        if now - beat > STALE_AFTER:
            return "failed"
    return calculation.status


def start_worker(app, calculation_id: int) -> None:
    """Run the calculation in a thread of this process (config LIABILITY_WORKER = "inline" runs it
    in the request, as the tests and small demos may)."""
    from webapp import clock

    def work():
        with app.app_context():
            try:
                run(app.extensions["db_engine"], calculation_id, clock.now)
            except Exception:  # already marked failed; the log keeps the cause
                app.logger.exception("liability calculation %s failed", calculation_id)

    if app.config.get("LIABILITY_WORKER", "thread") == "inline":
        work()
    else:
        threading.Thread(target=work, name=f"liability-{calculation_id}", daemon=True).start()


# --- reading saved calculations ----------------------------------------------------------------


def calculations_of(session: Session, organisation_id: int) -> list[LiabilityCalculation]:
    """Saved calculations, the latest calculation date first (then the latest made)."""
    return list(session.exec(select(LiabilityCalculation)
                             .where(LiabilityCalculation.organisation_id == organisation_id)
                             .order_by(LiabilityCalculation.at.desc(), LiabilityCalculation.id.desc())))


def calculation_of(session: Session, organisation_id: int, calculation_id: int) -> LiabilityCalculation | None:
    calculation = session.get(LiabilityCalculation, calculation_id)
    if calculation is None or calculation.organisation_id != organisation_id:
        return None
    return calculation


def previous_of(session: Session, calculation: LiabilityCalculation) -> LiabilityCalculation | None:
    """The saved calculation with the latest date before this one's (the year before, normally)."""
    return session.exec(
        select(LiabilityCalculation)
        .where(LiabilityCalculation.organisation_id == calculation.organisation_id,
               LiabilityCalculation.at < calculation.at, LiabilityCalculation.status == "done")
        .order_by(LiabilityCalculation.at.desc(), LiabilityCalculation.id.desc())).first()


def assumptions_of(calculation: LiabilityCalculation) -> rips.LiabilityAssumptions:
    return codec.loads(calculation.assumptions)


def totals_of(calculation: LiabilityCalculation) -> rips.LiabilityTotals:
    return codec.loads(calculation.totals)


def skipped_of(calculation: LiabilityCalculation) -> list[dict]:
    return json.loads(calculation.skipped or "[]")


def persons_by_category(session: Session, calculation: LiabilityCalculation) -> dict[str, int]:
    return dict(session.exec(select(LiabilityRow.category, func.count()).where(
        LiabilityRow.calculation_id == calculation.id).group_by(LiabilityRow.category)).all())


# The bases of a saved calculation never change: the app keeps the last few in memory for what-if.
_BASES_CACHE_SIZE = 4


def _bases_cache() -> dict | None:
    return current_app.extensions.setdefault("liability_bases", {}) if has_app_context() else None


def bases_of(session: Session, calculation: LiabilityCalculation) -> tuple[rips.ReserveBasis, ...]:
    """The stored reserve bases (without explanations): what a what-if or a change needs."""
    cache = _bases_cache()
    if cache is not None and calculation.id in cache:
        return cache[calculation.id]
    bases = tuple(codec.loads(text) for text in session.exec(
        select(LiabilityRow.basis).where(LiabilityRow.calculation_id == calculation.id)
        .order_by(LiabilityRow.person_id)))
    if cache is not None and calculation.status == "done":
        if len(cache) >= _BASES_CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[calculation.id] = bases
    return bases


def what_if(session: Session, calculation: LiabilityCalculation,
            assumptions: rips.LiabilityAssumptions) -> rips.LiabilityTotals:
    """The organisation's totals under other assumptions, from the saved bases (nothing stored)."""
    return rips.what_if_totals(bases_of(session, calculation), assumptions)


def change_since(session: Session, previous: LiabilityCalculation, current: LiabilityCalculation):
    """The change between two saved calculations and its causes, as far as the domain explains it
    (kept by the app: both calculations are done, so it never changes)."""
    cache = current_app.extensions.setdefault("liability_changes", {}) if has_app_context() else {}
    key = (previous.id, current.id)
    if key not in cache:
        if len(cache) >= _BASES_CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = rips.explain_change(bases_of(session, previous), assumptions_of(previous),
                                         bases_of(session, current), assumptions_of(current))
    return cache[key]


def expected_payments(totals: rips.LiabilityTotals, years: int = 40) -> dict[int, Decimal]:
    """The first ``years`` calendar years of expected payments (the chart and its table)."""
    return {year: totals.expected_payments[year] for year in sorted(totals.expected_payments)[:years]}


# --- one person --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    row: LiabilityRow
    person: Person
    reserve: rips.PersonReserve  # recomputed from the saved basis, with its explanation
    unchanged: bool  # the recomputation gives the saved figures (the rules have not changed since)
    parts: tuple  # the saved ReserveParts (without explanations)


def person_in(session: Session, calculation: LiabilityCalculation, person_id: int) -> PersonView | None:
    row = session.exec(select(LiabilityRow).where(LiabilityRow.calculation_id == calculation.id,
                                                  LiabilityRow.person_id == person_id)).first()
    if row is None:
        return None
    basis = codec.loads(row.basis)
    explained = codec.loads(row.benefit_explanations)
    full = tuple(dataclasses.replace(b, explanation=e) for b, e in zip(basis.benefits, explained, strict=True))
    reserve = rips.person_reserve(dataclasses.replace(basis, benefits=full), assumptions_of(calculation))
    saved = (row.before_1998, row.from_1998, row.payroll_tax_before_1998, row.payroll_tax_from_1998)
    unchanged = (reserve.before_1998, reserve.from_1998, reserve.payroll_tax_before_1998,
                 reserve.payroll_tax_from_1998) == tuple(Decimal(v) for v in saved)
    return PersonView(row, session.get(Person, person_id), reserve, unchanged, codec.loads(row.parts))


def record_download(session: Session, *, actor_id: int, calculation: LiabilityCalculation, fmt: str,
                    rows: int) -> None:
    audit.record(session, "liability.downloaded", actor_id=actor_id,
                 organisation_id=calculation.organisation_id, calculation_id=calculation.id, format=fmt,
                 rows=rows)
    session.commit()
