"""Reading the comparison snapshot stored with a choice, for the receipt page and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from webapp.explanations import rule_title
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
    known = [key for key in ASSUMPTIONS if key in assumptions]
    rows = []
    for key in known + sorted(key for key in assumptions if key not in ASSUMPTIONS):
        label, kind = ASSUMPTIONS.get(key, (key, "text"))
        rows.append((str(label), _show(assumptions[key], kind)))
    return rows


@dataclass(frozen=True)
class SnapshotTable:
    """The stored comparison as rows of formatted monthly amounts: (part, KAP-KL, AKAP-KR)."""

    rows: tuple[tuple[str, str, str], ...]
    stay_total: str
    move_total: str
    difference: str | None


def _money(value) -> str:
    if value is None:
        return "–"
    try:
        return format_money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def snapshot_table(snapshot: dict) -> SnapshotTable | None:
    """None when the comparison could not be calculated at signing."""
    stay, move = snapshot.get("stay"), snapshot.get("move")
    if snapshot.get("unavailable") or not isinstance(stay, dict) or not isinstance(move, dict):
        return None
    by_side = [{part.get("code"): part.get("monthly") for part in side.get("parts") or []} for side in (stay, move)]
    codes: dict[str, None] = {}
    for side in (stay, move):
        for part in side.get("parts") or []:
            codes.setdefault(part.get("code"), None)
    rows = tuple(
        (rule_title(code), _money(by_side[0].get(code)) if code in by_side[0] else "–",
         _money(by_side[1].get(code)) if code in by_side[1] else "–")
        for code in codes
    )
    difference = snapshot.get("difference_monthly")
    return SnapshotTable(rows, _money(stay.get("total_monthly")), _money(move.get("total_monthly")),
                         _money(difference) if difference is not None else None)
