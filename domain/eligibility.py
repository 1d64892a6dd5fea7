"""Eligibility for the 2023 choice between KAP-KL and AKAP-KR, as a list of rules.

SKR "Frågor och svar om valet av pensionsavtal 2023" [S3]; Saco/Akademikeralliansen [S35]; KPA
[S33]; Valcentralen [S25]; domain-spec section 4. The campaign's dates and limits come from
``parameters/choice_campaigns.toml``.

The six rules, each a ``RuleOutcome`` with the data it used:
- ``born_in_range``: born 1958-1985 [S3].
- ``pensionsunderlag_above_7_5_ibb``: PU at 2022-12-31 above 7.5 IBB 2022 = 532 500 kr [S3].
- ``salary_or_livranta``: fixed monthly salary incl. fixed supplements at 2022-12-31 above
  round(7.5 IBB 2022 / 12) = 44 375 kr, or an earned livränta at 2022-12-31 [S35][S33]. Hourly paid
  staff: the 2022 salary converted to full time (``SalaryYear.full_time_amount``) / 12, per
  Allmänna bestämmelser [S3]; part-time staff: not converted [S3].
- ``employed_q4_2022_and_q1_2023``: an employment (leave of absence included) on some day of
  Q4 2022 and some day of Q1 2023 [S3].
- ``no_pension_granted``: no pension approved by 2023-03-31, no SAP granted, no FÅP in payment
  [S3][S25].
- ``no_sickness_or_activity_compensation``: no sjuk- or aktivitetsersättning from 2022-12-31 to
  2023-03-31 [S3][S25].

How the two accrual tests combine (spec section 4, uncertainty 6): SKR phrases "started FÅP accrual"
as PU above 7.5 IBB; the unions phrase the same condition as the salary-or-livränta test the
administrators applied. A person passes the accrual condition when EITHER test passes (the inclusive
reading: whoever either source calls eligible may choose). Change ``ACCRUAL_COMBINATION`` to "all"
to require both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.benefit import benefit_levels
from domain.campaign import ChoiceCampaign, choice_campaign
from domain.explanation import Explanation
from domain.kernel import Prepared
from domain.livranta import calendar_year_livranta, intjanad_livranta
from domain.model import PersonHistory
from domain.money import monthly
from domain.parameters import ibb
from domain.pensionsunderlag import pensionsunderlag

RULE_CODES = (
    "born_in_range",
    "pensionsunderlag_above_7_5_ibb",
    "salary_or_livranta",
    "employed_q4_2022_and_q1_2023",
    "no_pension_granted",
    "no_sickness_or_activity_compensation",
)
ACCRUAL_RULES = ("pensionsunderlag_above_7_5_ibb", "salary_or_livranta")
ACCRUAL_COMBINATION = "any"  # "any": either accrual test suffices; "all": both are required
_ZERO = Decimal(0)
_TWELVE = Decimal(12)


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    code: str  # one of RULE_CODES
    passed: bool
    data: dict[str, object]
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    rules: tuple[RuleOutcome, ...]
    campaign: str = "2023"

    def rule(self, code: str) -> RuleOutcome:
        return next(r for r in self.rules if r.code == code)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Codes of the failed rules that make the person ineligible (empty when eligible).

        A failed accrual test is a reason only when the accrual condition as a whole failed.
        """
        accrual_ok = _accrual_passed(self.rules)
        return tuple(
            r.code for r in self.rules if not r.passed and not (r.code in ACCRUAL_RULES and accrual_ok)
        )

    @property
    def explanation(self) -> Explanation:
        return Explanation(
            rule="eligibility_2023",
            source="SKR Q&A on the 2023 choice [S3]; Saco [S35]; KPA [S33]; domain-spec 4",
            inputs=(("campaign", self.campaign),),
            formula=(
                "eligible = born_in_range and (pensionsunderlag_above_7_5_ibb "
                + ("or" if ACCRUAL_COMBINATION == "any" else "and")
                + " salary_or_livranta) and employed_q4_2022_and_q1_2023 and no_pension_granted "
                "and no_sickness_or_activity_compensation"
            ),
            parts=tuple(r.explanation for r in self.rules),
        )


def _accrual_passed(rules: tuple[RuleOutcome, ...]) -> bool:
    outcomes = [r.passed for r in rules if r.code in ACCRUAL_RULES]
    return any(outcomes) if ACCRUAL_COMBINATION == "any" else all(outcomes)


