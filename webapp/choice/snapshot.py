"""Reading the comparison snapshot stored with a choice, for the receipt page and the PDF."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from webapp.i18n import format_money, format_percent

# Assumption name → (label, kind); kinds say how to show the stored string.
ASSUMPTIONS = {
    "retirement_age": (_l("Retirement age"), "years"),
    "real_salary_growth": (_l("Real salary growth per year"), "rate"),
    "real_return": (_l("Real return per year"), "rate"),
    "payout_years": (_l("Years of payment"), "years"),
}


def _show(value, kind: str) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if kind == "rate":
        # Rates are stored as fractions (0.02); a value above 1 is already in percent.
        return format_percent(number * 100 if abs(number) <= 1 else number, 1)
    return str(number)


def snapshot_assumptions(snapshot: dict) -> list[tuple[str, str]]:
    assumptions = snapshot.get("assumptions")
    if not isinstance(assumptions, dict):
        return []
    rows = []
    for key, value in assumptions.items():
        label, kind = ASSUMPTIONS.get(key, (key, "text"))
        rows.append((str(label), _show(value, kind)))
    return rows


def snapshot_totals(snapshot: dict) -> list[tuple[str, str]] | None:
    """(KAP-KL, AKAP-KR, difference) monthly amounts, formatted; None when not calculated."""
    stay, move = snapshot.get("stay"), snapshot.get("move")
    if snapshot.get("unavailable") or not isinstance(stay, dict) or not isinstance(move, dict):
        return None
    rows = [(_l("Stay in KAP-KL"), stay.get("total_monthly")), (_l("Move to AKAP-KR"), move.get("total_monthly"))]
    if snapshot.get("difference_monthly") is not None:
        rows.append((_l("Difference (AKAP-KR minus KAP-KL)"), snapshot["difference_monthly"]))
    return [(str(label), format_money(Decimal(str(amount))) if amount is not None else "–") for label, amount in rows]
