"""My pension and the KAP-KL / AKAP-KR comparison: load the person's register rows, ask ``domain``.

Read-only use cases, so no audit entries. The choice blueprint calls ``comparison`` to snapshot
the comparison a choice was based on (``result.comparison.to_snapshot()``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

import domain
from webapp.models import Employment, Person
from webapp.services.history import PersonRecords

COMPARISON_AGES = range(61, 70)


@dataclass(frozen=True)
class EmploymentRow:
    organisation: str
    start: date
    end: date | None
    pay_type: str
    degree: Decimal


@dataclass(frozen=True)
class SalaryRow:
    """One calendar year's pensionable salary (all employers together) and its role in the PU."""

    year: int
    amount: Decimal
    full_time_amount: Decimal | None
    employers: tuple[str, ...]
    indexed: Decimal | None = None  # indexed to the pensionsunderlag's year, when the PU considered it
    counted: bool = False  # one of the five years the pensionsunderlag counted


@dataclass(frozen=True)
class MyPension:
    person: Person
    at: date
    employments: tuple[EmploymentRow, ...]
    salaries: tuple[SalaryRow, ...] = ()
    entitlements: object | None = None  # domain.Entitlements
    eligibility: object | None = None  # domain.Eligibility
    campaign: object | None = None  # domain.ChoiceCampaign
    caveats: tuple[str, ...] = field(default=())

    @property
    def has_employment(self) -> bool:
        return bool(self.employments)


@dataclass(frozen=True)
class YearContributions:
    """What the employer pays into the defined-contribution pension in one year under each
    alternative, as the comparison projects it (in today's money)."""

    year: int
    stay: Decimal  # KAP-KL 4.5 %
    move: Decimal  # AKAP-KR 6 % / 31.5 %
    supplementary: Decimal  # the tilläggsavgift of those who choose AKAP-KR

    @property
    def move_total(self) -> Decimal:
        return self.move + self.supplementary


@dataclass(frozen=True)
class ComparisonResult:
    comparison: object  # domain.Comparison at the chosen retirement age
    by_age: dict[int, object]  # retirement age → domain.Comparison
    assumptions: object  # domain.ComparisonAssumptions
    contributions: YearContributions | None = None

    @property
    def part_codes(self) -> tuple[str, ...]:
        """The parts of either alternative, each once, in the order the domain gives them."""
        codes: dict[str, None] = {}
        for part in (*self.comparison.stay.parts, *self.comparison.move.parts):
            codes.setdefault(part.code, None)
        return tuple(codes)


def has_employment(session: Session, person: Person) -> bool:
    """Whether the register knows any employment of ``person`` with one of our employers."""
    return session.exec(select(Employment.id).where(Employment.person_id == person.id).limit(1)).first() is not None


def _employments(records: PersonRecords) -> tuple[EmploymentRow, ...]:
    return tuple(
        EmploymentRow(name, e.start_date, e.end_date, e.pay_type, Decimal(e.degree)) for e, _, name in records.employments
    )


def _salaries(records: PersonRecords, pensionsunderlag) -> tuple[SalaryRow, ...]:
    amount: dict[int, Decimal] = defaultdict(Decimal)
    full_time: dict[int, Decimal | None] = {}
    employers: dict[int, list[str]] = defaultdict(list)
    for salary, name in records.salaries:
        amount[salary.year] += salary.amount
        if salary.full_time_amount is not None:
            full_time[salary.year] = (full_time.get(salary.year) or Decimal(0)) + salary.full_time_amount
        employers[salary.year].append(name)
    indexed = dict(pensionsunderlag.indexed) if pensionsunderlag is not None else {}
    counted = set(pensionsunderlag.counted_years) if pensionsunderlag is not None else set()
    return tuple(
        SalaryRow(
            year=year,
            amount=amount[year],
            full_time_amount=full_time.get(year),
            employers=tuple(sorted(set(employers[year]))),
            indexed=indexed.get(year),
            counted=year in counted,
        )
        for year in sorted(amount, reverse=True)
    )


def my_pension(records: PersonRecords, at: date) -> MyPension:
    """Everything the "my pension" page shows on day ``at``."""
    employments = _employments(records)
    if not employments:
        return MyPension(person=records.person, at=at, employments=())
    history = records.history
    entitlements = domain.entitlements(history, at)
    campaign = domain.choice_campaign("2023")
    eligibility = domain.eligibility_2023(history, campaign)
    return MyPension(
        person=records.person,
        at=at,
        employments=employments,
        salaries=_salaries(records, entitlements.pensionsunderlag),
        entitlements=entitlements,
        eligibility=eligibility,
        campaign=campaign,
        caveats=tuple(entitlements.caveats),
    )


def eligibility(records: PersonRecords):
    """Whether the person may make the 2023 choice, rule by rule (domain.Eligibility)."""
    return domain.eligibility_2023(records.history, domain.choice_campaign("2023"))


def default_assumptions(at: date):
    """The comparison's default assumptions (domain parameter file ``comparison_defaults``)."""
    return domain.default_assumptions(at)


def comparison(records: PersonRecords, assumptions, at: date) -> ComparisonResult | None:
    """Staying in KAP-KL against moving to AKAP-KR; None without an employment."""
    if not records.employments:
        return None
    history = records.history
    by_age = domain.compare_ages(history, assumptions, at, ages=COMPARISON_AGES)
    chosen = by_age.get(assumptions.retirement_age)
    if chosen is None:
        chosen = domain.compare(history, assumptions, at)
    return ComparisonResult(
        comparison=chosen, by_age=dict(by_age), assumptions=assumptions,
        contributions=_contributions(chosen, max(at.year, 2023)),
    )


def _yearly_from_runs(part, year: int) -> Decimal:
    """The contribution of ``year`` from a defined-contribution part's runs of years
    (``contributions_by_years``: (first year, last year, amount each year))."""
    if part is None:
        return Decimal(0)
    runs = dict(part.explanation.inputs).get("contributions_by_years", ())
    return sum((amount for first, last, amount in runs if first <= year <= last), Decimal(0))


def _contributions(comparison, year: int) -> YearContributions | None:
    """The contributions of ``year`` on each side; None when neither side pays any that year."""
    result = YearContributions(
        year=year,
        stay=_yearly_from_runs(comparison.stay.part("kapkl_dc"), year),
        move=_yearly_from_runs(comparison.move.part("akapkr_dc"), year),
        supplementary=_yearly_from_runs(comparison.move.part("supplementary"), year),
    )
    return result if result.stay or result.move_total else None

