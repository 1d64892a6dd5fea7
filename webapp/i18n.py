"""Languages: Swedish by default, English complete. The choice follows the browser and can be
switched on every page; money and dates are formatted by Babel for the active locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask, current_app, request, session
from flask_babel import Babel, format_date, format_datetime, get_locale
from flask_babel import format_decimal as babel_format_decimal

babel = Babel()


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def format_money(amount: Decimal | int | None, decimals: int = 0) -> str:
    """`12 345 kr` in Swedish, `SEK 12,345` in English (Babel's number formatting, no floats)."""
    if amount is None:
        return "–"
    quantum = Decimal(1).scaleb(-decimals)
    value = Decimal(amount).quantize(quantum, rounding=ROUND_HALF_UP)
    number = babel_format_decimal(value, format="#,##0" + ("." + "0" * decimals if decimals else ""))
    if str(get_locale()) == "sv":
        return f"{number}\u00a0kr"
    return f"SEK\u00a0{number}"


def format_percent(value: Decimal | None, decimals: int = 2) -> str:
    if value is None:
        return "–"
    number = babel_format_decimal(Decimal(value), format="#,##0." + "0" * decimals)
    return f"{number}\u00a0%"


def format_day(value: date | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    return format_date(value, "long")


def format_moment(value: datetime | None) -> str:
    """A point in time in Swedish time, e.g. `25 november 2026 22:00`."""
    if value is None:
        return "–"
    return format_datetime(value, "d MMMM y HH:mm")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["number"] = lambda value: babel_format_decimal(value)

    @app.context_processor
    def _language():
        return {"current_locale": str(get_locale())}
