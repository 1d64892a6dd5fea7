"""The comparison of staying in KAP-KL with moving to AKAP-KR (the 2023 choice), per retirement age.

This is an estimate (every ``Comparison`` says so: ``is_estimate=True`` and the caveat codes in
``CAVEATS``). Both sides are computed from one projection of the same inputs (``Projection``):
the person's known salaries, the assumed real salary growth for the years after the last known
year, the same base amounts and the same real return and payout period.

Reading of the sources and the assumptions (documented here, each part's explanation repeats it):

- All amounts are in today's money: the base amounts (IBB, PBB) of the year of ``at`` are held
  for every later year, i.e. they are assumed to follow prices; a salary grows by
  ``real_salary_growth`` a year after the last known year (minPension forecasts start from today's
  salary in today's money; comparison_defaults.toml).
- Contributions for the years from 2023 to the retirement year are counterfactual on both sides:
  KAP-KL's 4.5 % up to 30 IBB a year (staying; domain-spec 2.2) or AKAP-KR's 6 % / 31.5 % per
  half-year plus the tilläggsavgift until 65 (moving; domain-spec 3, 3.1). Contributions before
  2023 are the same KAP-KL contributions on both sides. The person works up to and including the
  month of the birthday at the retirement age.
- Defined-contribution capital grows with ``real_return`` from the year it is earned to the
  retirement year and is paid out as a level yearly amount over ``payout_years`` (an annuity at
  ``real_return``).
- Staying: FÅP at the retirement age with full credited time to 65 (KPA [S1]) on a pensionsunderlag
  that grows with the salary growth; it never falls below the FÅP earned today (oantastbar, KPA
  [S1]); reduced by 0.4 % a month before 65 (RIPS 07 [S26]); no increase after 65 (the deferral
  increase was not found: UNCONFIRMED, caveat ``no_deferral_increase``).
- Moving: the AKAP-KR IPR per 2022-12-31 (a KAP-KL livränta at that date, indexed with IBB until
  withdrawal, SKR Q&A [S3]); its early-withdrawal reduction is not in the sources: the KAP-KL
  0.4 % a month is used (UNCONFIRMED, caveat ``ipr_2022_early_withdrawal``).
- The IPR per 1997-12-31 is the same on both sides (RIPS 07 [S26]).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from domain.contributions import AKAPKR_FROM
from domain.entitlements import Entitlements, entitlements
from domain.explanation import Explanation, ParameterUse
from domain.fap import early_withdrawal_factor, fap_yearly
from domain.kernel import Prepared
from domain.livranta import index_il
from domain.model import PersonHistory
from domain.money import monthly, round_krona, round_ore
from domain.parameters import ibb, parameter, pbb
from domain.pensionsunderlag import Pensionsunderlag
from domain.projection import Runs, path_contributions, salary_path
from domain.results import Figure

ZERO = Decimal(0)
ONE = Decimal(1)

SOURCE_COMPARISON = (
    "Estimate: KAP-KL (KPA [S1], RIPS 07 [S26]) vs AKAP-KR (SKR Q&A [S3][S29], KPA [S30][S32]); "
    "assumptions from comparison_defaults.toml (minPension prognosstandard)"
)

# Caveat codes a comparison can carry; the web layer shows a translated text per code.
CAVEATS: dict[str, str] = {
    "estimate": "An estimate built on assumptions, not a decision about a pension.",
    "unconfirmed_parameters": "Some parameters are not confirmed by the sources at hand.",
    "tillaggsavgift_unconfirmed": "The supplementary-contribution table for the 2023 choice is unconfirmed.",
    "no_deferral_increase": "No increase for drawing the defined benefit after 65 is included (rule not found).",
    "ipr_2022_early_withdrawal": "The early-withdrawal reduction of the AKAP-KR IPR 2022 is assumed to equal KAP-KL's.",
    "retirement_before_today": "The retirement age lies before today: the figures are hypothetical.",
}


@dataclass(frozen=True, slots=True)
class ComparisonAssumptions:
    """The comparison's stated, adjustable assumptions. The class defaults equal the parameter
    file comparison_defaults.toml at 2023-01-01; ``default_assumptions(at)`` reads the file and keeps
    the parameters used (with their sources and unconfirmed flags)."""

    retirement_age: int = 65
    real_salary_growth: Decimal = Decimal("0")
    real_return: Decimal = Decimal("0.019")
    payout_years: int = 20
    parameters: tuple[ParameterUse, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not 61 <= self.retirement_age <= 69:
            raise ValueError("retirement_age must be between 61 and 69")
        if self.payout_years < 1:
            raise ValueError("payout_years must be at least 1")
        if self.real_salary_growth <= -1 or self.real_return <= -1:
            raise ValueError("growth and return must be above -100 %")

    def with_age(self, age: int) -> ComparisonAssumptions:
        return ComparisonAssumptions(age, self.real_salary_growth, self.real_return, self.payout_years, self.parameters)

    def to_snapshot(self) -> dict[str, object]:
        return {
            "retirement_age": self.retirement_age,
            "real_salary_growth": str(self.real_salary_growth),
            "real_return": str(self.real_return),
            "payout_years": self.payout_years,
        }


def default_assumptions(at: date) -> ComparisonAssumptions:
    """The default assumptions that apply at ``at`` (comparison_defaults.toml, with sources)."""
    used = tuple(
        parameter(name, at)
        for name in (
            "comparison_retirement_age",
            "comparison_real_salary_growth",
            "comparison_real_return",
            "comparison_payout_years",
        )
    )
    age, growth, real_return, years = (Decimal(p.value) for p in used)
    return ComparisonAssumptions(int(age), growth, real_return, int(years), used)


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a side's pension: ``code`` one of PART_CODES; yearly in whole kronor."""

    code: str
    yearly: Decimal
    monthly: Decimal
    explanation: Explanation


