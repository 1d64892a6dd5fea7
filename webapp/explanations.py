"""Turn a domain ``Explanation`` into something a person can read, in the active language.

The domain names its rules, inputs and parameters with short codes (``pensionsunderlag``,
``inkomstbasbelopp``) and carries raw values (Decimal, date, tuples). This module maps the codes to
translated titles and formats the values with the locale's filters, so a template never shows a
Python repr. ``templates/_explanation.html`` renders the result as a "how was this calculated"
disclosure.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain import Explanation
from webapp.i18n import format_day, format_money, format_percent, translate
from webapp.i18n import format_number as format_decimal


def _l(message: str) -> str:
    """Marks a message for extraction (scripts/i18n.py extracts ``_l``); ``translate`` shows it in the
    request's language. Plain strings, not lazy ones: a page shows hundreds of them."""
    return message


# Rule codes of the domain → what the rule is called on the page. Unknown codes fall back to a
# readable form of the code itself (never a repr), so a new domain rule still renders.
RULE_TITLES = {
    "pensionsunderlag": _l("Pensionsunderlag: average of the five best of seven years"),
    "pensionsunderlag_year": _l("Salary of one year, indexed with the price base amount"),
    "indexed_salary": _l("Salary of one year, indexed with the price base amount"),
    "benefit_levels": _l("Benefit levels for your year of birth"),
    "time_factor": _l("Time factor: pensionable time up to 65"),
    "fap_at_65": _l("Defined-benefit pension at 65 with full time"),
    "fap": _l("Defined-benefit retirement pension (FÅP)"),
    "intjanad_livranta": _l("Intjänad livränta at 31 December 2006"),
    "livranta": _l("Livränta earned at the end of a calendar year"),
    "calendar_year_livranta": _l("Livränta earned at the end of a calendar year"),
    "ipr_1997": _l("Earned pension right (IPR) at 31 December 1997"),
    "ipr_1997_above_ceiling": _l("The part of IPR 1997 above the ceiling"),
    "kapkl_dc_contribution": _l("KAP-KL contribution to the defined-contribution pension"),
    "kapkl_dc": _l("KAP-KL defined-contribution pension"),
    "dc_contribution": _l("Contribution to the defined-contribution pension"),
    "akapkr_contribution": _l("AKAP-KR contribution per half-year"),
    "akapkr_contributions": _l("AKAP-KR contributions per half-year"),
    "akapkr_dc": _l("AKAP-KR defined-contribution pension"),
    "akapkr_ipr_2022": _l("Earned pension right (IPR) at 31 December 2022"),
    "supplementary": _l("Supplementary contributions (tilläggsavgifter)"),
    "supplementary_contributions": _l("Supplementary contributions (tilläggsavgifter)"),
    "supplementary_contribution_rates": _l("Supplementary contribution rates"),
    "compare": _l("Comparison of KAP-KL and AKAP-KR"),
    "comparison": _l("Comparison of KAP-KL and AKAP-KR"),
    "comparison_assumptions": _l("Assumptions of the comparison"),
    "early_withdrawal": _l("Reduction for withdrawal before 65"),
    "annuity": _l("Capital paid out as a monthly pension"),
    "eligibility_2023": _l("Who may choose in 2023"),
    "born_in_range": _l("Born 1958–1985"),
    "pensionsunderlag_above_7_5_ibb": _l("Pensionsunderlag above 7.5 income base amounts"),
    "salary_or_livranta": _l("Fixed salary above the limit or an earned livränta"),
    "employed_q4_2022_and_q1_2023": _l("Employed at the turn of 2022/2023"),
    "no_pension_granted": _l("No pension granted before 1 April 2023"),
    "no_sickness_or_activity_compensation": _l("No sickness or activity compensation"),
    "choice_campaign": _l("The choice period"),
    "fap_benefit_levels": _l("Benefit levels for your year of birth"),
    "pensionsunderlag_projected": _l("Pensionsunderlag at retirement, with the assumed salaries"),
    "fap_time_factor": _l("Time factor: pensionable time up to 65"),
    "fap_early_withdrawal": _l("Reduction for withdrawal before 65"),
    "intjanad_livranta_indexed": _l("Intjänad livränta indexed to today's level"),
    "akapkr_ipr_indexed": _l("IPR 2022 indexed with the income base amount"),
    "kapkl_entitlements": _l("Your KAP-KL entitlements"),
    # Milestones of the employer's monitoring (domain/milestones.py).
    "milestone_fap_earliest": _l("Earliest defined-benefit pension"),
    "milestone_dc_earliest": _l("Earliest defined-contribution pension"),
    "milestone_normal_pension_age": _l("Pension age 65"),
    "milestone_fap_latest": _l("Latest start of the defined-benefit pension"),
    "milestone_las_age": _l("LAS age (employment protection ends)"),
    "tillaggsavgift": _l("Supplementary contribution (tilläggsavgift)"),
    "tillaggsavgift_rates": _l("Supplementary contribution rates"),
    "invoice_line": _l("Amount on the invoice, with special payroll tax"),
    "invoice_correction": _l("Correction of an earlier invoice"),
    # the simulation and the survivor cover (domain/simulation.py, domain/survivors.py)
    "simulation": _l("Pension simulation"),
    "kapkl_adult": _l("KAP-KL pension to a surviving adult"),
    "kapkl_survivor_adult": _l("KAP-KL pension to a surviving adult"),
    "akapkr_adult": _l("AKAP-KR family cover to a surviving adult"),
    "akapkr_family_adult": _l("AKAP-KR family cover to a surviving adult"),
    "akapkr_child": _l("AKAP-KR family cover to each child"),
    "akapkr_family_child": _l("AKAP-KR family cover to each child"),
    # the pension liability by RIPS (domain/liability.py)
    "rips_pension_reserve": _l("Pension reserve by RIPS"),
    "rips_reserve_part": _l("Present value of one pension right"),
    "pension_in_payment_split": _l("Pension in payment split before and from 1998"),
}

