"""The change of the RIPS liability between two calculations and its causes, as far as the
register allows (issue 7: new earnings, indexation, interest, payments, assumption changes).

A roll-forward in steps, each valued with ``what_if_totals`` so the steps add up exactly to
current − previous (excl. löneskatt), before and from 1998 separately:

1. ``leavers``: persons of the previous calculation who are not in the current one (valued as before);
2. ``interest``: unwinding of the discount, previous reserve × ((1 + r)^(months/12) − 1);
3. ``payments``: the expected payments of the period (whole calendar years between the dates, see
   ``_whole_years``) by the previous calculation — expected, not the actual payments;
4. ``ageing``: the rest of moving the same rights to the new date with the same assumptions
   (mortality experience expected by the table, entering the payment age, rounding);
5. ``indexation``: the previous rights indexed to the new calculation year (PBB ratio, never below
   1 as livräntor never fall; the AKAP-KR IPR 2022 with IBB) — project reading, see domain/README.md;
6. ``new_earnings``: the rest of the change of the same persons' rights (new livränta, new IPR 2022,
   a changed category or pension amount);
7. ``new_persons``: persons only in the current calculation;
8. ``assumptions``: the current rights under the current assumptions minus under the previous ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, localcontext

from domain.liability import (
    ZERO,
    LiabilityAssumptions,
    LiabilityTotals,
    ReserveBasis,
    change_assumptions,
    what_if_totals,
)
from domain.money import round_krona, round_ore
from domain.parameters import MissingParameter, ibb, pbb

CHANGE_STEPS = ("leavers", "interest", "payments", "ageing", "indexation", "new_earnings", "new_persons", "assumptions")
_IBB_INDEXED = frozenset({"akapkr_ipr_2022"})


@dataclass(frozen=True, slots=True)
class ChangeStep:
    code: str  # one of CHANGE_STEPS
    before_1998: Decimal
    from_1998: Decimal

    @property
    def total(self) -> Decimal:
        return self.before_1998 + self.from_1998


@dataclass(frozen=True, slots=True)
class LiabilityChange:
    previous: LiabilityTotals
    current: LiabilityTotals
    previous_at: date
    current_at: date
    steps: tuple[ChangeStep, ...]  # in the order of CHANGE_STEPS; they add up to current − previous
    notes: tuple[str, ...] = ()  # e.g. "indexation_unavailable"

    @property
    def before_1998(self) -> Decimal:
        return self.current.before_1998 - self.previous.before_1998

    @property
    def from_1998(self) -> Decimal:
        return self.current.from_1998 - self.previous.from_1998

    @property
    def total(self) -> Decimal:
        return self.current.total - self.previous.total

    def step(self, code: str) -> ChangeStep:
        return next(s for s in self.steps if s.code == code)


def _split(t: LiabilityTotals) -> tuple[Decimal, Decimal]:
    return t.before_1998, t.from_1998


def _diff(code: str, new: LiabilityTotals, old: LiabilityTotals) -> ChangeStep:
    return ChangeStep(code, new.before_1998 - old.before_1998, new.from_1998 - old.from_1998)


def _only(bases: Sequence[ReserveBasis], before: bool) -> list[ReserveBasis]:
    return [replace(b, benefits=tuple(r for r in b.benefits if r.earned_before_1998 == before)) for b in bases]


def _calculation_year(at: date) -> int:
    return at.year if (at.month, at.day) == (12, 31) else at.year - 1


def _whole_years(previous_at: date, current_at: date) -> range:
    """The calendar years whose expected payments fall between the two dates: the years after the
    previous date's year (its own year too when the previous date is not a 31 December: payments
    start the month after it) up to the current date's year when that is a 31 December, else the
    year before (reading: whole calendar years, as the expected payments are kept per year)."""
    first = previous_at.year + 1 if previous_at.month == 12 else previous_at.year
    last = current_at.year if (current_at.month, current_at.day) == (12, 31) else current_at.year - 1
    return range(first, last + 1)


def _index_ratios(previous_at: date, current_at: date) -> tuple[Decimal, Decimal] | None:
    y0, y1 = _calculation_year(previous_at), _calculation_year(current_at)
    try:
        pbb_ratio = max(Decimal(1), Decimal(pbb(y1).value) / Decimal(pbb(y0).value))
        ibb_ratio = max(Decimal(1), Decimal(ibb(y1).value) / Decimal(ibb(y0).value))
    except MissingParameter:
        return None
    return pbb_ratio, ibb_ratio


def _indexed(bases: Sequence[ReserveBasis], ratios: tuple[Decimal, Decimal]) -> list[ReserveBasis]:
    pbb_ratio, ibb_ratio = ratios
    return [
        replace(b, benefits=tuple(
            replace(r, yearly_amount=round_ore(r.yearly_amount * (ibb_ratio if r.code in _IBB_INDEXED else pbb_ratio)))
            for r in b.benefits
        ))
        for b in bases
    ]


def explain_change(
    previous: Sequence[ReserveBasis], prev_a: LiabilityAssumptions,
    current: Sequence[ReserveBasis], cur_a: LiabilityAssumptions,
) -> LiabilityChange:
    """The change from (previous, prev_a) to (current, cur_a) in the steps of CHANGE_STEPS."""
    moved = change_assumptions(prev_a, at=cur_a.at)  # previous assumptions at the new date
    current_keys = {b.key for b in current}
    previous_keys = {b.key for b in previous}
    stayed_prev = [b for b in previous if b.key in current_keys]
    stayed_cur = [b for b in current if b.key in previous_keys]
    notes: list[str] = []

    prev_total = what_if_totals(previous, prev_a)
    v0 = what_if_totals(stayed_prev, prev_a)
    steps = [_diff("leavers", v0, prev_total)]

    months = (cur_a.at.year - prev_a.at.year) * 12 + cur_a.at.month - prev_a.at.month
    with localcontext() as ctx:
        ctx.prec = 40
        growth = (1 + prev_a.discount_rate) ** (Decimal(months) / 12) - 1 if months > 0 else ZERO
    interest = ChangeStep("interest", round_krona(v0.before_1998 * growth), round_krona(v0.from_1998 * growth))
    steps.append(interest)

    years = _whole_years(prev_a.at, cur_a.at)
    paid = []
    for before in (True, False):
        expected = what_if_totals(_only(stayed_prev, before), prev_a).expected_payments
        paid.append(-sum((expected.get(y, ZERO) for y in years), ZERO))
    payments = ChangeStep("payments", paid[0], paid[1])
    steps.append(payments)

    v1 = what_if_totals(stayed_prev, moved)
    steps.append(ChangeStep(
        "ageing",
        v1.before_1998 - v0.before_1998 - interest.before_1998 - payments.before_1998,
        v1.from_1998 - v0.from_1998 - interest.from_1998 - payments.from_1998,
    ))

    ratios = _index_ratios(prev_a.at, cur_a.at)
    if ratios is None:
        notes.append("indexation_unavailable")
        v_idx = v1
    else:
        v_idx = what_if_totals(_indexed(stayed_prev, ratios), moved)
    steps.append(_diff("indexation", v_idx, v1))

    v2 = what_if_totals(stayed_cur, moved)
    steps.append(_diff("new_earnings", v2, v_idx))
    cur_prev_assumptions = what_if_totals(current, moved)
    steps.append(_diff("new_persons", cur_prev_assumptions, v2))
    cur_total = what_if_totals(current, cur_a)
    steps.append(_diff("assumptions", cur_total, cur_prev_assumptions))
    return LiabilityChange(
        previous=prev_total,
        current=cur_total,
        previous_at=prev_a.at,
        current_at=cur_a.at,
        steps=tuple(steps),
        notes=tuple(notes),
    )
