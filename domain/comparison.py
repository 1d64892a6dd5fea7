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

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.explanation import Explanation, ParameterUse
from domain.money import monthly, round_krona, round_ore
from domain.parameters import parameter

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


def early_withdrawal_factor(age: int, reduction_per_month: Decimal, normal_age: int) -> Decimal:
    """1 − 0.4 % × months before 65 (RIPS 07 [S26]); 1 at or after 65 (no deferral increase)."""
    months = max(0, (normal_age - age) * 12)
    return ONE - reduction_per_month * months


def capital_at(contributions: dict[int, Decimal], retirement_year: int, real_return: Decimal) -> Decimal:
    """Capital in the retirement year: each year's contributions grown by (1 + r)^(retirement year − year)."""
    growth = ONE + real_return
    return round_ore(
        sum((amount * growth ** (retirement_year - year) for year, amount in contributions.items()), ZERO)
    )


def _round_ore_sum(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO)
