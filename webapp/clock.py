"""The service's idea of "now". Tests and demos fix it with the app config keys
``FIXED_NOW`` (an aware datetime or ISO string) or ``FIXED_TODAY`` (a date or ISO string)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import current_app, has_app_context


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    if has_app_context():
        fixed = current_app.config.get("FIXED_NOW")
        if fixed:
            value = datetime.fromisoformat(fixed) if isinstance(fixed, str) else fixed
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        fixed_day = current_app.config.get("FIXED_TODAY")
        if fixed_day:
            day = date.fromisoformat(fixed_day) if isinstance(fixed_day, str) else fixed_day
            return datetime.combine(day, time(12, 0), tzinfo=UTC)
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Sweden."""
    if has_app_context():
        fixed_day = current_app.config.get("FIXED_TODAY")
        if fixed_day:
            return date.fromisoformat(fixed_day) if isinstance(fixed_day, str) else fixed_day
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo("Europe/Stockholm")).date()