PART_CODES = (
    "fap", "intjanad_livranta", "livranta", "ipr_1997", "kapkl_dc",
    "akapkr_ipr_2022", "akapkr_dc", "supplementary",
)


@dataclass(frozen=True, slots=True)
class Side:
    """One choice's pension at the retirement age; totals are the sums of the parts."""

    agreement: str  # "KAP-KL" | "AKAP-KR"
    parts: tuple[Part, ...]
    total_yearly: Decimal
    total_monthly: Decimal

    def part(self, code: str) -> Part | None:
        return next((p for p in self.parts if p.code == code), None)


@dataclass(frozen=True, slots=True)
class Comparison:
    stay: Side
    move: Side
    difference_monthly: Decimal  # move.total_monthly − stay.total_monthly
    assumptions: ComparisonAssumptions
    explanation: Explanation
    is_estimate: bool = True
    caveats: tuple[str, ...] = ("estimate",)

    def to_snapshot(self) -> dict[str, object]:
        """A JSON-serialisable record of the figures (strings for Decimals), stored with a choice."""

        def side(s: Side) -> dict[str, object]:
            return {
                "agreement": s.agreement,
                "total_yearly": str(s.total_yearly),
                "total_monthly": str(s.total_monthly),
                "parts": [
                    {"code": p.code, "yearly": str(p.yearly), "monthly": str(p.monthly)} for p in s.parts
                ],
            }

        return {
            "is_estimate": self.is_estimate,
            "assumptions": self.assumptions.to_snapshot(),
            "stay": side(self.stay),
            "move": side(self.move),
            "difference_monthly": str(self.difference_monthly),
            "caveats": list(self.caveats),
            "unconfirmed": self.explanation.unconfirmed,
            "inputs": {k: _jsonable(v) for k, v in self.explanation.inputs},
        }


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def make_part(code: str, yearly: Decimal, explanation: Explanation) -> Part:
    yearly = round_krona(yearly)
    return Part(code, yearly, monthly(yearly), explanation)


def make_side(agreement: str, parts: tuple[Part, ...]) -> Side:
    """Totals are the sums of the parts, so the table a person sees adds up (monthly too)."""
    return Side(
        agreement,
        parts,
        sum((p.yearly for p in parts), ZERO),
        sum((p.monthly for p in parts), ZERO),
    )


def annuity_factor(real_return: Decimal, years: int) -> Decimal:
    """Yearly payment per krona of capital over ``years`` at ``real_return`` (payments in arrears):
    r / (1 − (1 + r)^−n), or 1/n at r = 0."""
    if real_return == 0:
        return ONE / years
    return real_return / (ONE - (ONE + real_return) ** -years)


@lru_cache(maxsize=64)
def _power_sums(real_return: Decimal, length: int = 120) -> tuple[Decimal, ...]:
    """S[k] = sum of (1 + r)^j for j < k: the growth of one krona a year over a run of years."""
    growth = ONE + real_return
    sums = [ZERO]
    power = ONE
    for _ in range(length):
        sums.append(sums[-1] + power)
        power *= growth
    return tuple(sums)


