"""The pension liability by RIPS: the reserve of each person, the organisation total, what-if.

RIPS 07 [S26]: the pension reserve is the present value of the pension earned at the calculation
date (retrospective: today's salary and price level, no forecast of salary); the pension liability
is the sum over persons. Only the defined-benefit parts need a reserve: IPR 1997, intjänad livränta
and calendar-year livränta, FÅP/livränta in payment, from 2023 the AKAP-KR IPR 2022 (RIPS 21 vs
2022 [S37]). Blended model: earned before 1998 = ansvarsförbindelse, from 1998 = avsättning [S26].
Real discount rate, never below 0 % (RIPS 17 [S38], RIPS 19 [S39]); särskild löneskatt 24.26 %
([S45][S46]). Factors: ``domain.annuity``; tables: ``domain.mortality``; readings: domain/README.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.annuity import FACTOR_SCALE, age_in_months, annuity_factors, payment_weights
from domain.comparison import akapkr_ipr_2022, akapkr_ipr_value
from domain.entitlements import entitlements
from domain.explanation import Explanation, ParameterUse
from domain.figures import entitlement_figures
from domain.model import PersonHistory
from domain.money import round_krona, round_ore
from domain.mortality import mortality_tables, sex_key, table
from domain.parameters import parameter

ZERO = Decimal(0)
_SCALE = Decimal(FACTOR_SCALE)
CATEGORIES = ("active", "paid_up", "pensioner")
RIPS_SOURCE = "RIPS 07 [S26]; RIPS 17 [S38]; RIPS 19 [S39]; RIPS 21 [S37][S43][S44]"
MAX_DISCOUNT_RATE = Decimal("0.10")
PAYMENT_AGES = range(61, 68)  # earliest 61, latest 67 (KPA [S1], domain-spec 2.6)

# Gap and reading codes -> English text (the web layer translates by code).
NOTES: dict[str, str] = {
    "sap_not_included": "Särskild avtalspension is granted but the register has no amount: not included.",
    "mortality_unconfirmed": "The mortality table is a published stand-in, not the RIPS 21 assumption.",
    "akapkr_ipr_indexation_unconfirmed": "How the AKAP-KR IPR 2022 is valued (IBB indexation) is not confirmed.",
    "pension_split_by_ipr": "The pension in payment is split: the IPR 1997 part is earned before 1998, the rest from 1998.",
    "pension_amount_unknown": "No pension amount in payment is known: the earned rights are valued as in payment.",
}


class InvalidAssumption(ValueError):  # noqa: N818 - the interface's name
    """An assumption outside its allowed range; ``code`` is translated by the web layer:
    below_floor, above_maximum, unknown_table, out_of_range, not_a_number, unknown_field."""

    def __init__(self, field_name: str, code: str):
        self.field = field_name
        self.code = code
        super().__init__(f"{field_name}: {code}")


@dataclass(frozen=True, slots=True)
class LiabilityAssumptions:
    at: date  # calculation date (normally a 31 December)
    discount_rate: Decimal  # real RIPS rate; never below 0 (RIPS 17 [S38])
    mortality: str  # code of a mortality table file
    payroll_tax_rate: Decimal  # särskild löneskatt
    payment_age: int  # start of FÅP/livränta/IPR payments for actives and paid-ups
    sources: tuple[ParameterUse, ...] = field(default=(), compare=False)


_FIELD_PARAMETER = {
    "discount_rate": "rips_discount_rate",
    "mortality": "rips_mortality_table",
    "payroll_tax_rate": "sarskild_loneskatt",
    "payment_age": "rips_payment_age",
}


def _table_use(code: str, at: date) -> ParameterUse:
    t = table(code)
    return ParameterUse(name="mortality_table_source", value=code, applies_from=at, source=t.source,
                        unconfirmed=t.unconfirmed)


def default_assumptions(at: date) -> LiabilityAssumptions:
    """The RIPS assumptions at ``at`` from domain/parameters/liability.toml."""
    rate = parameter("rips_discount_rate", at)
    mortality = parameter("rips_mortality_table", at)
    tax = parameter("sarskild_loneskatt", at)
    age = parameter("rips_payment_age", at)
    return LiabilityAssumptions(
        at=at,
        discount_rate=Decimal(rate.value),
        mortality=str(mortality.value),
        payroll_tax_rate=Decimal(tax.value),
        payment_age=int(age.value),
        sources=(rate, mortality, _table_use(str(mortality.value), at), tax, age),
    )


def _decimal(field_name: str, raw: object) -> Decimal:
    try:
        found = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidAssumption(field_name, "not_a_number") from None
    if not found.is_finite():
        raise InvalidAssumption(field_name, "not_a_number")
    return found


def change_assumptions(a: LiabilityAssumptions, **changes: object) -> LiabilityAssumptions:
    """A copy of ``a`` with ``changes`` (what-if), validated: 0 <= discount_rate <= 0.10 (floor
    RIPS 17 [S38]; the cap is the project's plausibility limit), an existing mortality table,
    payment age 61..67, 0 <= payroll_tax_rate < 1. A changed value's source says it is the user's."""
    values: dict[str, object] = {}
    for name, raw in changes.items():
        if name == "discount_rate":
            rate = _decimal(name, raw)
            if rate < 0:
                raise InvalidAssumption(name, "below_floor")
            if rate > MAX_DISCOUNT_RATE:
                raise InvalidAssumption(name, "above_maximum")
            values[name] = rate
        elif name == "payroll_tax_rate":
            tax = _decimal(name, raw)
            if tax < 0:
                raise InvalidAssumption(name, "below_floor")
            if tax >= 1:
                raise InvalidAssumption(name, "above_maximum")
            values[name] = tax
        elif name == "mortality":
            if str(raw) not in mortality_tables():
                raise InvalidAssumption(name, "unknown_table")
            values[name] = str(raw)
        elif name == "payment_age":
            age = _decimal(name, raw)
            if age != age.to_integral_value():
                raise InvalidAssumption(name, "not_a_number")
            if int(age) not in PAYMENT_AGES:
                raise InvalidAssumption(name, "out_of_range")
            values[name] = int(age)
        elif name == "at":
            if not isinstance(raw, date):
                raise InvalidAssumption(name, "not_a_number")
            values[name] = raw
        else:
            raise InvalidAssumption(name, "unknown_field")
    changed = replace(a, **values)
    sources = []
    for use in a.sources:
        field_name = next((f for f, p in _FIELD_PARAMETER.items() if p == use.name), None)
        if use.name == "mortality_table_source" and "mortality" in values:
            use = _table_use(changed.mortality, changed.at)
        elif field_name in values and values[field_name] != getattr(a, field_name):
            new_value = values[field_name]
            use = ParameterUse(name=use.name, value=new_value if isinstance(new_value, str) else Decimal(new_value),
                               applies_from=changed.at,
                               source="what-if: changed by the user", unconfirmed=False)
        sources.append(use)
    return replace(changed, sources=tuple(sources))


# --- persons and their benefits ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiabilityPerson:
    key: int  # opaque id (database id); never a pnr
    history: PersonHistory
    sex: str | None  # "F" | "M" | None (None -> the table's unisex mortality, domain.mortality)
    status: str  # "active" | "paid_up" | "pensioner"
    chose_akapkr: bool = False  # chose AKAP-KR in 2023: the AKAP-KR IPR 2022 is the DB benefit from 1998 on
    pension_in_payment: Decimal = ZERO  # yearly DB pension in payment (pensioners), if known


@dataclass(frozen=True, slots=True)
class BenefitRight:
    code: str  # ipr_1997, intjanad_livranta, livranta, akapkr_ipr_2022, pension_in_payment_before_1998/_from_1998
    yearly_amount: Decimal  # at the calculation year's level, kronor per year
    earned_before_1998: bool
    starts_at_age: int | None  # None: the assumptions' payment age (ignored when in payment)
    in_payment: bool
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class ReserveBasis:
    """Everything of a person's reserve that does not depend on the assumptions."""

    key: int
    category: str
    birth_date: date
    sex: str | None
    benefits: tuple[BenefitRight, ...]
    at: date | None = None  # the date the benefits were computed at
    notes: tuple[str, ...] = ()  # codes of NOTES


def _right(code: str, amount: Decimal, before: bool, in_payment: bool, explanation: Explanation) -> BenefitRight:
    return BenefitRight(code, amount, before, None, in_payment, explanation)


def reserve_basis(person: LiabilityPerson, at: date) -> ReserveBasis:
    """The person's earned defined-benefit rights at ``at`` (the entitlements at the last year end
    on or before ``at``), each with its full explanation. Actives and paid-ups: IPR 1997 (before
    1998) and intjänad livränta + calendar-year livränta (from 1998; RIPS 07 [S26]: earned = IPR +
    IL + livränta), or for those who chose AKAP-KR the AKAP-KR IPR 2022 at the calculation year's
    IBB level instead of the livräntor (spec 3.2, RIPS 21 vs 2022 [S37]). Pensioners: the pension
    in payment, split by the IPR 1997 (earned before 1998) and the rest (from 1998); without a known
    amount the earned rights in payment. SAP: not in the register as an amount (``sap_not_included``)."""
    _check(person)
    rights = entitlements(person.history, at)
    amounts = _Amounts(rights.calculation_year, rights.ipr_1997.amount, rights.intjanad_livranta.amount,
                       rights.livranta.amount)
    explanations = {
        "ipr_1997": rights.ipr_1997.explanation,
        "intjanad_livranta": rights.intjanad_livranta.explanation,
        "livranta": rights.livranta.explanation,
    }
    return _basis(person, at, amounts, explanations.__getitem__, rights)


def reserve_bases(persons: Iterable[LiabilityPerson], at: date) -> list[ReserveBasis]:
    """``reserve_basis`` for many persons, ≈ 3× faster: the amounts from ``entitlement_figures``
    (the same amounts, tests/domain/test_liability.py compares them) and short explanations (rule,
    source, amount) instead of the full ones; AKAP-KR choosers take the full path. For a list or a
    total; show a person's reserve with ``reserve_basis`` for the full explanation."""
    out = []
    for person in persons:
        if person.chose_akapkr:
            out.append(reserve_basis(person, at))
            continue
        _check(person)
        f = entitlement_figures(person.history, at)
        amounts = _Amounts(f.calculation_year, f.ipr_1997, f.intjanad_livranta, f.livranta)

        def short(code: str, amounts: _Amounts = amounts) -> Explanation:
            return Explanation(rule=code, source=_SHORT_SOURCES[code],
                               formula=f"{getattr(amounts, code)} at the {amounts.year} level")

        out.append(_basis(person, at, amounts, short, None))
    return out


_SHORT_SOURCES = {
    "ipr_1997": "IPR per 1997-12-31 from the administrator's register; RIPS 07 [S26]; domain-spec 2.7",
    "intjanad_livranta": "KAP-KL; RIPS 07 [S26]; domain-spec 2.6",
    "livranta": "KAP-KL; RIPS 07 [S26]; domain-spec 2.6",
}


@dataclass(frozen=True, slots=True)
class _Amounts:
    year: int  # calculation year
    ipr_1997: Decimal
    intjanad_livranta: Decimal
    livranta: Decimal


def _check(person: LiabilityPerson) -> None:
    if person.status not in CATEGORIES:
        raise ValueError(f"unknown status {person.status!r}")
    if person.pension_in_payment < 0:
        raise ValueError("a pension in payment cannot be negative")


def _basis(person: LiabilityPerson, at: date, amounts: _Amounts, explain, rights) -> ReserveBasis:
    history = person.history
    year = amounts.year
    notes: list[str] = []
    benefits: list[BenefitRight] = []
    pensioner = person.status == "pensioner"
    ipr = amounts.ipr_1997
    if pensioner and person.pension_in_payment > 0:
        paid = round_ore(person.pension_in_payment)
        before = min(paid, ipr)
        split = Explanation(
            rule="pension_in_payment_split", source="RIPS 07 [S26] (blandmodellen); IPR 1997 = earned before 1998",
            inputs=(("pension_in_payment", paid), ("ipr_1997", ipr)),
            formula=f"before 1998 = min({paid}, {ipr}) = {before}; from 1998 = {paid} − {before} = {paid - before}",
            parts=(explain("ipr_1997"),),
        )
        benefits.append(_right("pension_in_payment_before_1998", before, True, True, split))
        benefits.append(_right("pension_in_payment_from_1998", paid - before, False, True, split))
        notes.append("pension_split_by_ipr")
    else:
        if pensioner:
            notes.append("pension_amount_unknown")
        benefits.append(_right("ipr_1997", ipr, True, pensioner, explain("ipr_1997")))
        if person.chose_akapkr and year >= 2022:
            ipr_2022 = akapkr_ipr_2022(history, rights)
            valued = akapkr_ipr_value(ipr_2022, year) if year > 2022 else ipr_2022
            benefits.append(_right("akapkr_ipr_2022", valued.amount, False, pensioner, valued.explanation))
            notes.append("akapkr_ipr_indexation_unconfirmed")
        else:
            benefits.append(_right("intjanad_livranta", amounts.intjanad_livranta, False, pensioner,
                                   explain("intjanad_livranta")))
            benefits.append(_right("livranta", amounts.livranta, False, pensioner, explain("livranta")))
    if history.sap_granted:
        notes.append("sap_not_included")
    return ReserveBasis(
        key=person.key,
        category=person.status,
        birth_date=history.birth_date,
        sex=person.sex,
        benefits=tuple(b for b in benefits if b.yearly_amount > 0),
        at=at,
        notes=tuple(notes),
    )


# --- the reserve ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReservePart:
    code: str
    yearly_amount: Decimal
    reserve: Decimal  # kronor, rounded half up, excl. löneskatt
    earned_before_1998: bool
    explanation: Explanation
    factor: Decimal = ZERO  # the annuity factor used (8 decimals)


def _sum_years(target: dict[int, Decimal], more: dict[int, Decimal]) -> None:
    for year, amount in more.items():
        target[year] = target.get(year, ZERO) + amount


@dataclass(frozen=True, slots=True)
class PersonReserve:
    key: int
    category: str
    parts: tuple[ReservePart, ...]
    before_1998: Decimal  # ansvarsförbindelse, excl. löneskatt
    from_1998: Decimal  # avsättning, excl. löneskatt
    payroll_tax_before_1998: Decimal
    payroll_tax_from_1998: Decimal
    expected_payments: dict[int, Decimal]  # calendar year -> expected payment (exact, not rounded)
    explanation: Explanation
    payroll_tax_rate: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.before_1998 + self.from_1998

    @property
    def total_with_tax(self) -> Decimal:
        return self.total + self.payroll_tax_before_1998 + self.payroll_tax_from_1998


def start_month(benefit: BenefitRight, assumptions: LiabilityAssumptions) -> int:
    if benefit.in_payment:
        return 0
    return 12 * (benefit.starts_at_age if benefit.starts_at_age is not None else assumptions.payment_age)


def person_reserve(basis: ReserveBasis, assumptions: LiabilityAssumptions) -> PersonReserve:
    """The person's reserve (exact Decimal): per benefit round_krona(yearly amount × factor), the
    factor from ``domain.annuity``; split before/from 1998; löneskatt = round_krona(split × rate)."""
    a = assumptions
    age = max(0, age_in_months(basis.birth_date, a.at))
    sex = sex_key(basis.sex)
    parts: list[ReservePart] = []
    expected: dict[int, Decimal] = {}
    for b in basis.benefits:
        start = start_month(b, a)
        factors = annuity_factors(a.mortality, sex, a.discount_rate, start)
        factor = factors[age] if age < len(factors) else ZERO
        reserve = round_krona(b.yearly_amount * factor)
        timing = "in payment: immediate" if b.in_payment or age >= start else f"deferred to age {start // 12}"
        parts.append(ReservePart(
            code=b.code,
            yearly_amount=b.yearly_amount,
            reserve=reserve,
            earned_before_1998=b.earned_before_1998,
            factor=factor,
            explanation=Explanation(
                rule="rips_reserve_part",
                source=RIPS_SOURCE,
                inputs=(("yearly_amount", b.yearly_amount), ("age_months", age), ("start_month", start)),
                formula=f"{b.yearly_amount} × {factor} ({timing} life annuity, monthly in advance) = {reserve}",
                parts=(b.explanation,),
            ),
        ))
        for offset, weight in payment_weights(a.mortality, sex, age, start, a.at.month):
            year = a.at.year + offset
            expected[year] = expected.get(year, ZERO) + b.yearly_amount * Decimal(weight) / _SCALE
    before = sum((p.reserve for p in parts if p.earned_before_1998), ZERO)
    after = sum((p.reserve for p in parts if not p.earned_before_1998), ZERO)
    tax_before = round_krona(before * a.payroll_tax_rate)
    tax_after = round_krona(after * a.payroll_tax_rate)
    notes = list(basis.notes)
    if table(a.mortality).unconfirmed:
        notes.append("mortality_unconfirmed")
    return PersonReserve(
        key=basis.key,
        category=basis.category,
        parts=tuple(parts),
        before_1998=before,
        from_1998=after,
        payroll_tax_before_1998=tax_before,
        payroll_tax_from_1998=tax_after,
        expected_payments=dict(sorted(expected.items())),
        payroll_tax_rate=a.payroll_tax_rate,
        explanation=Explanation(
            rule="rips_pension_reserve",
            source=RIPS_SOURCE + "; särskild löneskatt [S45][S46]",
            inputs=(("category", basis.category), ("birth_date", basis.birth_date), ("sex", basis.sex or "unknown"),
                    ("at", a.at), ("age_months", age)),
            parameters=a.sources,
            formula=(f"before 1998 {before} + from 1998 {after} = {before + after}; löneskatt "
                     f"{a.payroll_tax_rate} × {before} = {tax_before}, × {after} = {tax_after}"),
            notes=tuple(notes),
            parts=tuple(p.explanation for p in parts),
        ),
    )


# --- totals --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiabilityTotals:
    persons: int
    before_1998: Decimal
    from_1998: Decimal
    payroll_tax_before_1998: Decimal  # round_krona(before_1998 × rate): on the total, not the sum of persons
    payroll_tax_from_1998: Decimal
    by_category: dict[str, tuple[Decimal, Decimal]]  # category -> (before_1998, from_1998) excl. tax
    expected_payments: dict[int, Decimal]  # calendar year -> kronor (exact sum, rounded half up)
    payroll_tax_rate: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.before_1998 + self.from_1998

    @property
    def total_with_tax(self) -> Decimal:
        return self.total + self.payroll_tax_before_1998 + self.payroll_tax_from_1998


def make_totals(persons: int, before: Decimal, after: Decimal, by_category: dict[str, tuple[Decimal, Decimal]],
                expected: dict[int, Decimal], rate: Decimal) -> LiabilityTotals:
    return LiabilityTotals(
        persons=persons,
        before_1998=before,
        from_1998=after,
        payroll_tax_before_1998=round_krona(before * rate),
        payroll_tax_from_1998=round_krona(after * rate),
        by_category={c: by_category[c] for c in CATEGORIES if c in by_category},
        expected_payments={y: v for y, v in ((y, round_krona(v)) for y, v in sorted(expected.items())) if v},
        payroll_tax_rate=rate,
    )


def total_liability(reserves: Iterable[PersonReserve]) -> LiabilityTotals:
    """The organisation's liability: the exact sum of the persons' reserves; löneskatt on the totals."""
    count = 0
    before = after = ZERO
    by_category: dict[str, tuple[Decimal, Decimal]] = {}
    expected: dict[int, Decimal] = {}
    rates: set[Decimal] = set()
    for r in reserves:
        count += 1
        before += r.before_1998
        after += r.from_1998
        b, f = by_category.get(r.category, (ZERO, ZERO))
        by_category[r.category] = (b + r.before_1998, f + r.from_1998)
        _sum_years(expected, r.expected_payments)
        rates.add(r.payroll_tax_rate)
    if len(rates) > 1:
        raise ValueError("reserves computed with different löneskatt rates")
    return make_totals(count, before, after, by_category, expected, rates.pop() if rates else ZERO)


def what_if_totals(bases: Sequence[ReserveBasis], assumptions: LiabilityAssumptions) -> LiabilityTotals:
    """The organisation total under ``assumptions`` (NumPy, ``domain.liability_vector``); equal to
    ``total_liability(person_reserve(b, assumptions) for b in bases)`` to the krona."""
    from domain.liability_vector import vector_totals

    return vector_totals(bases, assumptions)


# --- snapshots (saved calculations keep their date, assumptions and totals as JSON) -----------


def assumptions_snapshot(a: LiabilityAssumptions) -> dict:
    """JSON-ready: amounts and rates as strings (exact), dates ISO."""
    return {
        "at": a.at.isoformat(),
        "discount_rate": str(a.discount_rate),
        "mortality": a.mortality,
        "payroll_tax_rate": str(a.payroll_tax_rate),
        "payment_age": a.payment_age,
        "sources": [
            {"name": u.name, "value": str(u.value), "number": isinstance(u.value, Decimal), "applies_from": u.applies_from.isoformat(),
             "source": u.source, "unconfirmed": u.unconfirmed}
            for u in a.sources
        ],
    }


def assumptions_from_snapshot(data: dict) -> LiabilityAssumptions:
    """The assumptions of a saved calculation, unchanged (no validation against today's files)."""
    return LiabilityAssumptions(
        at=date.fromisoformat(data["at"]),
        discount_rate=Decimal(data["discount_rate"]),
        mortality=data["mortality"],
        payroll_tax_rate=Decimal(data["payroll_tax_rate"]),
        payment_age=int(data["payment_age"]),
        sources=tuple(
            ParameterUse(name=u["name"], value=Decimal(u["value"]) if u.get("number") else u["value"],
                         applies_from=date.fromisoformat(u["applies_from"]), source=u["source"],
                         unconfirmed=bool(u["unconfirmed"]))
            for u in data.get("sources", ())
        ),
    )


def totals_snapshot(t: LiabilityTotals) -> dict:
    return {
        "persons": t.persons,
        "before_1998": str(t.before_1998),
        "from_1998": str(t.from_1998),
        "payroll_tax_before_1998": str(t.payroll_tax_before_1998),
        "payroll_tax_from_1998": str(t.payroll_tax_from_1998),
        "by_category": {c: [str(b), str(f)] for c, (b, f) in t.by_category.items()},
        "expected_payments": {str(y): str(v) for y, v in t.expected_payments.items()},
        "payroll_tax_rate": str(t.payroll_tax_rate),
    }


def totals_from_snapshot(data: dict) -> LiabilityTotals:
    return LiabilityTotals(
        persons=int(data["persons"]),
        before_1998=Decimal(data["before_1998"]),
        from_1998=Decimal(data["from_1998"]),
        payroll_tax_before_1998=Decimal(data["payroll_tax_before_1998"]),
        payroll_tax_from_1998=Decimal(data["payroll_tax_from_1998"]),
        by_category={c: (Decimal(b), Decimal(f)) for c, (b, f) in data["by_category"].items()},
        expected_payments={int(y): Decimal(v) for y, v in data["expected_payments"].items()},
        payroll_tax_rate=Decimal(data.get("payroll_tax_rate", "0")),
    )


# The change between two calculations lives in its own module (it builds on what_if_totals).
from domain.liability_change import CHANGE_STEPS, ChangeStep, LiabilityChange, explain_change  # noqa: E402

__all__ = [
    "BenefitRight", "CHANGE_STEPS", "ChangeStep", "InvalidAssumption", "LiabilityAssumptions", "LiabilityChange",
    "LiabilityPerson", "LiabilityTotals", "assumptions_from_snapshot", "assumptions_snapshot",
    "totals_from_snapshot", "totals_snapshot", "NOTES", "PersonReserve", "ReserveBasis", "ReservePart",
    "change_assumptions", "default_assumptions", "explain_change", "mortality_tables", "person_reserve",
    "reserve_basis", "reserve_bases", "total_liability", "what_if_totals",
]
