"""The pension simulation: the monthly pension before tax from each part at a chosen retirement age,
withdrawal share and payout period of the defined-contribution (DC) parts, and the years of payment.

It builds on the comparison (``domain.comparison.compare``): the comparison already computes every
part of both agreements at a retirement age 61-69 (FÅP with the 0.4 % a month reduction before 65,
livräntor, the IPR 1997, the AKAP-KR IPR 2022, the DC capitals and their payout); a simulation picks
the side of the agreement asked for ("KAP-KL" = the comparison's "stay", "AKAP-KR" = its "move"),
applies the withdrawal share and the payout period, and lays out the years of payment.

Rules (each cites its source; values in ``parameters/simulation.toml``):

- Retirement ages: FÅP, livränta and IPR from the 61-year month (RIPS 07 [S26], KPA [S1]), latest
  from the month after the 67-year month (KPA [S1]; flagged: the LAS-age change may have moved it),
  so KAP-KL offers 61-67; AKAP-KR offers 61 up to the LAS age 69 ([S31]). Ages whose year lies
  before the year of ``at`` are not offered. No increase for drawing after 65 (caveat
  ``no_deferral_increase``, as the comparison).
- DC parts (AKAP-KR, tilläggsavgift and the KAP-KL DC part: the same withdrawal rules for every
  agreement of the sector, OFR): from 60 (62 for a withdrawal from 2026-01-01, [S51]; OFR);
  lifelong (the main rule) or a fixed period of at least 10 years ([S4][S28][S30]); the simulation
  offers 10-20 years ([S51] SEB; flagged). When the retirement age is below the DC age, the DC
  parts start at the DC age with the capital of the retirement age (no extra growth: prudent).
  A lifelong payout is estimated as the capital spread over the remaining life expectancy at the
  start age (``simulation_lifelong_years``, flagged): an insurer's annuity differs.
- Partial withdrawal: KAP-KL allows drawing the FÅP wholly or partly (SPP); the shares offered are
  25/50/75/100 % (the public pension's shares; flagged). Reading: the share applies to every part
  of the agreement, so a share plus the rest taken at the same age equals the whole (to the öre).
  No source at hand gives a partial withdrawal in AKAP-KR: whole only (flagged).
- Payment years: lifelong parts continue; fixed-period parts stop after their period. Shown from
  the retirement age for 25 years, or to 5 years after the end of the longest fixed period when
  that is later. All amounts are in today's money: in reality the benefit parts are price-indexed
  (RIPS 07 [S26]) and the DC payouts follow the insurer's returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.comparison import CAVEATS as COMPARISON_CAVEATS
from domain.comparison import ComparisonAssumptions, _jsonable, compare, default_assumptions
from domain.eligibility import ACCRUAL_RULES, eligibility_2023
from domain.entitlements import Entitlements, entitlements
from domain.explanation import Explanation, ParameterUse
from domain.model import PersonHistory
from domain.money import round_ore
from domain.parameters import parameter

ZERO = Decimal(0)
ONE = Decimal(1)
AGREEMENTS = ("KAP-KL", "AKAP-KR")
REQUEST_AGREEMENTS = ("current", *AGREEMENTS)
DC_PARTS = frozenset({"kapkl_dc", "akapkr_dc", "supplementary"})
FIRST_AGE = 61  # the simulation's first retirement age (FÅP from the 61-year month, RIPS 07 [S26])
LAS_AGE = 69  # AKAP-KR: the LAS age from 2023 ([S31]; domain.contributions.LAS_AGE)
AKAPKL_BIRTH_YEAR = 1986  # born 1986+: AKAP-KL from 2014, AKAP-KR from 2023 ([S2][S29])
KAPKL_ONLY_BORN_BY = 1957  # born 1957 or earlier stay in KAP-KL ([S3])
PAYMENT_YEARS = 25  # years of payment shown at least
LIFELONG_TAIL = 5  # years shown after the longest fixed period

SOURCE_SIMULATION = (
    "Simulation on the comparison's parts: KAP-KL (KPA [S1], RIPS 07 [S26]), AKAP-KR (KPA [S30], "
    "SKR [S3][S29]); withdrawal rules KPA [S1], [S4][S28][S51], OFR (DC withdrawal rules), SPP (partial)"
)

# Caveat codes a simulation can carry (the comparison's codes too); the web translates by code.
CAVEATS: dict[str, str] = {
    **COMPARISON_CAVEATS,
    "todays_money": "Amounts in today's money: the benefit parts are price-indexed in reality and the "
    "defined-contribution parts follow the insurer's returns.",
    "lifelong_estimate": "A lifelong payout is estimated as the capital spread over the remaining life expectancy.",
    "partial_withdrawal_reading": "The withdrawal share is applied to every part (a reading of the rules).",
    "dc_starts_later": "The defined-contribution parts cannot start before the age the rules allow: "
    "they start later.",
    "latest_age_unconfirmed": "The latest age to start the defined-benefit parts is not confirmed.",
    "akapkl_before_2023_as_kapkl": "Contributions before 2023 are counted at the KAP-KL rate; "
    "AKAP-KL's higher rate above 7.5 IBB is not included.",
}


class InvalidSimulation(ValueError):  # noqa: N818 - the interface's name
    """A request the rules do not allow: ``field`` names the request field, ``code`` the reason
    (one of ``INVALID_CODES``; the web layer shows a translated message per code)."""

    def __init__(self, field: str, code: str):
        self.field = field
        self.code = code
        super().__init__(f"{field}: {code}")


INVALID_CODES = (
    "age_not_allowed",  # not one of allowed_retirement_ages
    "share_not_allowed",  # not one of allowed_withdrawal_shares
    "payout_too_short",
    "payout_too_long",
    "agreement_unknown",
    "agreement_not_available",  # KAP-KL for someone born 1986 or later
    "no_ages_left",  # every age the agreement allows lies in the past
)


@dataclass(frozen=True, slots=True)
class SimulationRequest:
    retirement_age: int  # from 61; later than 65 where the agreement allows (KAP-KL 67, AKAP-KR 69)
    withdrawal_share: Decimal = ONE  # partial withdrawal where the agreement allows it
    dc_payout_years: int | None = None  # DC parts: None = lifelong, else a fixed period
    agreement: str = "current"  # "KAP-KL" | "AKAP-KR" | "current" (the person's own agreement)
    assumptions: ComparisonAssumptions | None = None  # growth/return; None -> defaults at ``at``

    def __post_init__(self) -> None:
        # Shape checks only; what the rules allow for a person is checked by ``simulate``.
        if isinstance(self.retirement_age, bool) or not isinstance(self.retirement_age, int):
            raise InvalidSimulation("retirement_age", "age_not_allowed")
        if not isinstance(self.withdrawal_share, Decimal) or not ZERO < self.withdrawal_share <= ONE:
            raise InvalidSimulation("withdrawal_share", "share_not_allowed")
        if self.dc_payout_years is not None and (
            isinstance(self.dc_payout_years, bool) or not isinstance(self.dc_payout_years, int)
            or self.dc_payout_years < 1
        ):
            raise InvalidSimulation("dc_payout_years", "payout_too_short")
        if self.agreement not in REQUEST_AGREEMENTS:
            raise InvalidSimulation("agreement", "agreement_unknown")

    def to_snapshot(self) -> dict[str, object]:
        return {
            "retirement_age": self.retirement_age,
            "withdrawal_share": str(self.withdrawal_share),
            "dc_payout_years": self.dc_payout_years,
            "agreement": self.agreement,
            "assumptions": self.assumptions.to_snapshot() if self.assumptions is not None else None,
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, object]) -> SimulationRequest:
        raw = data.get("assumptions")
        assumptions = None
        if isinstance(raw, dict):
            assumptions = ComparisonAssumptions(
                int(raw["retirement_age"]), Decimal(str(raw["real_salary_growth"])),
                Decimal(str(raw["real_return"])), int(raw["payout_years"]),
            )
        years = data.get("dc_payout_years")
        return cls(
            retirement_age=int(data["retirement_age"]),
            withdrawal_share=Decimal(str(data.get("withdrawal_share", "1"))),
            dc_payout_years=None if years is None else int(years),
            agreement=str(data.get("agreement", "current")),
            assumptions=assumptions,
        )


@dataclass(frozen=True, slots=True)
class SimulatedPart:
    code: str  # one of domain.comparison.PART_CODES
    monthly_at_start: Decimal  # before tax, from ``start_age``, in today's money
    yearly_at_start: Decimal
    payout_years: int | None  # None = lifelong
    explanation: Explanation
    start_age: int = FIRST_AGE  # the age the part starts (DC parts may start after the retirement age)


@dataclass(frozen=True, slots=True)
class PaymentYear:
    year: int
    age: int
    by_part: dict[str, Decimal]  # monthly amount of each part in that year (0 before its start or after its end)
    total_monthly: Decimal


@dataclass(frozen=True, slots=True)
class Simulation:
    request: SimulationRequest
    at: date
    agreement: str  # "KAP-KL" | "AKAP-KR" (the request's "current" resolved)
    parts: tuple[SimulatedPart, ...]
    total_monthly: Decimal  # the sum of the parts (once every part has started)
    total_yearly: Decimal
    payments: tuple[PaymentYear, ...]
    caveats: tuple[str, ...]
    explanation: Explanation
    assumptions: ComparisonAssumptions | None = None  # the assumptions actually used

    def part(self, code: str) -> SimulatedPart | None:
        return next((p for p in self.parts if p.code == code), None)

    def to_snapshot(self) -> dict[str, object]:
        """Everything needed to show the simulation again later without recomputing: amounts as
        strings, the parameters with their dates and sources, the explanations' formulas."""
        return {
            "version": 1,
            "request": self.request.to_snapshot(),
            "at": self.at.isoformat(),
            "agreement": self.agreement,
            "assumptions": self.assumptions.to_snapshot() if self.assumptions is not None else None,
            "parts": [
                {
                    "code": p.code,
                    "monthly_at_start": str(p.monthly_at_start),
                    "yearly_at_start": str(p.yearly_at_start),
                    "payout_years": p.payout_years,
                    "start_age": p.start_age,
                    "explanation": explanation_snapshot(p.explanation),
                }
                for p in self.parts
            ],
            "total_monthly": str(self.total_monthly),
            "total_yearly": str(self.total_yearly),
            "payments": [
                {
                    "year": y.year,
                    "age": y.age,
                    "by_part": {code: str(amount) for code, amount in y.by_part.items()},
                    "total_monthly": str(y.total_monthly),
                }
                for y in self.payments
            ],
            "caveats": list(self.caveats),
            "unconfirmed": self.explanation.unconfirmed,
            "parameters": [parameter_snapshot(p) for p in _all_parameters(self.explanation)],
            "explanation": explanation_snapshot(self.explanation),
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, object]) -> Simulation:
        """The simulation as it was saved (no recomputation: figures and explanations as stored)."""
        parts = tuple(
            SimulatedPart(
                code=p["code"],
                monthly_at_start=Decimal(p["monthly_at_start"]),
                yearly_at_start=Decimal(p["yearly_at_start"]),
                payout_years=p["payout_years"],
                explanation=explanation_from_snapshot(p["explanation"]),
                start_age=int(p["start_age"]),
            )
            for p in data["parts"]
        )
        payments = tuple(
            PaymentYear(
                year=int(y["year"]),
                age=int(y["age"]),
                by_part={code: Decimal(amount) for code, amount in y["by_part"].items()},
                total_monthly=Decimal(y["total_monthly"]),
            )
            for y in data["payments"]
        )
        raw = data.get("assumptions")
        assumptions = None
        if isinstance(raw, dict):
            assumptions = ComparisonAssumptions(
                int(raw["retirement_age"]), Decimal(raw["real_salary_growth"]), Decimal(raw["real_return"]),
                int(raw["payout_years"]),
            )
        return cls(
            request=SimulationRequest.from_snapshot(data["request"]),
            at=date.fromisoformat(data["at"]),
            agreement=data["agreement"],
            parts=parts,
            total_monthly=Decimal(data["total_monthly"]),
            total_yearly=Decimal(data["total_yearly"]),
            payments=payments,
            caveats=tuple(data["caveats"]),
            explanation=explanation_from_snapshot(data["explanation"]),
            assumptions=assumptions,
        )