# Parameter and input names → label. Unknown names are shown with underscores as spaces.
NAME_LABELS = {
    "inkomstbasbelopp": _l("Income base amount"),
    "ibb": _l("Income base amount"),
    "prisbasbelopp": _l("Price base amount"),
    "pbb": _l("Price base amount"),
    "forhojt_prisbasbelopp": _l("Increased price base amount"),
    "forhojt_pbb": _l("Increased price base amount"),
    "birth_year": _l("Year of birth"),
    "birth_date": _l("Date of birth"),
    "year": _l("Year"),
    "salary": _l("Pensionable salary"),
    "salaries": _l("Pensionable salaries"),
    "pensionsunderlag": _l("Pensionsunderlag"),
    "counted_years": _l("Years counted"),
    "lower": _l("Level up to 20 income base amounts"),
    "upper": _l("Level from 20 to 30 income base amounts"),
    "lower_level": _l("Level up to 20 income base amounts"),
    "upper_level": _l("Level from 20 to 30 income base amounts"),
    "months": _l("Months"),
    "factor": _l("Factor"),
    "time_factor": _l("Time factor"),
    "ipr_1997": _l("IPR 1997"),
    "ipr_1997_above_ceiling": _l("IPR 1997 above the ceiling"),
    "retirement_age": _l("Retirement age"),
    "real_salary_growth": _l("Real salary growth per year"),
    "real_return": _l("Real return per year"),
    "payout_years": _l("Payout years"),
    "rate": _l("Rate"),
    "agreement": _l("Agreement"),
    "amount": _l("Amount"),
    "fap_levels": _l("Benefit levels by year of birth"),
    "contribution_rates": _l("Contribution rates"),
    "tillaggsavgift": _l("Supplementary contribution rates"),
    "opens": _l("The choice period opens"),
    "closes": _l("The choice period closes"),
    "report_deadline": _l("Last day for employers to report"),
    "default_agreement": _l("Agreement if you do not choose"),
}

