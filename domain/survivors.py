"""Survivor cover: what a surviving adult and children would receive from the agreement if the
employee died at ``at`` — as far as the sources at hand give it; the rest is listed as not covered
by this estimate (``not_computed``), never guessed.

- KAP-KL pension to a surviving adult (efterlevandepension): 15 % of the pensionsunderlag up to
  20 IBB and 7.5 % of the part between 20 and 30 IBB, a year, paid for at most five years (KPA
  kunskapsbank "Pension till efterlevande"). Reading: the pensionsunderlag of the last year end
  (the entitlements' calculation point) stands in for the one at death. The KAP-KL pension to
  children and the kompletterande änkepension: levels not in the sources at hand (not computed).
- AKAP-KR familjeskydd to a surviving adult: 0.8 IBB a year (+ 0.3 IBB when the pensionable salary
  was above the threshold, read as 6 IBB a year, flagged), paid monthly for five years (KPA
  kunskapsbank "Familjeskydd"; OFR "Typexempel" 2018). To each child: 0.5 IBB a year (derived from
  OFR's example, flagged) until 18, to 20 in school (OFR).
- Both cover a death during employment or within six months after it ended (KPA, both pages).
- Not in this estimate: the group life insurance TGL-KL (a lump sum from a separate insurance,
  Afa Försäkring), the repayment cover (återbetalningsskydd) of the DC capital, the public
  survivor pensions. Amounts are at the IBB of the year of ``at``; paid amounts follow the PBB.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.entitlements import Entitlements, entitlements
from domain.explanation import Explanation, ParameterUse
from domain.model import PersonHistory
from domain.money import monthly, round_krona
from domain.parameters import ibb, parameter
from domain.simulation import resolve_agreement

ZERO = Decimal(0)
KPA_KAPKL = "KAP-KL efterlevandepension: KPA kunskapsbank 'Pension till efterlevande'"
KPA_AKAPKR = "AKAP-KR familjeskydd: KPA kunskapsbank 'Familjeskydd'; OFR 'Familjeskydd i AKAP-KL', 'Typexempel'"

# Codes of benefits this estimate does not compute (the web shows "not covered by this estimate").
NOT_COMPUTED: dict[str, str] = {
    "kapkl_child_pension": "KAP-KL pension to children: the levels are not in the sources at hand.",
    "kompletterande_ankepension": "KAP-KL kompletterande änkepension: not computed.",
    "tgl": "Group life insurance (TGL-KL): a lump sum from a separate insurance, not computed.",
    "repayment_cover": "Repayment cover of the defined-contribution capital: depends on the insurer, not computed.",
    "public_survivor_pension": "The public survivor pensions (Pensionsmyndigheten) are not included.",
}

CAVEATS: dict[str, str] = {
    "not_covered_no_employment": "No employment now or in the last six months: the agreement's survivor cover does "
    "not apply.",
    "survivor_pu_reading": "The pensionsunderlag of the last year end stands in for the one at death.",
    "unconfirmed_parameters": "Some parameters are not confirmed by the sources at hand.",
    "indexed_with_pbb": "The amounts are at this year's level; payments follow the price base amount.",
}


@dataclass(frozen=True, slots=True)
class SurvivorPart:
    code: str  # "kapkl_adult" | "akapkr_adult" | "akapkr_child"
    monthly: Decimal  # per person (per child for a child part)
    months: int | None  # paid for this many months; None: until ``until_age``
    until_age: int | None  # a child part: paid up to this age
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class SurvivorCover:
    agreement: str  # "KAP-KL" | "AKAP-KR"
    at: date
    covered: bool  # employed now or within the last six months
    adult_monthly: Decimal | None  # None: not computed by this estimate
    adult_months: int | None
    child_monthly_each: Decimal | None  # None: not computed by this estimate
    child_until_age: int | None
    lump_sum: Decimal | None  # None: not computed (TGL-KL is a separate insurance)
    parts: tuple[SurvivorPart, ...]
    not_computed: tuple[str, ...]  # codes of NOT_COMPUTED
    caveats: tuple[str, ...]

    @property
    def unconfirmed(self) -> bool:
        return any(p.explanation.unconfirmed for p in self.parts)

    def to_snapshot(self) -> dict[str, object]:
        from domain.simulation import explanation_snapshot

        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "agreement": self.agreement,
            "at": self.at.isoformat(),
            "covered": self.covered,
            "adult_monthly": text(self.adult_monthly),
            "adult_months": self.adult_months,
            "child_monthly_each": text(self.child_monthly_each),
            "child_until_age": self.child_until_age,
            "lump_sum": text(self.lump_sum),
            "parts": [
                {"code": p.code, "monthly": str(p.monthly), "months": p.months, "until_age": p.until_age,
                 "explanation": explanation_snapshot(p.explanation)}
                for p in self.parts
            ],
            "not_computed": list(self.not_computed),
            "caveats": list(self.caveats),
            "unconfirmed": self.unconfirmed,
        }


def cover_from_snapshot(data: dict[str, object]) -> SurvivorCover:
    """A survivor cover as it was saved (no recomputation)."""
    from domain.simulation import explanation_from_snapshot

    def amount(value: object) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    return SurvivorCover(
        agreement=str(data["agreement"]),
        at=date.fromisoformat(str(data["at"])),
        covered=bool(data["covered"]),
        adult_monthly=amount(data["adult_monthly"]),
        adult_months=data["adult_months"],
        child_monthly_each=amount(data["child_monthly_each"]),
        child_until_age=data["child_until_age"],
        lump_sum=amount(data["lump_sum"]),
        parts=tuple(
            SurvivorPart(p["code"], Decimal(p["monthly"]), p["months"], p["until_age"],
                         explanation_from_snapshot(p["explanation"]))
            for p in data["parts"]
        ),
        not_computed=tuple(data["not_computed"]),
        caveats=tuple(data["caveats"]),
    )


def covered_at(history: PersonHistory, at: date) -> tuple[bool, ParameterUse]:
    """Death during employment or within six months after it ended (KPA, both agreements; reading:
    up to and including the day six months after the last day of employment)."""
    use = parameter("survivor_cover_after_employment_months", at)
    months = int(use.value)
    for job in history.employments:
        if job.start > at:
            continue
        if job.end is None or job.end >= at:
            return True, use
        if at <= add_months(job.end, months):
            return True, use
    return False, use


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_salary(history: PersonHistory, at: date) -> tuple[int, Decimal] | None:
    """The latest calendar year up to the year of ``at`` with a pensionable salary."""
    years = [s for s in history.salaries if s.year <= at.year and s.amount > 0]
    if not years:
        return None
    last = max(years, key=lambda s: s.year)
    return last.year, last.amount


def survivor_cover(
    history: PersonHistory, at: date, agreement: str = "current", *, chose_akapkr: bool = False,
    rights: Entitlements | None = None,
) -> SurvivorCover:
    """What the agreement gives survivors if the employee died at ``at`` (see the module docstring)."""
    agreement = resolve_agreement(history, agreement, chose_akapkr=chose_akapkr)
    covered, cover_use = covered_at(history, at)
    if agreement == "KAP-KL":
        parts, not_computed, caveats = _kapkl(history, at, rights, cover_use)
    else:
        parts, not_computed, caveats = _akapkr(history, at, cover_use)
    not_computed = (*not_computed, "tgl", "repayment_cover", "public_survivor_pension")
    if not covered:
        parts = ()
        caveats = ["not_covered_no_employment"]
    elif any(p.explanation.unconfirmed for p in parts):
        caveats.append("unconfirmed_parameters")
    adult = next((p for p in parts if p.until_age is None), None)
    child = next((p for p in parts if p.until_age is not None), None)
    child_computed = agreement == "AKAP-KR"
    return SurvivorCover(
        agreement=agreement,
        at=at,
        covered=covered,
        adult_monthly=adult.monthly if adult else (ZERO if not covered else None),
        adult_months=adult.months if adult else None,
        child_monthly_each=child.monthly if child else (ZERO if not covered and child_computed else None),
        child_until_age=child.until_age if child else None,
        lump_sum=None,
        parts=parts,
        not_computed=not_computed,
        caveats=tuple(dict.fromkeys([*caveats, "indexed_with_pbb"])),
    )


def _kapkl(history, at, rights, cover_use):
    if rights is None:
        rights = entitlements(history, at)
    pu = rights.pensionsunderlag
    year = rights.calculation_year
    base = ibb(year)
    lower, upper, months = (
        parameter("kapkl_survivor_adult_rate_lower", at),
        parameter("kapkl_survivor_adult_rate_upper", at),
        parameter("kapkl_survivor_adult_months", at),
    )
    band = parameter("kapkl_fap_band_ibb", at)
    ceiling = parameter("kapkl_pu_ceiling_ibb", at)
    limit_20 = base.value * band.value
    limit_30 = base.value * ceiling.value
    amount = pu.amount
    yearly = round_krona(lower.value * min(amount, limit_20) + upper.value * max(ZERO, min(amount, limit_30) - limit_20))
    adult = SurvivorPart(
        code="kapkl_adult",
        monthly=monthly(yearly),
        months=int(months.value),
        until_age=None,
        explanation=Explanation(
            rule="kapkl_survivor_adult",
            source=KPA_KAPKL,
            inputs=(("pensionsunderlag", amount), ("calculation_year", year)),
            parameters=(lower, upper, months, band, ceiling, base, cover_use),
            formula=(
                f"{lower.value} × min({amount}, {limit_20}) + {upper.value} × (min({amount}, {limit_30}) − "
                f"{limit_20})⁺ = {yearly} a year; / 12 = {monthly(yearly)} a month"
            ),
            notes=("the pensionsunderlag of the last year end stands in for the one at death",),
            parts=(pu.explanation,),
        ),
    )
    return (adult,), ("kapkl_child_pension", "kompletterande_ankepension"), ["survivor_pu_reading"]


def _akapkr(history, at, cover_use):
    base = ibb(at.year)
    adult_ibb = parameter("akapkr_family_adult_ibb", at)
    extra_ibb = parameter("akapkr_family_adult_extra_ibb", at)
    threshold = parameter("akapkr_family_adult_extra_threshold_ibb", at)
    months = parameter("akapkr_family_adult_months", at)
    child_ibb = parameter("akapkr_family_child_ibb", at)
    until = parameter("akapkr_family_child_until_age", at)
    salary = latest_salary(history, at)
    extra = False
    salary_text = "no salary known"
    threshold_uses: tuple[ParameterUse, ...] = ()
    if salary is not None:
        salary_year, amount = salary
        salary_ibb = ibb(salary_year)
        threshold_uses = (salary_ibb,)
        extra = amount > threshold.value * salary_ibb.value
        salary_text = f"salary {amount} ({salary_year}) {'>' if extra else '≤'} {threshold.value} × {salary_ibb.value}"
    rate = adult_ibb.value + (extra_ibb.value if extra else ZERO)
    adult_yearly = rate * base.value
    adult = SurvivorPart(
        code="akapkr_adult",
        monthly=monthly(adult_yearly),
        months=int(months.value),
        until_age=None,
        explanation=Explanation(
            rule="akapkr_family_adult",
            source=KPA_AKAPKR,
            inputs=(("salary", salary[1] if salary else ZERO), ("salary_year", salary[0] if salary else None)),
            parameters=(adult_ibb, extra_ibb, threshold, months, base, *threshold_uses, cover_use),
            formula=f"{salary_text}: {rate} × {base.value} / 12 = {monthly(adult_yearly)} a month",
            notes=("paid for five years; indexed with the price base amount after the first year",),
        ),
    )
    child_yearly = child_ibb.value * base.value
    child = SurvivorPart(
        code="akapkr_child",
        monthly=monthly(child_yearly),
        months=None,
        until_age=int(until.value),
        explanation=Explanation(
            rule="akapkr_family_child",
            source=KPA_AKAPKR,
            parameters=(child_ibb, until, base, cover_use),
            formula=f"{child_ibb.value} × {base.value} / 12 = {monthly(child_yearly)} a month per child",
            notes=("to the month before the child turns 18; at most to 20 while in school (OFR)",),
        ),
    )
    return (adult, child), (), []
