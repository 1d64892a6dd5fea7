"""What the employer pages show for the codes of the data and the domain: translated labels for
statuses, audit actions, eligibility rules and comparison parts, and the stored comparison as a table."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from webapp.i18n import format_money

STATUS_LABELS = {
    "received": _l("Received"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "reported": _l("Reported"),
    "pending": _l("Waiting for decision"),
    "granted": _l("Granted"),
    "refused": _l("Refused"),
}
ACTION_LABELS = {
    "case_opened": _l("Case opened"),
    "choice_approved": _l("Choice approved"),
    "choice_rejected": _l("Choice rejected"),
    "choice_reported": _l("Choice reported to the administrator"),
    "late_request_granted": _l("Late-choice request granted"),
    "late_request_refused": _l("Late-choice request refused"),
    "choice.signed": _l("Choice signed"),
    "late_choice.requested": _l("Late-choice request sent"),
}
RULE_LABELS = {
    "born_in_range": _l("Born 1958–1985"),
    "pensionsunderlag_above_7_5_ibb": _l("Pensionsunderlag above 7.5 income base amounts"),
    "salary_or_livranta": _l("Salary above the limit, or earned livränta"),
    "employed_q4_2022_and_q1_2023": _l("Employed in the last quarter of 2022 and the first of 2023"),
    "no_pension_granted": _l("No pension granted"),
    "no_sickness_or_activity_compensation": _l("No sickness or activity compensation"),
}
SORT_LABELS = {
    "received": _l("Received on"),
    "reference": _l("Reference"),
    "name": _l("Name"),
    "pnr": _l("Personal identity number"),
    "organisation": _l("Employer"),
    "agreement": _l("Agreement chosen"),
    "late": _l("Late"),
    "status": _l("Status"),
}


# Part codes of domain.Comparison (same wording as the employee's receipt).
PART_LABELS = {
    "fap": _l("Defined-benefit retirement pension (FÅP)"),
    "intjanad_livranta": _l("Intjänad livränta at 31 December 2006"),
    "livranta": _l("Livränta earned at the end of a calendar year"),
    "ipr_1997": _l("Earned pension right (IPR) at 31 December 1997"),
    "kapkl_dc": _l("KAP-KL defined-contribution pension"),
    "akapkr_dc": _l("AKAP-KR defined-contribution pension"),
    "akapkr_ipr_2022": _l("Earned pension right (IPR) at 31 December 2022"),
    "supplementary": _l("Supplementary contributions (tilläggsavgifter)"),
}


def snapshot_table(snapshot) -> dict | None:
    """The stored ``Comparison.to_snapshot()`` as table rows of monthly amounts; None when the
    snapshot has another shape (the page then lists it as stored)."""
    if not isinstance(snapshot, dict):
        return None
    stay, move = snapshot.get("stay"), snapshot.get("move")
    if not isinstance(stay, dict) or not isinstance(move, dict):
        return None

    def money(value):
        try:
            return format_money(Decimal(str(value))) if value is not None else "–"
        except InvalidOperation:
            return "–"

    sides = [{part.get("code"): part.get("monthly") for part in side.get("parts") or [] if isinstance(part, dict)}
             for side in (stay, move)]
    codes = list(dict.fromkeys([*sides[0], *sides[1]]))
    return {
        "rows": [(PART_LABELS.get(code, code), money(sides[0].get(code)) if code in sides[0] else "–",
                  money(sides[1].get(code)) if code in sides[1] else "–") for code in codes],
        "stay_total": money(stay.get("total_monthly")),
        "move_total": money(move.get("total_monthly")),
        "difference": money(snapshot.get("difference_monthly")) if snapshot.get("difference_monthly") else None,
    }
