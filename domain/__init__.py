"""The calculation domain of pensionsval: KAP-KL, AKAP-KR, the 2023 choice and the comparison.

Pure Python: no Flask, no database, no network. Inputs are the dataclasses in ``domain.model``;
every result carries a ``domain.explanation.Explanation``. See ``domain/README.md``.
"""

from domain.benefit import BenefitLevels, TimeFactor, benefit_levels, time_factor
from domain.campaign import ChoiceCampaign, choice_campaign

# Owned by domain-compare: contributions, the AKAP-KR IPR 2022 and the comparison.
from domain.comparison import CAVEATS as COMPARISON_CAVEATS
from domain.comparison import (
    Comparison,
    ComparisonAssumptions,
    Part,
    Side,
    akapkr_ipr_2022,
    akapkr_ipr_value,
    compare,
    compare_ages,
    compare_many,
    default_assumptions,
)
from domain.contributions import (
    akapkr_contributions,
    kapkl_dc_contribution,
    paid_as_salary,
    supplementary_contribution_rates,
    supplementary_contributions,
)
from domain.eligibility import RULE_CODES, Eligibility, RuleOutcome, eligibility_2023
from domain.entitlements import CAVEATS, Entitlements, calculation_point, dc_contribution_kapkl, entitlements
from domain.explanation import Explanation, ParameterUse
from domain.fap import early_withdrawal_factor, fap_at_age
from domain.figures import EntitlementFigures, entitlement_figures
from domain.liability import NOTES as LIABILITY_NOTES
from domain.liability import (
    BenefitRight,
    InvalidAssumption,
    LiabilityAssumptions,
    LiabilityChange,
    LiabilityPerson,
    LiabilityTotals,
    PersonReserve,
    ReserveBasis,
    ReservePart,
    change_assumptions,
    explain_change,
    person_reserve,
    reserve_bases,
    reserve_basis,
    total_liability,
    what_if_totals,
)
from domain.liability import default_assumptions as default_liability_assumptions
from domain.model import Employment, LeavePeriod, PersonHistory, SalaryYear
from domain.money import monthly, round_krona, round_ore
from domain.mortality import mortality_tables
from domain.parameters import MissingParameter, forhojt_pbb, ibb, parameter, pbb
from domain.pensionsunderlag import Pensionsunderlag, pensionsunderlag
from domain.pnr import InvalidPersonalIdentityNumber, PersonalIdentityNumber, parse_pnr
from domain.results import Contribution, Figure

__all__ = [
    "EntitlementFigures",
    "entitlement_figures",
    "RULE_CODES",
    "Eligibility",
    "RuleOutcome",
    "eligibility_2023",
    "CAVEATS",
    "Contribution",
    "Entitlements",
    "Figure",
    "calculation_point",
    "dc_contribution_kapkl",
    "early_withdrawal_factor",
    "entitlements",
    "fap_at_age",
    "BenefitLevels",
    "Pensionsunderlag",
    "TimeFactor",
    "benefit_levels",
    "pensionsunderlag",
    "time_factor",
    "ChoiceCampaign",
    "Employment",
    "Explanation",
    "InvalidPersonalIdentityNumber",
    "LeavePeriod",
    "MissingParameter",
    "ParameterUse",
    "PersonHistory",
    "PersonalIdentityNumber",
    "SalaryYear",
    "choice_campaign",
    "forhojt_pbb",
    "ibb",
    "monthly",
    "parameter",
    "parse_pnr",
    "pbb",
    "round_krona",
    "round_ore",
    # domain-compare
    "COMPARISON_CAVEATS",
    "Comparison",
    "ComparisonAssumptions",
    "Part",
    "Side",
    "akapkr_contributions",
    "akapkr_ipr_2022",
    "akapkr_ipr_value",
    "compare",
    "compare_ages",
    "compare_many",
    "default_assumptions",
    "kapkl_dc_contribution",
    "paid_as_salary",
    "supplementary_contribution_rates",
    "supplementary_contributions",
    # liability-domain (RIPS)
    "BenefitRight",
    "InvalidAssumption",
    "LIABILITY_NOTES",
    "LiabilityAssumptions",
    "LiabilityChange",
    "LiabilityPerson",
    "LiabilityTotals",
    "PersonReserve",
    "ReserveBasis",
    "ReservePart",
    "change_assumptions",
    "default_liability_assumptions",
    "explain_change",
    "mortality_tables",
    "person_reserve",
    "reserve_basis",
    "reserve_bases",
    "total_liability",
    "what_if_totals",
]
