"""The calculation domain of pensionsval: KAP-KL, AKAP-KR, the 2023 choice and the comparison.

Pure Python: no Flask, no database, no network. Inputs are the dataclasses in ``domain.model``;
every result carries a ``domain.explanation.Explanation``. See ``domain/README.md``.
"""

from domain.benefit import BenefitLevels, TimeFactor, benefit_levels, time_factor
from domain.campaign import ChoiceCampaign, choice_campaign
from domain.eligibility import RULE_CODES, Eligibility, RuleOutcome, eligibility_2023
from domain.entitlements import CAVEATS, Entitlements, calculation_point, dc_contribution_kapkl, entitlements
from domain.explanation import Explanation, ParameterUse
from domain.fap import early_withdrawal_factor, fap_at_age
from domain.figures import EntitlementFigures, entitlement_figures
from domain.model import Employment, LeavePeriod, PersonHistory, SalaryYear
from domain.money import monthly, round_krona, round_ore
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
]