def capital_at(runs: Runs, retirement_year: int, real_return: Decimal) -> Decimal:
    """Capital in the retirement year: each year's contribution grown by (1 + r)^(retirement year −
    year), for runs of years with the same contribution; years after retirement do not count."""
    sums = _power_sums(real_return)
    total = ZERO
    for first, last, amount in runs:
        last = min(last, retirement_year)
        if amount and first <= last:
            total += amount * (sums[retirement_year - first + 1] - sums[retirement_year - last])
    return round_ore(total)


# --- the AKAP-KR IPR per 2022-12-31 -------------------------------------------------------------

IPR_2022_YEAR = 2022


def akapkr_ipr_2022(history: PersonHistory, rights: Entitlements | None = None) -> Figure:
    """The AKAP-KR IPR per 2022-12-31 (SKR Q&A [S3]; KPA [S32]): the KAP-KL livränta computed at
    that date, i.e. the intjänad livränta (time 1998–2006, at the 2022 level) plus the calendar-year
    livränta at 2022-12-31 (RIPS 07 [S26]: total earned = IPR 1997 + intjänad livränta + livränta;
    the IPR 1997 stays a right of its own). Reading: the year-end value is used also for an
    employment that ended earlier in Q4 2022 (the spec's "earlier date in Q4 2022" changes the time
    fraction by at most three months). ``rights`` may be entitlements at any later date."""
    if rights is None or IPR_2022_YEAR not in rights.livranta_by_year:
        rights = entitlements(history, date(IPR_2022_YEAR, 12, 31))
    livranta = rights.livranta_by_year[IPR_2022_YEAR]
    il_2022, il_uses = index_il(rights.intjanad_livranta_2006, IPR_2022_YEAR)
    amount = il_2022 + livranta
    return Figure(
        amount,
        Explanation(
            rule="akapkr_ipr_2022",
            source="AKAP-KR övergångsbestämmelser: SKR Q&A on the 2023 choice [S3]; KPA [S32]; RIPS 07 [S26]",
            inputs=(("intjanad_livranta_2022", il_2022), ("livranta_2022", livranta)),
            parameters=il_uses,
            formula=f"{il_2022} + {livranta}",
            parts=(rights.intjanad_livranta.explanation,),
        ),
    )


def akapkr_ipr_value(ipr: Figure, year: int) -> Figure:
    """The IPR 2022 at ``year`` before withdrawal: indexed with IBB, IPR × IBB(year) / IBB(2022)
    (SKR Q&A [S3]). UNCONFIRMED: whether the index runs yearly from 2023 on this base (spec 8.7)."""
    base, target = ibb(IPR_2022_YEAR), ibb(year)
    amount = ipr.amount * Decimal(target.value) / Decimal(base.value)
    return Figure(
        round_krona(amount),
        Explanation(
            rule="akapkr_ipr_indexed",
            source="SKR Q&A on the 2023 choice [S3]: indexed with the change in IBB until withdrawal",
            inputs=(("ipr_2022", ipr.amount), ("year", year)),
            parameters=(base, target),
            formula=f"{ipr.amount} × {target.value} / {base.value}",
            notes=("indexing base IBB(2022), yearly steps: unconfirmed reading (domain-spec 8.7)",),
            parts=(ipr.explanation,),
        ),
    )


# --- the comparison -----------------------------------------------------------------------------


def _dc_part(
    code: str, groups: tuple[Runs, ...], retirement_year: int, assumptions: ComparisonAssumptions,
    rule_source: str,
) -> Part:
    """A defined-contribution part: capital at retirement paid out over the payout period. The
    capital of each group of contributions (before 2023, from 2023) is rounded to öre on its own."""
    capital = sum((capital_at(runs, retirement_year, assumptions.real_return) for runs in groups), ZERO)
    factor = annuity_factor(assumptions.real_return, assumptions.payout_years)
    return make_part(
        code,
        capital * factor,
        Explanation(
            rule=f"comparison_{code}",
            source=rule_source,
            inputs=(
                ("contributions_by_years", tuple(run for runs in groups for run in runs)),
                ("retirement_year", retirement_year),
                ("real_return", assumptions.real_return),
                ("payout_years", assumptions.payout_years),
            ),
            formula=f"capital {capital} × annuity factor {factor:.6f}",
            notes=("capital grows with the real return to the retirement year; level payout over the payout years",),
        ),
    )