# --- snapshots of explanations ------------------------------------------------------------------

def parameter_snapshot(p: ParameterUse) -> dict[str, object]:
    return {
        "name": p.name,
        "value": str(p.value),
        "applies_from": p.applies_from.isoformat(),
        "source": p.source,
        "unconfirmed": p.unconfirmed,
    }


def explanation_snapshot(e: Explanation) -> dict[str, object]:
    return {
        "rule": e.rule,
        "source": e.source,
        "inputs": [[name, _jsonable(value)] for name, value in e.inputs],
        "parameters": [parameter_snapshot(p) for p in e.parameters],
        "formula": e.formula,
        "notes": list(e.notes),
        "parts": [explanation_snapshot(p) for p in e.parts],
    }


def explanation_from_snapshot(data: dict[str, object]) -> Explanation:
    """An explanation as stored (input values come back as JSON values: strings for amounts)."""
    return Explanation(
        rule=data["rule"],
        source=data["source"],
        inputs=tuple((name, _frozen(value)) for name, value in data["inputs"]),
        parameters=tuple(
            ParameterUse(p["name"], _frozen(p["value"]), date.fromisoformat(p["applies_from"]), p["source"],
                         bool(p["unconfirmed"]))
            for p in data["parameters"]
        ),
        formula=data["formula"],
        notes=tuple(data["notes"]),
        parts=tuple(explanation_from_snapshot(p) for p in data["parts"]),
    )