NAME_LABELS.update({
    "at": _l("Day of the calculation"),
    "calculation_year": _l("Calculation year"),
    "credited_months": _l("Credited months"),
    "employed_in_2006": _l("Employed in 2006"),
    "months_1998_2006": _l("Months employed 1998–2006"),
    "months_left_to_65": _l("Months left to 65"),
    "months_since_2007": _l("Months employed since 2007"),
    "pensionsunderlag_2006": _l("Pensionsunderlag 2006"),
    "pensionsunderlag_at_retirement": _l("Pensionsunderlag at retirement"),
    "previous": _l("Previous year's livränta"),
    "previous_indexed": _l("Previous year's livränta, indexed"),
    "salary_path": _l("Salary per year (known and assumed)"),
    "last_known_salary_year": _l("Last year with a known salary"),
    "retirement_year": _l("Year of retirement"),
    "ipr_1997_register": _l("IPR 1997 in the register"),
    "ipr_1997_above_ceiling_register": _l("IPR 1997 above the ceiling in the register"),
    "livranta_2022": _l("Livränta at 31 December 2022"),
    "ipr_2022": _l("IPR 2022"),
    "ipr_2022_indexed": _l("IPR 2022, indexed"),
    "half": _l("Half-year"),
    "half_year_salary": _l("Salary of the half-year"),
    "half_year_salary_before_65": _l("Salary of the half-year before 65"),
    "intjanad_livranta": _l("Intjänad livränta"),
    "intjanad_livranta_2006": _l("Intjänad livränta at the 2006 level"),
    "intjanad_livranta_indexed": _l("Intjänad livränta, indexed"),
    "livranta": _l("Livränta"),
    # The pension application's basis and the milestones (domain/pension_basis.py, milestones.py).
    "start": _l("Start date"),
    "months_before_65": _l("Months before 65"),
    "notice_months": _l("Months of notice"),
    "milestone_fap_earliest_age": _l("Earliest age for the defined-benefit pension"),
    "milestone_dc_earliest_age": _l("Earliest age for the defined-contribution pension"),
    "milestone_normal_pension_age": _l("Normal pension age"),
    "milestone_fap_latest_age": _l("Latest age for starting the defined-benefit pension"),
    "milestone_las_age": _l("LAS age"),
    "fap_at_65": _l("Defined-benefit pension at 65"),
    "contributions_by_years": _l("Contributions per year"),
    "kapkl_ipr_value_level": _l("Year whose value level the IPR is stated in"),
    "kapkl_pu_short_history_fallback": _l("Rule for a short salary history"),
    "kapkl_time_min_spell_months": _l("Shortest employment that counts (months)"),
    "earned": _l("Earned"),
    "employed_at": _l("Employed on"),
    "fap": _l("Defined-benefit retirement pension (FÅP)"),
    "kapkl_dc": _l("KAP-KL defined-contribution pension"),
    "akapkr_ipr_2022": _l("IPR 2022"),
    "basis": _l("What was tested"),
    "active": _l("Employed during the year"),
    "compensation_periods": _l("Periods with sickness or activity compensation"),
    "employed_q1": _l("Employed in the first quarter of 2023"),
    "employed_q4": _l("Employed in the last quarter of 2022"),
    "on_leave": _l("On leave"),
    "fap_in_payment": _l("Defined-benefit pension in payment"),
    "monthly_salary_tested": _l("Monthly salary tested"),
    "pension_granted_on": _l("Pension granted from"),
    "sap_granted": _l("Special agreement pension (SAP) granted"),
    "kapkl_dc_rate": _l("KAP-KL contribution rate"),
    "kapkl_dc_ceiling_ibb": _l("KAP-KL contribution ceiling (income base amounts)"),
    "kapkl_dc_min_age": _l("Age from which contributions are paid"),
    "akap_rate_below": _l("AKAP-KR rate up to the breakpoint"),
    "akap_rate_above": _l("AKAP-KR rate above the breakpoint"),
    "akap_half_year_breakpoint_ibb": _l("Breakpoint per half-year (income base amounts)"),
    "akap_half_year_ceiling_ibb": _l("Ceiling per half-year (income base amounts)"),
    "akap_small_amount_ibb": _l("Small-amount limit (share of an income base amount)"),
    "fap_level_lower": _l("Level up to 20 income base amounts"),
    "fap_level_upper": _l("Level from 20 to 30 income base amounts"),
    "kapkl_fap_threshold_ibb": _l("Lower limit for defined benefit (income base amounts)"),
    "kapkl_fap_band_ibb": _l("Limit between the benefit levels (income base amounts)"),
    "kapkl_pu_ceiling_ibb": _l("Ceiling of the pensionsunderlag (income base amounts)"),
    "kapkl_time_start_age": _l("Age from which pensionable time counts"),
    "kapkl_normal_retirement_age": _l("Normal retirement age"),
    "kapkl_full_time_months": _l("Months for full pensionable time"),
    "kapkl_earliest_withdrawal_age": _l("Earliest withdrawal age"),
    "kapkl_early_withdrawal_reduction_per_month": _l("Reduction per month before 65"),
    "kapkl_livranta_time_from": _l("Pensionable time for livränta counts from"),
    "kapkl_calendar_livranta_from": _l("Calendar-year livränta from"),
    "tillaggsavgift_rate_below": _l("Supplementary rate up to the breakpoint"),
    "tillaggsavgift_rate_above": _l("Supplementary rate above the breakpoint"),
    "tillaggsavgift_until_age": _l("Supplementary contributions paid until age"),
    "sarskild_loneskatt": _l("Special payroll tax on pension costs (särskild löneskatt)"),
    "period": _l("Invoice period"),
    "corrected_period": _l("Corrected period"),
    "kind": _l("Kind"),
    "contribution": _l("Contribution"),
    "paid_as_salary": _l("Paid as salary"),
    "invoiced_contribution": _l("Contribution invoiced"),
    "owed_contribution_now": _l("Contribution owed now"),
    "invoiced_payroll_tax": _l("Special payroll tax invoiced"),
    "owed_payroll_tax_now": _l("Special payroll tax owed now"),
    # the simulation and the survivor cover
    "withdrawal_share": _l("Share taken out"),
    "start_age": _l("Age the part starts"),
    "monthly_whole": _l("Monthly amount when the whole pension is taken out"),
    "dc_payout_years": _l("Payment period of the defined-contribution pension"),
    "dc_start_age": _l("Age the defined-contribution pension starts"),
    "annuity_years": _l("Years the capital is spread over"),
    "salary_year": _l("Year of the salary"),
    "kapkl_latest_withdrawal_age": _l("Latest age to start the defined-benefit pension"),
    "dc_earliest_withdrawal_age": _l("Earliest age for the defined-contribution pension"),
    "dc_min_payout_years": _l("Shortest payment period (years)"),
    "dc_max_payout_years": _l("Longest payment period offered (years)"),
    "simulation_lifelong_years": _l("Remaining life expectancy used for lifelong payment (years)"),
    "kapkl_withdrawal_shares": _l("Shares that can be taken out in KAP-KL"),
    "akapkr_withdrawal_shares": _l("Shares that can be taken out in AKAP-KR"),
    "kapkl_survivor_adult_rate_lower": _l("Survivor level up to 20 income base amounts"),
    "kapkl_survivor_adult_rate_upper": _l("Survivor level from 20 to 30 income base amounts"),
    "kapkl_survivor_adult_months": _l("Months the survivor pension is paid"),
    "survivor_cover_after_employment_months": _l("Months of cover after the employment ended"),
    "akapkr_family_adult_ibb": _l("Family cover to an adult (income base amounts a year)"),
    "akapkr_family_adult_extra_ibb": _l("Extra family cover to an adult (income base amounts a year)"),
    "akapkr_family_adult_extra_threshold_ibb": _l("Salary limit for the extra family cover (income base amounts)"),
    "akapkr_family_adult_months": _l("Months the family cover to an adult is paid"),
    "akapkr_family_child_ibb": _l("Family cover to each child (income base amounts a year)"),
    "akapkr_family_child_until_age": _l("Family cover to a child is paid until age"),
    # the pension liability by RIPS
    "yearly_amount": _l("Yearly amount"),
    "age_months": _l("Age in months at the calculation date"),
    "start_month": _l("Payments start at age (months)"),
    "category": _l("Category"),
    "sex": _l("Sex (from the personal identity number)"),
    "rips_discount_rate": _l("Discount rate (real)"),
    "rips_mortality_table": _l("Mortality table"),
    "mortality_table_source": _l("Mortality table"),
    "rips_payment_age": _l("Age at which payments start"),
    "pension_in_payment": _l("Pension in payment"),
})

