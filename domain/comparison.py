"""The comparison of staying in KAP-KL with moving to AKAP-KR (the 2023 choice), per retirement age.

This is an estimate (every ``Comparison`` says so: ``is_estimate=True`` and the caveat codes in
``CAVEATS``). Both sides are computed by ``comparison_numbers`` from one projection of the same
inputs (``projection.SalaryPath``): the person's known salaries, the assumed real salary growth
for the years after the last known year, the same base amounts, real return and payout period.

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

from domain.comparison_numbers import (
    IPR_2022_YEAR,
    ComparisonNumbers,
    KapklInputs,
    comparison_numbers,
    dc_before_2023,
)
from domain.entitlements import Entitlements, entitlements
from domain.explanation import Explanation, ParameterUse
from domain.kernel import Prepared
from domain.livranta import index_il
from domain.model import PersonHistory
from domain.money import round_krona
from domain.parameters import ibb, parameter
from domain.projection import Runs
from domain.results import Figure

ZERO = Decimal(0)

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


def make_side(agreement: str, parts: tuple[Part, ...]) -> Side:
    """Totals are the sums of the parts, so the table a person sees adds up (monthly too)."""
    return Side(
        agreement,
        parts,
        sum((p.yearly for p in parts), ZERO),
        sum((p.monthly for p in parts), ZERO),
    )


# --- the AKAP-KR IPR per 2022-12-31 -------------------------------------------------------------

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


def kapkl_inputs(history: PersonHistory, rights: Entitlements) -> KapklInputs:
    """The numbers of ``rights`` the comparison uses (the livränta at 2022-12-31 from a second
    calculation when ``rights`` are from before that date)."""
    livranta_2022 = rights.livranta_by_year.get(IPR_2022_YEAR)
    if livranta_2022 is None:
        livranta_2022 = entitlements(history, date(IPR_2022_YEAR, 12, 31)).livranta_by_year[IPR_2022_YEAR]
    tf = rights.time_factor
    return KapklInputs(
        calculation_year=rights.calculation_year,
        pensionsunderlag=rights.pensionsunderlag.amount,
        credited_months=tf.full_months,
        full_months=tf.full_months_required,
        intjanad_livranta_2006=rights.intjanad_livranta_2006,
        intjanad_livranta=rights.intjanad_livranta.amount,
        livranta=rights.livranta.amount,
        livranta_2022=livranta_2022,
        ipr_1997=rights.ipr_1997.amount,
        dc_before_2023=dc_before_2023({c.year: c.amount for c in rights.dc_contributions if c.agreement == "KAP-KL"}),
    )


def _part(figures: tuple[str, Decimal, Decimal], explanation: Explanation) -> Part:
    code, yearly, monthly_amount = figures
    return Part(code, yearly, monthly_amount, explanation)


def _dc_explanation(code: str, runs: Runs, capital: Decimal, n: ComparisonNumbers, assumptions: ComparisonAssumptions,
                    source: str) -> Explanation:
    return Explanation(
        rule=f"comparison_{code}",
        source=source,
        inputs=(
            ("contributions_by_years", runs),
            ("retirement_year", n.retirement_year),
            ("real_return", assumptions.real_return),
            ("payout_years", assumptions.payout_years),
        ),
        formula=f"capital {capital} × annuity factor {n.constants.annuity:.6f}",
        notes=("capital grows with the real return to the retirement year; level payout over the payout years",),
    )


def _benefit_explanation(code: str, amount: Decimal, n: ComparisonNumbers, age: int,
                         part: Explanation) -> Explanation:
    return Explanation(
        rule=f"comparison_{code}",
        source="withdrawal from the retirement age: RIPS 07 [S26] (0.4 % a month before 65)",
        inputs=((code, amount), ("retirement_age", age)),
        parameters=(n.constants.early_rate,),
        formula=f"{amount} × {n.early}",
        parts=(part,),
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
    when the caller already has them. The numbers come from ``comparison_numbers`` (shared with
    the population path); this function adds the explanations."""
    if at is None:
        raise TypeError("compare needs the calculation date 'at'")
    if assumptions is None:
        assumptions = default_assumptions(at)
    if rights is None:
        rights = entitlements(history, at)
    return _compare(history, assumptions, at, rights, Prepared(history), kapkl_inputs(history, rights))


