"""Translated labels for the codes of the retirement pages: milestones, statuses, basis figures,
start-date problems and audit actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MILESTONE_LABELS = {
    "fap_earliest": _l("Earliest defined-benefit pension"),
    "dc_earliest": _l("Earliest defined-contribution pension"),
    "normal_pension_age": _l("Pension age 65"),
    "fap_latest": _l("Latest start of the defined-benefit pension"),
    "las_age": _l("LAS age (employment protection ends)"),
}
MILESTONE_MEANINGS = {
    "fap_earliest": _l("May start the defined-benefit pension (FÅP) and livränta under KAP-KL, "
                       "reduced by 0.4 percent per month before 65."),
    "dc_earliest": _l("May start taking out the defined-contribution pension (AKAP-KR and KAP-KL)."),
    "normal_pension_age": _l("KAP-KL pension age: FÅP without reduction and pensionable time ends; "
                             "AKAP-KR supplementary contributions end."),
    "fap_latest": _l("The defined-benefit pension and livränta must start by the month after this "
                     "birthday month at the latest."),
    "las_age": _l("The employment protection of the Employment Protection Act (LAS) ends."),
}
STATUS_LABELS = {
    "submitted": _l("Waiting for decision"),
    "redated": _l("New start date, waiting for decision"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
LETTER_LABELS = {"employee": _l("To the employee"), "employer": _l("To the employer")}
FIGURE_LABELS = {
    "pensionsunderlag": _l("Pensionsunderlag"),
    "fap_at_65": _l("Defined-benefit pension (FÅP) at 65, per year"),
    "fap_at_start": _l("Defined-benefit pension (FÅP) from the start, per year"),
    "intjanad_livranta": _l("Intjänad livränta at 31 December 2006, per year"),
    "livranta": _l("Livränta earned so far, per year"),
    "ipr_1997": _l("Earned pension right (IPR) at 31 December 1997, per year"),
    "akapkr_ipr_2022": _l("Earned pension right (IPR) at 31 December 2022, per year"),
}
BASIS_CAVEATS = {
    "base_amounts_of_earlier_year": _l("The base amounts of the start year are not published yet; "
                                       "the latest published year is used."),
    "no_fap_livranta_instead": _l("No defined-benefit pension: the livränta earned so far is paid instead."),
    "estimate_unconfirmed_parameters": _l("Some figures use values our sources do not confirm."),
    "pu_short_history": _l("The pensionsunderlag uses fewer than five years (short history)."),
    "pu_no_complete_year": _l("No salary in the years the pensionsunderlag uses; a fallback reading was used."),
    "ipr_indexation_unconfirmed": _l("How the IPR 1997 is indexed is not confirmed."),
}
ACTION_LABELS = {
    "case_opened": _l("Case opened"),
    "pension_applied": _l("Pension application sent"),
    "pension_approved": _l("Pension approved"),
    "pension_rejected": _l("Pension application rejected"),
    "pension_redated": _l("Another start date registered"),
}