# How a value is formatted follows its name: counts of base amounts, ages and months are plain
# numbers; rates are percentages; amounts of money are kronor.
PLAIN_NAMES = {"kapkl_ipr_value_level", "half", "credited_months"}
PLAIN_SUFFIXES = ("_ibb", "_pbb", "_age", "_months", "_years", "_year", "age", "months", "years", "year")
BASE_AMOUNTS = {"ibb", "pbb", "forhojt_pbb", "inkomstbasbelopp", "prisbasbelopp", "forhojt_prisbasbelopp"}
RATE_HINTS = ("loneskatt", "rate", "level", "lower", "upper", "factor", "growth", "return", "reduction", "percent")
MONEY_HINTS = ("salary", "amount", "ipr", "livranta", "pensionsunderlag", "fap", "contribution",
               "capital", "limit", "threshold", "yearly", "monthly", "total", "difference", "payroll_tax")


@dataclass(frozen=True)
class ParameterView:
    label: str
    value: str
    applies_from: date
    source: str
    unconfirmed: bool


@dataclass(frozen=True)
class ExplanationView:
    title: str
    source: str
    inputs: tuple[tuple[str, str], ...]
    parameters: tuple[ParameterView, ...]
    formula: str
    notes: tuple[str, ...]
    parts: tuple[ExplanationView, ...]
    unconfirmed: bool


