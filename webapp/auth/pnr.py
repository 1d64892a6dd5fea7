"""Personal identity numbers as they come from an identity provider or a form: the 12-digit form
or None. The rules (SKV 704 and 707) live in ``domain.pnr``; this adapter only maps its error."""

from __future__ import annotations

from datetime import date

from domain import InvalidPersonalIdentityNumber, parse_pnr


def normalise_pnr(value: str, today: date) -> str | None:
    """The 12-digit form (century by SKV 704 §3), or None when the value is not a valid number."""
    try:
        return parse_pnr(value, today).digits
    except InvalidPersonalIdentityNumber:
        return None


def is_valid_pnr(value: str) -> bool:
    """A 12-digit number (YYYYMMDDNNNC) with a real date and a correct check digit."""
    return len(value) == 12 and value.isdigit() and normalise_pnr(value, date.max) == value
