"""The user's words for the domain's start-date problem codes."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from domain.pension_basis import start_window
from webapp.i18n import format_day


def start_problem(code: str, birth_date: date) -> str:
    first, last, _uses = start_window(birth_date)
    if code == "not_first_of_month":
        return _("A pension starts on the first day of a month, for example %(day)s.", day=format_day(first))
    if code == "before_earliest":
        return _("The pension can start on %(day)s at the earliest (the month of the 61st birthday).",
                 day=format_day(first))
    if code == "after_latest":
        return _("The pension must start on %(day)s at the latest (the month after the month of the 67th "
                 "birthday).", day=format_day(last))
    if code == "in_the_past":
        return _("The start date has passed. Choose the first day of this month or a later month.")
    return code


def parse_iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