def known_rule_title(code: str) -> str | None:
    """The translated title of a rule code, or None when the code is not mapped."""
    title = RULE_TITLES.get(code)
    for prefix in ("comparison_", "simulation_"):
        if title is None and code.startswith(prefix):
            # the comparison's or the simulation's version of a part, e.g. "comparison_fap"
            title = RULE_TITLES.get(code.removeprefix(prefix))
    return translate(title) if title is not None else None


def rule_title(code: str) -> str:
    return known_rule_title(code) or humanise(code)


def known_name_label(name: str) -> str | None:
    """The translated label of an input or parameter name, or None when it is not mapped."""
    if name.endswith("]") and "[" in name:
        # e.g. "fap_level_lower[1965]": one row of a table parameter
        base, key = name[:-1].split("[", 1)
        label = known_name_label(base)
        return f"{label} ({key})" if label else None
    base, _sep, year = name.rpartition("_")
    if base and year.isdigit() and len(year) == 4 and name not in NAME_LABELS:
        # e.g. "salary_2014": the input of one year
        label = known_name_label(base)
        return f"{label} {year}" if label else None
    label = NAME_LABELS.get(name)
    if label is None and name.startswith("comparison_"):
        label = NAME_LABELS.get(name.removeprefix("comparison_"))
    if label is None and "]." in name:
        # e.g. "choice_campaign[2023].opens": the campaign's own field
        label = NAME_LABELS.get(name.rsplit(".", 1)[1])
    return translate(label) if label is not None else None


def name_label(name: str) -> str:
    return known_name_label(name) or humanise(name)


def humanise(code: str) -> str:
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def format_value(name: str, value: object) -> str:
    """A value for display, guided by its name (rates as percent, amounts as money)."""
    lowered = name.lower().split("[", 1)[0]
    if value is None:
        return "–"
    if isinstance(value, bool):
        return translate(_l("Yes")) if value else translate(_l("No"))
    if isinstance(value, date):
        return format_day(value)
    if isinstance(value, int):
        # Years and ages read without a thousands separator.
        return str(value) if abs(value) < 10000 else format_decimal(value)
    if isinstance(value, Decimal | float):
        number = Decimal(str(value))
        if lowered.endswith(PLAIN_SUFFIXES) or lowered in PLAIN_NAMES:
            if number == number.to_integral_value() and 1900 <= number <= 2200:
                return str(int(number))  # a year
            return format_decimal(number)
        if any(hint in lowered for hint in RATE_HINTS) and abs(number) < 1:
            return format_percent(number * 100)
        if lowered in BASE_AMOUNTS or any(hint in lowered for hint in MONEY_HINTS):
            return format_money(number)
        return format_decimal(number)
    if isinstance(value, str):
        if lowered.endswith(("_rate", "rate_below", "rate_above")) or lowered in BASE_AMOUNTS:
            try:
                return format_value(name, Decimal(value))
            except ArithmeticError:
                return value
        return value
    if isinstance(value, dict):
        return "; ".join(f"{format_key(k)}: {format_value(name, v)}" for k, v in value.items())
    if isinstance(value, list | tuple) and value and all(_is_run(v) for v in value):
        # runs of years with the same amount: (first year, last year, amount of each year)
        return "; ".join(
            f"{first}: {format_value(name, amount)}" if first == last
            else f"{first}–{last}: {format_value(name, amount)}"
            for first, last, amount in value
        )
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(format_value(name, v) for v in value)
    if dataclasses.is_dataclass(value):
        fields = [f for f in dataclasses.fields(value) if f.name != "explanation"]
        return "; ".join(f"{name_label(f.name)}: {format_value(f.name, getattr(value, f.name))}" for f in fields)
    return humanise(type(value).__name__)