def _benefit_part(code: str, amount: Decimal, early: Decimal, rate: ParameterUse, explanation: Explanation,
                  age: int) -> Part:
    """A defined-benefit part withdrawn at ``age``: × (1 − 0.4 % per month before 65)."""
    return make_part(
        code,
        amount * early,
        Explanation(
            rule=f"comparison_{code}",
            source="withdrawal from the retirement age: RIPS 07 [S26] (0.4 % a month before 65)",
            inputs=((code, amount), ("retirement_age", age)),
            parameters=(rate,),
            formula=f"{amount} × {early}",
            parts=(explanation,),
        ),
    )


def _at_level(amount: Decimal, from_year: int, to_year: int) -> Decimal:
    """A PBB-indexed amount of ``from_year`` at the price level of ``to_year`` (never lowered)."""
    if from_year == to_year or not amount:
        return amount
    return amount * max(ONE, Decimal(pbb(to_year).value) / Decimal(pbb(from_year).value))


def projected_fap(
    history: PersonHistory, rights: Entitlements, assumptions: ComparisonAssumptions, base_year: int,
    prepared: Prepared | None = None,
) -> Figure:
    """Yearly FÅP at 65 (before any early-withdrawal reduction) for the comparison.

    The entitlements' pensionsunderlag is brought to the price level of ``base_year`` with PBB
    (as the rule indexes salaries, RIPS 07 [S26]) and grown with the real salary growth up to the
    calculation at the retirement age (at most 65); it never falls below today's (oantastbar,
    KPA [S1]). Then domain-core's FÅP rule (``fap_yearly``) with the time to 65 credited.
    """
    pu = rights.pensionsunderlag
    retirement_year = history.birth_year + min(assumptions.retirement_age, 65)
    growth = (ONE + assumptions.real_salary_growth) ** max(0, retirement_year - base_year)
    amount = round_krona(_at_level(pu.amount, pu.year, base_year) * max(ONE, growth))
    projected = Pensionsunderlag(
        year=base_year,
        amount=amount,
        counted_years=pu.counted_years,
        indexed=pu.indexed,
        explanation=Explanation(
            rule="pensionsunderlag_projected",
            source="comparison assumption: salary growth in today's money (comparison_defaults.toml)",
            inputs=(("pensionsunderlag", pu.amount), ("year", pu.year), ("real_salary_growth",
                                                                        assumptions.real_salary_growth)),
            formula=f"{pu.amount} at the {base_year} level × max(1, {growth:.6f}) = {amount}",
            parts=(pu.explanation,),
        ),
    )
    tf = rights.time_factor
    return fap_yearly(
        history, projected, rights.benefit_levels, tf.full_months, tf.full_months_required, (tf.explanation,),
        prepared,
    )