def _employed_between(history: PersonHistory, first: date, last: date) -> bool:
    return any(j.start <= last and (j.end is None or j.end >= first) for j in history.employments)


def _employment_at(history: PersonHistory, day: date):
    active = [j for j in history.employments if j.start <= day and (j.end is None or j.end >= day)]
    return active


def eligibility_2023(history: PersonHistory, campaign: ChoiceCampaign | None = None) -> Eligibility:
    """Who may choose between KAP-KL and AKAP-KR in the campaign (default "2023") [S3]."""
    campaign = campaign or choice_campaign("2023")
    rules: list[RuleOutcome] = []
    src = campaign.explanation.source

    # 1. Birth years [S3].
    born = history.birth_year
    rules.append(
        RuleOutcome(
            "born_in_range",
            campaign.born_from <= born <= campaign.born_to,
            {"birth_year": born, "born_from": campaign.born_from, "born_to": campaign.born_to},
            Explanation(
                rule="born_in_range",
                source=f"{src}: born {campaign.born_from}-{campaign.born_to}",
                inputs=(("birth_year", born),),
                formula=f"{campaign.born_from} <= {born} <= {campaign.born_to}",
            ),
        )
    )

    # 2. PU above 7.5 IBB at 2022-12-31 [S3].
    pu_year = campaign.pu_at.year
    base = ibb(pu_year)
    threshold = campaign.pu_threshold_ibb * base.value
    person = Prepared(history)
    pu = pensionsunderlag(history, pu_year, person)
    rules.append(
        RuleOutcome(
            "pensionsunderlag_above_7_5_ibb",
            pu.amount > threshold,
            {"pensionsunderlag": pu.amount, "threshold": threshold, "year": pu_year,
             "counted_years": pu.counted_years},
            Explanation(
                rule="pensionsunderlag_above_7_5_ibb",
                source=f"{src}: started FÅP accrual, PU above {campaign.pu_threshold_ibb} IBB at {campaign.pu_at}",
                inputs=(("pensionsunderlag", pu.amount),),
                parameters=(base,),
                formula=f"{pu.amount} > {campaign.pu_threshold_ibb} x {base.value} = {threshold}",
                parts=(pu.explanation,),
            ),
        )
    )

    # 3. Salary or livränta at 2022-12-31 [S35][S33]; hourly paid converted to full time [S3].
    test_day = campaign.salary_test_at
    salary_base = ibb(test_day.year)
    monthly_threshold = monthly(campaign.pu_threshold_ibb * salary_base.value)
    active = _employment_at(history, test_day)
    hourly = bool(active) and all(j.pay_type == "hourly" for j in active)
    record = history.salary_by_year.get(test_day.year)
    notes: list[str] = []
    if hourly:
        full_time = record.full_time_amount if record else None
        tested = (full_time / _TWELVE) if full_time is not None else None
        basis = "hourly paid: the year's salary converted to full time / 12 (Allmänna bestämmelser) [S3]"
        if tested is None:
            notes.append("Hourly paid without a full-time amount: the salary test cannot pass.")
    else:
        tested = history.fixed_monthly_salary_2022_12_31
        basis = "fixed monthly salary incl. fixed supplements; part time not converted [S3][S35]"
        if tested is None:
            notes.append("No fixed monthly salary at the test day is known.")
    salary_passed = tested is not None and tested > monthly_threshold
    livranta_amount = _ZERO
    livranta_parts: tuple[Explanation, ...] = ()
    if not salary_passed:
        # Earned livränta at 2022-12-31: intjänad livränta or calendar-year livränta (RIPS 07 [S26]).
        levels = benefit_levels(born)
        il = intjanad_livranta(history, levels, person) if test_day.year >= 2006 else None
        il_2006 = il.amount if il else _ZERO
        livranta = calendar_year_livranta(history, levels, il_2006, test_day.year, person)
        livranta_amount = il_2006 + livranta.latest.amount
        livranta_parts = (livranta.latest.explanation,) + ((il.explanation,) if il else ())
    else:
        notes.append("The salary test passed, so the livränta was not needed.")
    rules.append(
        RuleOutcome(
            "salary_or_livranta",
            salary_passed or livranta_amount > _ZERO,
            {
                "monthly_salary_tested": tested,
                "hourly_paid": hourly,
                "monthly_threshold": monthly_threshold,
                "salary_passed": salary_passed,
                "earned_livranta": livranta_amount if not salary_passed else None,
                "test_day": test_day,
            },
            Explanation(
                rule="salary_or_livranta",
                source="Saco/Akademikeralliansen [S35]; KPA [S33]; SKR [S3] (hourly paid, part time)",
                inputs=(("monthly_salary_tested", tested), ("basis", basis)),
                parameters=(salary_base,),
                formula=(
                    f"{tested} > round({campaign.pu_threshold_ibb} x {salary_base.value} / 12) = "
                    f"{monthly_threshold}, or earned livränta {livranta_amount} > 0"
                ),
                notes=tuple(notes),
                parts=livranta_parts,
            ),
        )
    )

    # 4. Employed (or on leave from an employment) in Q4 2022 and in Q1 2023 [S3].
    q4 = _employed_between(history, campaign.employed_from, campaign.pu_at)
    q1 = _employed_between(history, date(campaign.pu_at.year + 1, 1, 1), campaign.employed_to)
    on_leave = any(
        lv.kind == "leave" and lv.start <= campaign.pu_at and (lv.end is None or lv.end >= campaign.pu_at)
        for lv in history.leaves
    )
    rules.append(
        RuleOutcome(
            "employed_q4_2022_and_q1_2023",
            q4 and q1,
            {"employed_q4": q4, "employed_q1": q1, "on_leave_at_year_end": on_leave,
             "from": campaign.employed_from, "to": campaign.employed_to},
            Explanation(
                rule="employed_q4_2022_and_q1_2023",
                source=f"{src}: employed in Q4 2022 and Q1 2023, also when on leave",
                inputs=(("employed_q4", q4), ("employed_q1", q1), ("on_leave", on_leave)),
                formula=f"employed in {campaign.employed_from}..{campaign.pu_at} and "
                f"{campaign.pu_at.year + 1}-01-01..{campaign.employed_to}",
                notes=("Leave of absence keeps the employment; it does not break this rule.",),
            ),
        )
    )

    # 5. No pension granted by 2023-03-31, no SAP, no FÅP in payment [S3][S25].
    by = campaign.pension_granted_by
    granted = history.pension_granted_on is not None and history.pension_granted_on <= by
    rules.append(
        RuleOutcome(
            "no_pension_granted",
            not granted and not history.sap_granted and not history.fap_in_payment,
            {"pension_granted_on": history.pension_granted_on, "granted_by": by,
             "sap_granted": history.sap_granted, "fap_in_payment": history.fap_in_payment},
            Explanation(
                rule="no_pension_granted",
                source=f"{src}; Valcentralen [S25]: excluded if a pension was approved by {by}, SAP granted "
                "or FÅP in payment",
                inputs=(("pension_granted_on", history.pension_granted_on), ("sap_granted", history.sap_granted),
                        ("fap_in_payment", history.fap_in_payment)),
                formula=f"pension granted on or before {by}: {granted}",
                notes=("Reading: pension_granted_on is the day the employer approved the pension.",),
            ),
        )
    )

    # 6. No sickness or activity compensation [S3][S25].
    window_start, window_end = campaign.salary_test_at, campaign.employed_to
    compensation = [
        lv for lv in history.leaves
        if lv.kind in ("sickness_compensation", "activity_compensation")
        and lv.start <= window_end and (lv.end is None or lv.end >= window_start)
    ]
    rules.append(
        RuleOutcome(
            "no_sickness_or_activity_compensation",
            not compensation,
            {"periods": tuple((lv.kind, lv.start, lv.end) for lv in compensation),
             "from": window_start, "to": window_end},
            Explanation(
                rule="no_sickness_or_activity_compensation",
                source=f"{src}; Valcentralen [S25]: people with sjuk- or aktivitetsersättning stay in KAP-KL",
                inputs=(("compensation_periods", len(compensation)),),
                formula=f"no sjuk-/aktivitetsersättning between {window_start} and {window_end}",
                notes=("Reading: any day of compensation in the window excludes.",),
            ),
        )
    )
    outcomes = tuple(rules)
    eligible = _accrual_passed(outcomes) and all(r.passed for r in outcomes if r.code not in ACCRUAL_RULES)
    return Eligibility(eligible=eligible, rules=outcomes, campaign=campaign.code)