def _is_run(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], int)
            and isinstance(value[1], int) and isinstance(value[2], Decimal))


def format_key(key: object) -> str:
    if isinstance(key, int):
        return str(key)
    if isinstance(key, date):
        return format_day(key)
    return name_label(str(key))


def explanation_view(explanation: Explanation, depth: int = 3) -> ExplanationView:
    """The display form of an explanation and (up to ``depth`` levels of) the parts it builds on."""
    return ExplanationView(
        title=rule_title(explanation.rule),
        source=explanation.source,
        inputs=tuple((name_label(str(name)), format_value(str(name), value)) for name, value in explanation.inputs),
        parameters=tuple(
            ParameterView(
                label=name_label(p.name),
                value=format_value(p.name, p.value),
                applies_from=p.applies_from,
                source=p.source,
                unconfirmed=p.unconfirmed,
            )
            for p in explanation.parameters
        ),
        formula=explanation.formula,
        notes=tuple(explanation.notes),
        parts=tuple(explanation_view(part, depth - 1) for part in explanation.parts) if depth > 1 else (),
        unconfirmed=explanation.unconfirmed,
    )



# The 2023 choice's eligibility rules in plain language: code → (when met, when not met).
ELIGIBILITY_TEXTS = {
    "born_in_range": (
        _l("You were born between 1958 and 1985."),
        _l("You were not born between 1958 and 1985, so the choice is not open to you."),
    ),
    "pensionsunderlag_above_7_5_ibb": (
        _l("Your pensionsunderlag at the end of 2022 was above 7.5 income base amounts."),
        _l("Your pensionsunderlag at the end of 2022 was not above 7.5 income base amounts."),
    ),
    "salary_or_livranta": (
        _l("On 31 December 2022 your fixed monthly salary was above 7.5 income base amounts a year (SEK 44,375 a month), or you had earned a livränta."),
        _l("On 31 December 2022 your fixed monthly salary was not above 7.5 income base amounts a year (SEK 44,375 a month), and you had not earned a livränta."),
    ),
    "employed_q4_2022_and_q1_2023": (
        _l("You were employed by a municipality or region during the last quarter of 2022 and during the first quarter of 2023 (leave of absence counts)."),
        _l("You were not employed by a municipality or region both during the last quarter of 2022 and during the first quarter of 2023."),
    ),
    "no_pension_granted": (
        _l("No pension had been approved for you by 31 March 2023, and you had no special agreement pension (SAP) or defined-benefit pension in payment."),
        _l("A pension had been approved for you by 31 March 2023, or you had a special agreement pension (SAP) or a defined-benefit pension in payment."),
    ),
    "no_sickness_or_activity_compensation": (
        _l("You did not have sickness or activity compensation between 31 December 2022 and 31 March 2023."),
        _l("You had sickness or activity compensation between 31 December 2022 and 31 March 2023."),
    ),
}