_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _frozen(value: object) -> object:
    """A stored value as the domain held it: lists as tuples, numbers written as strings as
    Decimals, ISO days as dates (so a saved explanation is shown exactly as the live one)."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, str):
        if _DECIMAL.fullmatch(value):
            return Decimal(value)
        if _DAY.fullmatch(value):
            return date.fromisoformat(value)
    return value


def _all_parameters(e: Explanation) -> tuple[ParameterUse, ...]:
    """Every parameter an explanation tree used, once each (by name and date)."""
    seen: dict[tuple[str, date], ParameterUse] = {}
    stack = [e]
    while stack:
        node = stack.pop()
        for p in node.parameters:
            seen.setdefault((p.name, p.applies_from), p)
        stack.extend(node.parts)
    return tuple(sorted(seen.values(), key=lambda p: (p.name, p.applies_from)))


# --- what the rules allow -----------------------------------------------------------------------

def own_agreement(history: PersonHistory, *, chose_akapkr: bool = False) -> str:
    """The person's own agreement from 2023 (SKR Q&A [S3]; domain-spec 2, 3): AKAP-KR for those born
    1986 or later, for those who chose it, and for those born 1958-1985 moved compulsorily (no FÅP
    accrual by the 2023 choice's accrual tests); KAP-KL for those born 1957 or earlier, those who
    stayed, and those with a pension granted, SAP, FÅP in payment or sickness/activity compensation.
    Reading: a person who left the sector before 2023 keeps the KAP-KL rights they earned; the
    accrual tests decide as for someone still employed."""
    if history.birth_year >= AKAPKL_BIRTH_YEAR or chose_akapkr:
        return "AKAP-KR"
    if history.birth_year <= KAPKL_ONLY_BORN_BY:
        return "KAP-KL"
    rules = {r.code: r.passed for r in eligibility_2023(history).rules}
    kept = (
        not rules.get("no_pension_granted", True)
        or not rules.get("no_sickness_or_activity_compensation", True)
        or any(rules.get(code, False) for code in ACCRUAL_RULES)
    )
    return "KAP-KL" if kept else "AKAP-KR"


def available_agreements(history: PersonHistory) -> tuple[str, ...]:
    """The agreements a simulation can be made under: KAP-KL needs a birth year of 1985 or earlier."""
    return AGREEMENTS if history.birth_year < AKAPKL_BIRTH_YEAR else ("AKAP-KR",)


def resolve_agreement(history: PersonHistory, agreement: str, *, chose_akapkr: bool = False) -> str:
    if agreement == "current":
        return own_agreement(history, chose_akapkr=chose_akapkr)
    if agreement not in AGREEMENTS:
        raise InvalidSimulation("agreement", "agreement_unknown")
    if agreement not in available_agreements(history):
        raise InvalidSimulation("agreement", "agreement_not_available")
    return agreement


def start_date(history: PersonHistory, age: int) -> date:
    """The first day of the birthday month at ``age``: the month a withdrawal from that age starts."""
    return date(history.birth_year + age, history.birth_date.month, 1)


def latest_age(agreement: str, at: date) -> tuple[int, ParameterUse | None]:
    if agreement == "KAP-KL":
        use = parameter("kapkl_latest_withdrawal_age", at)
        return int(use.value), use
    return LAS_AGE, None


def allowed_retirement_ages(
    history: PersonHistory, at: date, agreement: str, *, chose_akapkr: bool = False
) -> tuple[int, ...]:
    """Retirement ages the simulation offers under ``agreement`` ("current" resolves to the
    person's own): 61 to 67 in KAP-KL (KPA [S1]), 61 to the LAS age 69 in AKAP-KR ([S31]); ages
    whose year lies before the year of ``at`` are left out."""
    agreement = resolve_agreement(history, agreement, chose_akapkr=chose_akapkr)
    last, _ = latest_age(agreement, at)
    return tuple(age for age in range(FIRST_AGE, last + 1) if history.birth_year + age >= at.year)


def allowed_withdrawal_shares(agreement: str, at: date | None = None) -> tuple[Decimal, ...]:
    """Shares of the pension that can be drawn (KAP-KL: whole or partly, SPP; AKAP-KR: whole)."""
    if agreement not in AGREEMENTS:
        raise InvalidSimulation("agreement", "agreement_unknown")
    name = "kapkl_withdrawal_shares" if agreement == "KAP-KL" else "akapkr_withdrawal_shares"
    raw = str(parameter(name, at or date.max).value)
    return tuple(Decimal(s.strip()) for s in raw.split(","))


def dc_start_age(history: PersonHistory, retirement_age: int) -> tuple[int, ParameterUse]:
    """The age the DC parts start: the retirement age, or the earliest DC age in force when the
    withdrawal would start if that is later (60; 62 from 2026-01-01, [S51]; OFR)."""
    use = parameter("dc_earliest_withdrawal_age", start_date(history, retirement_age))
    return max(retirement_age, int(use.value)), use


def payout_limits(history: PersonHistory, age: int) -> tuple[ParameterUse, ParameterUse]:
    when = start_date(history, age)
    return parameter("dc_min_payout_years", when), parameter("dc_max_payout_years", when)


def lifelong_years(age: int, at: date) -> ParameterUse:
    return parameter("simulation_lifelong_years", at, key=age)


# --- the simulation -----------------------------------------------------------------------------

def simulate(
    history: PersonHistory,
    request: SimulationRequest,
    at: date,
    *,
    chose_akapkr: bool = False,
    rights: Entitlements | None = None,
) -> Simulation:
    """The monthly pension from each part at ``request.retirement_age`` under the agreement asked
    for (see the module docstring). Raises ``InvalidSimulation(field, code)`` for a request the
    rules do not allow. ``rights`` are ``entitlements(history, at)`` when the caller has them."""
    agreement = resolve_agreement(history, request.agreement, chose_akapkr=chose_akapkr)
    age = request.retirement_age
    ages = allowed_retirement_ages(history, at, agreement, chose_akapkr=chose_akapkr)
    if not ages:
        raise InvalidSimulation("retirement_age", "no_ages_left")
    if age not in ages:
        raise InvalidSimulation("retirement_age", "age_not_allowed")
    share = request.withdrawal_share
    if share not in allowed_withdrawal_shares(agreement, at):
        raise InvalidSimulation("withdrawal_share", "share_not_allowed")
    dc_age, dc_age_use = dc_start_age(history, age)
    shortest, longest = payout_limits(history, dc_age)
    uses: list[ParameterUse] = [dc_age_use]
    fixed = request.dc_payout_years
    if fixed is not None:
        if fixed < int(shortest.value):
            raise InvalidSimulation("dc_payout_years", "payout_too_short")
        if fixed > int(longest.value):
            raise InvalidSimulation("dc_payout_years", "payout_too_long")
        uses += [shortest, longest]
        annuity_years = fixed
    else:
        lifelong = lifelong_years(dc_age, at)
        uses.append(lifelong)
        annuity_years = int(lifelong.value)
    last, last_use = latest_age(agreement, at)
    if last_use is not None:
        uses.append(last_use)
    uses.append(parameter("kapkl_withdrawal_shares" if agreement == "KAP-KL" else "akapkr_withdrawal_shares", at))

    base = request.assumptions or default_assumptions(at)
    assumptions = ComparisonAssumptions(age, base.real_salary_growth, base.real_return, annuity_years, base.parameters)
    if rights is None:
        rights = entitlements(history, at)
    comparison = compare(history, assumptions, at, rights=rights)
    side = comparison.stay if agreement == "KAP-KL" else comparison.move

    parts = []
    for p in side.parts:
        if not p.yearly:
            continue  # a part the person has none of
        is_dc = p.code in DC_PARTS
        parts.append(SimulatedPart(
            code=p.code,
            monthly_at_start=round_ore(p.monthly * share),
            yearly_at_start=round_ore(p.yearly * share),
            payout_years=fixed if is_dc else None,
            start_age=dc_age if is_dc else age,
            explanation=Explanation(
                rule=f"simulation_{p.code}",
                source=SOURCE_SIMULATION,
                inputs=(
                    ("retirement_age", age), ("start_age", dc_age if is_dc else age),
                    ("withdrawal_share", share), ("payout_years", (fixed or "lifelong") if is_dc else "lifelong"),
                    ("monthly_whole", p.monthly),
                ),
                parameters=tuple(uses) if is_dc else (),
                formula=f"{p.monthly} × {share} = {round_ore(p.monthly * share)} a month",
                parts=(p.explanation,),
            ),
        ))
    total_monthly = sum((p.monthly_at_start for p in parts), ZERO)
    total_yearly = sum((p.yearly_at_start for p in parts), ZERO)

    caveats = [c for c in comparison.caveats
               if agreement == "AKAP-KR" or c not in ("tillaggsavgift_unconfirmed", "ipr_2022_early_withdrawal")]
    caveats.append("todays_money")
    has_dc = any(p.code in DC_PARTS for p in parts)
    if has_dc and fixed is None:
        caveats.append("lifelong_estimate")
    if share != ONE:
        caveats.append("partial_withdrawal_reading")
    if has_dc and dc_age > age:
        caveats.append("dc_starts_later")
    if agreement == "KAP-KL" and age > int(parameter("kapkl_normal_retirement_age", at).value) and last_use is not None \
            and last_use.unconfirmed:
        caveats.append("latest_age_unconfirmed")
    if agreement == "AKAP-KR" and history.birth_year >= AKAPKL_BIRTH_YEAR and has_dc:
        caveats.append("akapkl_before_2023_as_kapkl")
    if any(u.unconfirmed for u in uses) and "unconfirmed_parameters" not in caveats:
        caveats.append("unconfirmed_parameters")

    explanation = Explanation(
        rule="simulation",
        source=SOURCE_SIMULATION,
        inputs=(
            ("at", at), ("agreement", agreement), ("retirement_age", age), ("withdrawal_share", share),
            ("dc_payout_years", fixed if fixed is not None else "lifelong"), ("dc_start_age", dc_age),
            ("annuity_years", annuity_years),
        ),
        parameters=tuple(uses),
        notes=("amounts in today's money; the benefit parts are price-indexed in reality (RIPS 07 [S26])",),
        # the comparison's inputs and assumptions, and this agreement's parts (not the other side's)
        parts=(
            Explanation(
                rule="comparison_assumptions",
                source=comparison.explanation.source,
                inputs=comparison.explanation.inputs,
                parameters=comparison.explanation.parameters,
                notes=comparison.explanation.notes,
            ),
            *(p.explanation for p in parts),
        ),
    )
    return Simulation(
        request=request,
        at=at,
        agreement=agreement,
        parts=tuple(parts),
        total_monthly=total_monthly,
        total_yearly=total_yearly,
        payments=payment_years(history, age, tuple(parts)),
        caveats=tuple(dict.fromkeys(caveats)),
        explanation=explanation,
        assumptions=assumptions,
    )


def payment_years(history: PersonHistory, age: int, parts: tuple[SimulatedPart, ...]) -> tuple[PaymentYear, ...]:
    """Monthly amounts per year of age from ``age``: lifelong parts continue, fixed-period parts
    stop after their period; PAYMENT_YEARS years, or LIFELONG_TAIL years after the end of the
    longest fixed period when that is later."""
    ends = [p.start_age + p.payout_years for p in parts if p.payout_years is not None]
    last = max([age + PAYMENT_YEARS, *(end + LIFELONG_TAIL for end in ends)])
    years = []
    for a in range(age, last):
        by_part = {
            p.code: p.monthly_at_start
            if p.start_age <= a and (p.payout_years is None or a < p.start_age + p.payout_years)
            else ZERO
            for p in parts
        }
        years.append(PaymentYear(history.birth_year + a, a, by_part, sum(by_part.values(), ZERO)))
    return tuple(years)
