"""What an employer owes for one employee in an invoice period, and the corrections of earlier periods.

Readings chosen here (domain-spec 2.2, 3, 3.1, 5):

- The invoice **period is a half-year** (``Period(year, half)``): AKAP-KR is computed per half-year
  (KPA [S30]; SKR [S29]), so a half-year is the smallest unit whose amount is final. KPA collects it
  quarterly in arrears [S30]; splitting a half-year's amount over two quarters is the administrator's
  payment schedule, not a different amount, and is left out.
- The KAP-KL defined-contribution part is computed per calendar year (Valcentralen [S2]; KPA [S4])
  and paid by 31 March of the next year (RIPS 07 [S26]): it is on the invoice of the **second
  half-year** of its year, once the year's salary is known.
- The tilläggsavgift of a 2023 chooser is computed per half-year like the contribution it tops up
  (KPA [S30][S32]) and until 65 (SKR Q&A [S3]); it is on the invoice of its half-year. Its rate
  table is flagged unconfirmed (spec 3.1), and the flag travels in the line's explanation.
- **Särskild löneskatt** 24.26 % (Skatteverket [S45]; Fastigo [S46]) is charged on each contribution
  the employer pays in. A contribution under the small-amount limit is paid to the employee as
  salary instead (Skandikon [S31], ``contributions.paid_as_salary``): such a line shows the amount as
  paid as salary and carries neither contribution nor löneskatt (salary bears employer's social
  security contributions, not löneskatt).
- Rounding: each contribution is rounded to the öre by its rule (``domain.contributions``); the
  löneskatt of a line is rounded to the öre, half up; totals are exact sums of the lines; a
  correction is the exact difference of öre amounts, so an invoice plus its later corrections equals
  a recomputation from the final salaries to the öre.
- **Corrections**: an invoice is fixed at its cut-off (when it is issued). A salary reported later
  changes what is owed for that period; the next invoice carries, for each earlier period and kind,
  the difference between what is owed now and what was invoiced so far (the original line and any
  earlier corrections), as a correction line naming the period it corrects.
- Per employer: contributions are owed by the employer that paid the salary. The caller passes a
  history holding that employer's salaries only; ``employer`` (an organisation number) restricts the
  employments, which decide how a year's salary is spread over its months.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from domain.contributions import (
    akapkr_contributions,
    kapkl_dc_contribution,
    paid_as_salary,
    supplementary_contributions,
)
from domain.explanation import Explanation, ParameterUse
from domain.model import PersonHistory
from domain.money import round_ore
from domain.parameters import parameter
from domain.results import Contribution

ZERO = Decimal(0)
KINDS = ("akapkr", "tillaggsavgift", "kapkl_dc")
AGREEMENTS = ("KAP-KL", "AKAP-KL", "AKAP-KR")
SOURCE_LONESKATT = "Särskild löneskatt på pensionskostnader: Skatteverket [S45]; Fastigo [S46]; domain-spec 5"
SOURCE_CORRECTION = "Invoice correction: salary reported after the cut-off (issue 9; domain/invoice.py)"
_PERIOD = re.compile(r"^(\d{4})-([12])$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """An invoice period: a half-year (1 = January–June, 2 = July–December)."""

    year: int
    half: int

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise ValueError("half must be 1 or 2")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"2023-2"`` → Period(2023, 2); ValueError on anything else."""
        match = _PERIOD.match(text)
        if not match:
            raise ValueError(f"not a period: {text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls(day.year, 1 if day.month <= 6 else 2)

    def __str__(self) -> str:
        return f"{self.year}-{self.half}"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def previous(self) -> Period:
        return Period(self.year - 1, 2) if self.half == 1 else Period(self.year, 1)

    def next(self) -> Period:
        return Period(self.year, 2) if self.half == 1 else Period(self.year + 1, 1)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which agreement a person's contributions follow in a period, and whether they chose AKAP-KR
    in 2023 (then tilläggsavgift is owed, KPA [S32])."""

    agreement: str  # KAP-KL | AKAP-KL | AKAP-KR
    chose_akapkr: bool = False

    def __post_init__(self) -> None:
        if self.agreement not in AGREEMENTS:
            raise ValueError(f"unknown agreement {self.agreement!r}")


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One amount of one employee on an invoice: a contribution of ``kind`` for ``period`` (for a
    correction, the period it corrects). Kronor to the öre."""

    kind: str  # one of KINDS
    period: Period
    salary: Decimal  # the pensionable salary the contribution was computed on
    contribution: Decimal  # invoiced contribution (0 when paid as salary)
    paid_as_salary: Decimal  # shown, not invoiced (Skandikon [S31])
    payroll_tax: Decimal  # särskild löneskatt on ``contribution``
    explanation: Explanation
    correction: bool = False

    @property
    def total(self) -> Decimal:
        """What the employer pays for this line: contribution plus särskild löneskatt."""
        return self.contribution + self.payroll_tax


def payroll_tax_rate(at: date) -> ParameterUse:
    """Särskild löneskatt on pension costs, 24.26 % (Skatteverket [S45]; Fastigo [S46])."""
    return parameter("sarskild_loneskatt", at)


def _line(kind: str, period: Period, contribution: Contribution) -> InvoiceLine:
    as_salary = paid_as_salary(contribution)
    rate = payroll_tax_rate(period.start)
    tax = round_ore(contribution.amount * Decimal(rate.value))
    notes: tuple[str, ...] = ()
    if as_salary:
        notes = ("below the small-amount limit: paid to the employee as salary, not invoiced",)
    return InvoiceLine(
        kind=kind,
        period=period,
        salary=contribution.salary,
        contribution=contribution.amount,
        paid_as_salary=as_salary,
        payroll_tax=tax,
        explanation=Explanation(
            rule="invoice_line",
            source=SOURCE_LONESKATT,
            inputs=(("period", str(period)), ("kind", kind), ("contribution", contribution.amount)),
            parameters=(rate,),
            formula=f"{contribution.amount} × {rate.value} = {tax} (rounded to the öre)",
            notes=notes,
            parts=(contribution.explanation,),
        ),
    )


def _for_employer(history: PersonHistory, employer: str | None) -> PersonHistory:
    if employer is None:
        return history
    return replace(history, employments=tuple(e for e in history.employments if e.employer == employer))


def invoice_lines(
    history: PersonHistory, period: Period, *, agreement: str, chose_akapkr: bool = False,
    employer: str | None = None,
) -> tuple[InvoiceLine, ...]:
    """The amounts owed for one employee in ``period`` (see the module docstring for the readings).

    ``history`` holds the salaries paid by the invoicing employer; ``agreement`` is the person's
    agreement in the period; ``chose_akapkr`` adds the tilläggsavgift. Lines whose amounts are all
    zero are left out.
    """
    coverage = Coverage(agreement, chose_akapkr)
    history = _for_employer(history, employer)
    found: list[InvoiceLine] = []
    if coverage.agreement == "KAP-KL":
        # Yearly DC part, invoiced with the year's second half (Valcentralen [S2]; KPA [S4]; RIPS 07 [S26]).
        if period.half == 2:
            dc = kapkl_dc_contribution(history, period.year)
            if dc is not None:
                found.append(_line("kapkl_dc", period, dc))
    else:
        found.append(_line("akapkr", period, akapkr_contributions(history, period.year)[period.half - 1]))
        if coverage.chose_akapkr:
            supplementary = supplementary_contributions(history, period.year)[period.half - 1]
            found.append(_line("tillaggsavgift", period, supplementary))
    return tuple(line for line in found if line.contribution or line.paid_as_salary)


def _sums(lines: Iterable[InvoiceLine]) -> dict[tuple[Period, str], list[Decimal]]:
    sums: dict[tuple[Period, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    for line in lines:
        entry = sums[(line.period, line.kind)]
        entry[0] += line.salary
        entry[1] += line.contribution
        entry[2] += line.paid_as_salary
        entry[3] += line.payroll_tax
    return sums


def corrections(
    current_history: PersonHistory, invoiced: Iterable[InvoiceLine], *,
    coverage_at: Callable[[Period], Coverage], employer: str | None = None,
    periods: Iterable[Period] = (),
) -> tuple[InvoiceLine, ...]:
    """Correction lines for every invoiced period (``periods``, and those of the ``invoiced``
    lines): what is owed now (from ``current_history``) minus everything invoiced for it so far, per
    kind; no line where nothing changed. Pass the issued periods in ``periods`` so that a salary
    reported for a period in which the person had no line at all is corrected too.
    ``coverage_at`` gives the person's agreement in each corrected period."""
    invoiced = tuple(invoiced)
    before = _sums(invoiced)
    periods = sorted(set(periods) | {line.period for line in invoiced})
    owed_lines: list[InvoiceLine] = []
    for period in periods:
        cover = coverage_at(period)
        owed_lines += invoice_lines(
            current_history, period, agreement=cover.agreement, chose_akapkr=cover.chose_akapkr, employer=employer
        )
    owed = _sums(owed_lines)
    found = []
    for key in sorted(set(before) | set(owed), key=lambda k: (k[0], KINDS.index(k[1]))):
        was = before.get(key, [ZERO] * 4)
        now = owed.get(key, [ZERO] * 4)
        diff = [n - w for n, w in zip(now, was, strict=True)]
        if not any(diff[1:]):
            continue  # a salary change that does not change any amount needs no line
        period, kind = key
        found.append(InvoiceLine(
            kind=kind,
            period=period,
            salary=diff[0],
            contribution=diff[1],
            paid_as_salary=diff[2],
            payroll_tax=diff[3],
            correction=True,
            explanation=Explanation(
                rule="invoice_correction",
                source=SOURCE_CORRECTION,
                inputs=(("corrected_period", str(period)), ("kind", kind),
                        ("invoiced_contribution", was[1]), ("owed_contribution_now", now[1]),
                        ("invoiced_payroll_tax", was[3]), ("owed_payroll_tax_now", now[3])),
                formula=f"({now[1]} − {was[1]}) + ({now[3]} − {was[3]}) = {diff[1] + diff[3]}",
                parts=tuple(line.explanation for line in owed_lines if (line.period, line.kind) == key),
            ),
        ))
    return tuple(found)


def invoice_with_corrections(
    current_history: PersonHistory, reported_history_at_cutoff: PersonHistory, period: Period, *,
    agreement: str, chose_akapkr: bool = False, employer: str | None = None,
) -> tuple[InvoiceLine, ...]:
    """The invoice of ``period`` for one employee: its own lines from today's salaries, plus the
    corrections of the previous period, which was invoiced from ``reported_history_at_cutoff`` (the
    register as it stood at that period's cut-off). Same agreement in both periods; the web layer
    uses ``corrections`` directly with everything invoiced before and the agreement per period."""
    cover = Coverage(agreement, chose_akapkr)
    previous = period.previous()
    invoiced = invoice_lines(
        reported_history_at_cutoff, previous, agreement=agreement, chose_akapkr=chose_akapkr, employer=employer
    )
    return invoice_lines(
        current_history, period, agreement=agreement, chose_akapkr=chose_akapkr, employer=employer
    ) + corrections(current_history, invoiced, coverage_at=lambda _p: cover, employer=employer)