# Caveats the domain may attach to results, by code; anything else is shown as the domain wrote it.
CAVEAT_TEXTS = {
    "estimate": _l("This is an estimate built on assumptions, not a decision about your pension."),
    "unconfirmed_parameters": _l("Some values used are not confirmed by our sources."),
    "tillaggsavgift_unconfirmed": _l("The table of supplementary contributions for those who chose in 2023 is not confirmed by our sources."),
    "no_deferral_increase": _l("No increase is included for taking out the defined-benefit pension after 65."),
    "ipr_2022_early_withdrawal": _l("For the earned pension right of 2022 in AKAP-KR we assume the same reduction for early withdrawal as in KAP-KL."),
    "retirement_before_today": _l("The retirement age lies before today, so the figures are hypothetical."),
    "estimate_unconfirmed_parameters": _l("Some figures use values that our sources do not confirm. They are marked as preliminary."),
    "pu_short_history": _l("Your pensionsunderlag is based on fewer than five years because your salary history is short."),
    "pu_no_complete_year": _l("There is no salary in the years your pensionsunderlag is based on, so a simplified reading was used."),
    "dc_before_2006_not_computed": _l("Contributions before 2006 (under the earlier PFA agreements) are not shown."),
    "dc_2006_2009_rate_unconfirmed": _l("The KAP-KL contribution rate for 2006–2009 is not confirmed by our sources."),
    "ipr_indexation_unconfirmed": _l("How the IPR from 1997 is indexed is not confirmed by our sources."),
    "short_history": _l("Your salary history is shorter than five years, so the average covers the years there are."),
    # the simulation (domain.simulation.CAVEATS)
    "todays_money": _l("All amounts are in today's money. In reality the defined-benefit parts are indexed with prices and the defined-contribution parts follow the return the insurer gives."),
    "lifelong_estimate": _l("Payment for life is estimated as your capital spread over the remaining life expectancy at the start; the insurer's own calculation will differ."),
    "partial_withdrawal_reading": _l("The share you take out is applied to every part of the pension. The rest can be taken out later."),
    "dc_starts_later": _l("The defined-contribution pension cannot be paid before the age the rules allow (62 from 2026), so it starts later than the rest."),
    "latest_age_unconfirmed": _l("The latest age to start the defined-benefit pension (67) is not confirmed by our sources; it may follow the LAS age."),
    "akapkl_before_2023_as_kapkl": _l("Contributions before 2023 are counted at the KAP-KL rate; the higher AKAP-KL rate above 7.5 income base amounts is not included."),
    # the survivor cover (domain.survivors)
    "survivor_pu_reading": _l("The pensionsunderlag at the end of last year is used in place of the one at the time of death."),
    "indexed_with_pbb": _l("The amounts are at this year's level; payments are indexed with the price base amount."),
    "not_covered_no_employment": _l("You have no employment now or in the last six months, so the agreement's survivor cover does not apply."),
    "kapkl_child_pension": _l("KAP-KL pension to children: the levels are not in our sources."),
    "kompletterande_ankepension": _l("KAP-KL supplementary widow's pension (kompletterande änkepension)."),
    "tgl": _l("Group life insurance (TGL-KL): a lump sum from a separate insurance."),
    "repayment_cover": _l("Repayment cover (återbetalningsskydd) on your defined-contribution capital: depends on your insurer."),
    "public_survivor_pension": _l("Survivor pensions from the public pension system (Pensionsmyndigheten)."),
}

# The caveats above that speak to the employee ("your pension"), as staff read them.
STAFF_CAVEAT_TEXTS = {
    "estimate": _l("This is an estimate built on assumptions, not a decision about the employee's pension."),
    "pu_short_history": _l("The employee's pensionsunderlag is based on fewer than five years because the salary history is short."),
    "short_history": _l("The employee's salary history is shorter than five years, so the average covers the years there are."),
    "lifelong_estimate": _l("Payment for life is estimated as the employee's capital spread over the remaining life expectancy at the start; the insurer's own calculation will differ."),
    "partial_withdrawal_reading": _l("The share taken out is applied to every part of the pension. The rest can be taken out later."),
    "not_covered_no_employment": _l("The employee has no employment now or in the last six months, so the agreement's survivor cover does not apply."),
    "repayment_cover": _l("Repayment cover (återbetalningsskydd) on the employee's defined-contribution capital: depends on the insurer."),
}


def accrual_rules_combine_with_any() -> bool:
    """Whether either of the two accrual tests of the 2023 choice suffices (domain/eligibility.py)."""
    from domain import eligibility

    return eligibility.ACCRUAL_COMBINATION == "any"


def eligibility_text(code: str, passed: bool) -> str:
    texts = ELIGIBILITY_TEXTS.get(code)
    if texts is None:
        return rule_title(code)
    return translate(texts[0] if passed else texts[1])


def caveat_text(caveat: str, audience: str = "employee") -> str:
    """The caveat's text; ``audience="staff"`` speaks about the employee rather than to them (the
    employer's pre-calculation pages and the letter to the employer)."""
    text = (STAFF_CAVEAT_TEXTS.get(caveat) if audience == "staff" else None) or CAVEAT_TEXTS.get(caveat)
    return translate(text) if text is not None else str(caveat)


def init_app(app) -> None:
    from webapp.explanation_html import explanation_disclosure

    app.jinja_env.globals["explanation_disclosure"] = explanation_disclosure
    app.jinja_env.globals["rule_title"] = rule_title
    app.jinja_env.globals["eligibility_text"] = eligibility_text
    app.jinja_env.globals["caveat_text"] = caveat_text
    app.jinja_env.globals["accrual_rules_combine_with_any"] = accrual_rules_combine_with_any