def _compare(
    history: PersonHistory, assumptions: ComparisonAssumptions, at: date, rights: Entitlements,
    person: Prepared, k: KapklInputs,
) -> Comparison:
    age = assumptions.retirement_age
    n = comparison_numbers(
        history, person, k, rights.benefit_levels, age, assumptions.real_salary_growth,
        assumptions.real_return, assumptions.payout_years, at,
    )
    base_year = n.constants.base_year
    pu = rights.pensionsunderlag
    tf = rights.time_factor
    levels = rights.benefit_levels

    # Staying.
    if n.fap:
        fap_explanation = Explanation(
            rule="comparison_fap_at_65",
            source="KAP-KL FÅP: KPA [S1]; RIPS 07 [S26]; the PU grows with the assumed salary growth, "
            "never below today's (oantastbar, KPA [S1])",
            inputs=(
                ("pensionsunderlag", pu.amount),
                ("pensionsunderlag_at_retirement", n.projected_pu),
                ("time_factor", f"{tf.full_months}/{tf.full_months_required}"),
                ("ipr_1997_above_ceiling", n.ipr_above),
            ),
            parameters=(ibb(base_year),),
            formula=(
                f"{tf.full_months}/{tf.full_months_required} × ({levels.lower} × band 7.5–20 IBB + "
                f"{levels.upper} × band 20–30 IBB of {n.projected_pu}) − {n.ipr_above} = {n.fap}"
            ),
            parts=(
                Explanation(
                    rule="pensionsunderlag_projected",
                    source="comparison assumption: salary growth in today's money (comparison_defaults.toml); "
                    "indexed with PBB to today (RIPS 07 [S26])",
                    inputs=(("pensionsunderlag", pu.amount), ("year", pu.year),
                            ("real_salary_growth", assumptions.real_salary_growth)),
                    formula=f"{pu.amount} at the {base_year} level × max(1, {n.growth:.6f}) = {n.projected_pu}",
                    parts=(pu.explanation,),
                ),
                levels.explanation,
                tf.explanation,
            ),
        )
        stay_explanations = {"fap": fap_explanation}
    else:
        stay_explanations = {
            "intjanad_livranta": rights.intjanad_livranta.explanation,
            "livranta": rights.livranta.explanation,
        }
    benefit_amounts = dict(n.stay_benefits)
    stay_parts = [
        _part(figures, _benefit_explanation(figures[0], benefit_amounts[figures[0]], n, age,
                                            stay_explanations[figures[0]]))
        for figures in n.stay[:-2]
    ]
    ipr_part = _part(n.stay[-2], _benefit_explanation("ipr_1997", n.ipr_1997, n, age, rights.ipr_1997.explanation))
    kapkl_source = "KAP-KL avgiftsbestämd ålderspension 4.5 % up to 30 IBB: Valcentralen [S2]; KPA [S4]"
    stay = make_side(
        "KAP-KL",
        (
            *stay_parts,
            ipr_part,
            _part(n.stay[-1], _dc_explanation(
                "kapkl_dc", k.dc_before_2023 + n.paid.kapkl_dc,
                n.capital_before_2023 + n.capital_kapkl_from_2023, n, assumptions, kapkl_source,
            )),
        ),
    )

    # Moving.
    ipr_2022_explanation = Explanation(
        rule="akapkr_ipr_2022",
        source="AKAP-KR övergångsbestämmelser: SKR Q&A on the 2023 choice [S3]; KPA [S32]; RIPS 07 [S26]; "
        "indexed with IBB until withdrawal (base IBB 2022: unconfirmed reading, domain-spec 8.7)",
        inputs=(("intjanad_livranta_2006", k.intjanad_livranta_2006), ("livranta_2022", k.livranta_2022)),
        parameters=(n.constants.ibb_2022, n.constants.ibb_ipr_target),
        formula=(
            f"({k.intjanad_livranta_2006} at the 2022 level + {k.livranta_2022}) = {n.ipr_2022}; "
            f"× {n.constants.ibb_ipr_target.value} / {n.constants.ibb_2022.value} = {n.ipr_2022_indexed}"
        ),
        notes=("held at today's IBB after today: amounts in today's money",),
        parts=(rights.livranta.explanation,),
    )
    move = make_side(
        "AKAP-KR",
        (
            _part(n.move[0], _benefit_explanation("akapkr_ipr_2022", n.ipr_2022_indexed, n, age,
                                                  ipr_2022_explanation)),
            ipr_part,
            _part(n.move[2], _dc_explanation("kapkl_dc", k.dc_before_2023, n.capital_before_2023, n, assumptions,
                                             kapkl_source)),
            _part(n.move[3], _dc_explanation(
                "akapkr_dc", n.paid.akapkr_dc, n.capital_akapkr, n, assumptions,
                "AKAP-KR 6 % / 31.5 % per half-year: KPA [S30]; SKR [S29]; Skandikon [S31]",
            )),
            _part(n.move[4], _dc_explanation(
                "supplementary", n.paid.supplementary, n.capital_supplementary, n, assumptions,
                "AKAP-KR tilläggsavgift until 65 (unconfirmed table): KPA [S32][S36]; SKR Q&A [S3]",
            )),
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
            ("last_known_salary_year", n.path.last_known_year),
            ("salary_path", tuple((run.first, run.last, run.salary) for run in n.path.years)),
        ),
        parameters=assumptions.parameters,
        notes=("amounts in today's money: base amounts held at their value of the year of the calculation",),
        parts=tuple(p.explanation for p in (*stay.parts, *move.parts)),
    )
    caveats = ["estimate"]
    if n.paid.supplementary_unconfirmed and any(a for _, _, a in n.paid.supplementary):
        caveats.append("tillaggsavgift_unconfirmed")
    if explanation.unconfirmed or rights.unconfirmed_parameters:
        caveats.append("unconfirmed_parameters")
    if age > n.constants.normal_age:
        caveats.append("no_deferral_increase")
    if age < n.constants.normal_age and n.ipr_2022:
        caveats.append("ipr_2022_early_withdrawal")
    if n.retirement_year < at.year:
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
    person, k = Prepared(history), kapkl_inputs(history, rights)
    return {age: _compare(history, assumptions.with_age(age), at, rights, person, k) for age in ages}


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
