"""What the liability pages call the domain's codes, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "active": _l("Active employees"),
    "paid_up": _l("Former employees with paid-up rights"),
    "pensioner": _l("Pensioners"),
}

SEXES = {"F": _l("Woman"), "M": _l("Man"), "unknown": _l("Unknown (a mix of women and men)")}

BENEFITS = {
    "ipr_1997": _l("Earned pension right (IPR) at 31 December 1997"),
    "intjanad_livranta": _l("Intjänad livränta at 31 December 2006"),
    "livranta": _l("Livränta earned from 2007"),
    "akapkr_ipr_2022": _l("AKAP-KR: earned pension right (IPR) at 31 December 2022"),
    "pension_in_payment_before_1998": _l("Pension in payment, earned before 1998"),
    "pension_in_payment_from_1998": _l("Pension in payment, earned from 1998"),
}

# domain.liability.NOTES by code.
NOTES = {
    "sap_not_included": _l("A special agreement pension (SAP) is granted, but the register holds no amount: "
                           "it is not included."),
    "mortality_unconfirmed": _l("The mortality table is a published table used in place of the sector's own "
                                "assumption (RIPS 21), which our sources do not confirm."),
    "akapkr_ipr_indexation_unconfirmed": _l("How the AKAP-KR pension right of 2022 is indexed is not confirmed "
                                            "by our sources."),
    "pension_split_by_ipr": _l("The pension in payment is split: the IPR 1997 part counts as earned before 1998, "
                               "the rest as earned from 1998."),
    "pension_amount_unknown": _l("The register holds no amount of the pension in payment: the earned rights are "
                                 "valued as being paid out."),
}

# domain.liability_change.CHANGE_STEPS: the steps of the roll-forward from one calculation to the next.
CHANGE_STEPS = {
    "leavers": _l("Persons who have left the liability"),
    "interest": _l("Interest: the discount unwinds by one period"),
    "payments": _l("Expected payments during the period"),
    "ageing": _l("Ageing and mortality"),
    "indexation": _l("Indexation of earned rights"),
    "new_earnings": _l("New earnings and other changes of the rights"),
    "new_persons": _l("New persons in the liability"),
    "assumptions": _l("Changed assumptions"),
}
CHANGE_NOTES = {
    "indexation_unavailable": _l("The base amounts of one of the years are missing, so indexation is included in "
                                 "new earnings."),
}

# domain.liability.InvalidAssumption: (field, code) -> message; (field, None) is the field's fallback.
ASSUMPTION_ERRORS = {
    ("discount_rate", "below_floor"): _l("The discount rate cannot be below 0 percent (RIPS)."),
    ("discount_rate", "above_maximum"): _l("The discount rate can be at most 10 percent."),
    ("discount_rate", None): _l("Enter a discount rate between 0 and 10 percent, for example 1,5."),
    ("mortality", None): _l("Choose one of the mortality tables in the list."),
    ("payment_age", "out_of_range"): _l("The payment age must be between 61 and 67."),
    ("payment_age", None): _l("Enter a whole number of years between 61 and 67."),
}



def assumption_error(field: str, code: str) -> str:
    message = ASSUMPTION_ERRORS.get((field, code)) or ASSUMPTION_ERRORS.get((field, None))
    return str(message) if message is not None else code