def compare(
    history: PersonHistory,
    assumptions: ComparisonAssumptions | None = None,
    at: date | None = None,
    *,
    rights: Entitlements | None = None,
) -> Comparison:
    """Stay in KAP-KL vs move to AKAP-KR at ``assumptions.retirement_age`` (see the module
    docstring for every reading and assumption). ``rights`` are ``entitlements(history, at)``
    when the caller already has them (the batch path shares them)."""
    if at is None:
        raise TypeError("compare needs the calculation date 'at'")
    if assumptions is None:
        assumptions = default_assumptions(at)
    if rights is None:
        rights = entitlements(history, at)
    age = assumptions.retirement_age
    base_year = at.year  # today's money: the base amounts of the year of ``at``
    known_until = rights.calculation_year
    retirement_year = history.birth_year + age
    normal_age = int(parameter("kapkl_normal_retirement_age", at).value)
    early, rate = early_withdrawal_factor(max(0, (normal_age - age) * 12), at)
    path = salary_path(history, known_until, age, assumptions.real_salary_growth)
    paid = path_contributions(history, path, base_year)

    # Staying: FÅP at the retirement age, or the earned livräntor without a FÅP right.
    fap = projected_fap(history, rights, assumptions, base_year)
    if fap.amount:
        stay_benefits = [_benefit_part("fap", fap.amount, early, rate, fap.explanation, age)]
    else:
        stay_benefits = [
            _benefit_part(code, round_krona(_at_level(figure.amount, known_until, base_year)), early, rate,
                          figure.explanation, age)
            for code, figure in (("intjanad_livranta", rights.intjanad_livranta), ("livranta", rights.livranta))
        ]
    ipr_1997 = _benefit_part(
        "ipr_1997", round_krona(_at_level(rights.ipr_1997.amount, known_until, base_year)), early, rate,
        rights.ipr_1997.explanation, age,
    )
    before_2023 = tuple(
        (c.year, c.year, c.amount)
        for c in rights.dc_contributions
        if c.year < AKAPKR_FROM.year and c.agreement == "KAP-KL"
    )
    kapkl_source = "KAP-KL avgiftsbestämd ålderspension 4.5 % up to 30 IBB: Valcentralen [S2]; KPA [S4]"
    stay_dc = _dc_part("kapkl_dc", (before_2023, paid.kapkl_dc), retirement_year, assumptions, kapkl_source)
    stay = make_side("KAP-KL", (*stay_benefits, ipr_1997, stay_dc))

    # Moving: the IPR 2022 instead of the FÅP, AKAP-KR contributions and tilläggsavgift from 2023.
    ipr_2022 = akapkr_ipr_2022(history, rights)
    indexed = akapkr_ipr_value(ipr_2022, max(base_year, IPR_2022_YEAR))
    move = make_side(
        "AKAP-KR",
        (
            _benefit_part("akapkr_ipr_2022", indexed.amount, early, rate, indexed.explanation, age),
            ipr_1997,
            _dc_part("kapkl_dc", (before_2023,), retirement_year, assumptions, kapkl_source),
            _dc_part(
                "akapkr_dc", (paid.akapkr_dc,), retirement_year, assumptions,
                "AKAP-KR 6 % / 31.5 % per half-year: KPA [S30]; SKR [S29]; Skandikon [S31]",
            ),
            _dc_part(
                "supplementary", (paid.supplementary,), retirement_year, assumptions,
                "AKAP-KR tilläggsavgift until 65 (unconfirmed table): KPA [S32][S36]; SKR Q&A [S3]",
            ),
        ),
    )

    explanation = Explanation(
        rule="comparison",
        source=SOURCE_COMPARISON,
        inputs=(
            ("at", at),
            ("birth_year", history.birth_year),
            ("retirement_age", age),
            ("real_salary_growth", assumptions.real_salary_growth),
            ("real_return", assumptions.real_return),
            ("payout_years", assumptions.payout_years),
            ("last_known_salary_year", path.last_known_year),
            ("salary_path", tuple((run.first, run.last, run.salary) for run in path.years)),
        ),
        parameters=assumptions.parameters,
        notes=("amounts in today's money: base amounts held at their value of the year of the calculation",),
        parts=tuple(p.explanation for p in (*stay.parts, *move.parts)),
    )
    caveats = ["estimate"]
    if paid.supplementary_unconfirmed and any(a for _, _, a in paid.supplementary):
        caveats.append("tillaggsavgift_unconfirmed")
    if explanation.unconfirmed or rights.unconfirmed_parameters:
        caveats.append("unconfirmed_parameters")
    if age > normal_age:
        caveats.append("no_deferral_increase")
    if age < normal_age and ipr_2022.amount:
        caveats.append("ipr_2022_early_withdrawal")
    if retirement_year < at.year:
        caveats.append("retirement_before_today")
    return Comparison(
        stay=stay,
        move=move,
        difference_monthly=move.total_monthly - stay.total_monthly,
        assumptions=assumptions,
        explanation=explanation,
        is_estimate=True,
        caveats=tuple(caveats),
    )


def compare_ages(
    history: PersonHistory,
    assumptions: ComparisonAssumptions | None,
    at: date,
    ages: range | tuple[int, ...] = range(61, 70),
    *,
    rights: Entitlements | None = None,
) -> dict[int, Comparison]:
    """``compare`` for each retirement age (61–69 by default), sharing the entitlements."""
    if assumptions is None:
        assumptions = default_assumptions(at)
    if rights is None:
        rights = entitlements(history, at)
    return {age: compare(history, assumptions.with_age(age), at, rights=rights) for age in ages}


def compare_many(
    histories: Iterable[PersonHistory],
    assumptions: ComparisonAssumptions | None,
    at: date,
    rights: Iterable[Entitlements] | None = None,
) -> list[Comparison]:
    """``compare`` for a population at one date and one set of assumptions.

    The same per-person rules run for everyone (so every result is identical to ``compare``'s);
    what a population shares is looked up once: the assumptions, the parameter tables per year
    (``projection.year_table``), the tilläggsavgift rates per birth year and the growth sums of
    the real return (all cached). ``rights`` are the persons' entitlements when already computed.
    """
    if assumptions is None:
        assumptions = default_assumptions(at)
    people = list(histories)
    found = list(rights) if rights is not None else [entitlements(h, at) for h in people]
    if len(found) != len(people):
        raise ValueError("one entitlements per history")
    return [compare(h, assumptions, at, rights=r) for h, r in zip(people, found, strict=True)]
