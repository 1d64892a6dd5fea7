"""Languages: Swedish by default, English complete. The choice follows the browser and can be
switched on every page; money and dates are formatted by Babel for the active locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import parse_pattern
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, format_datetime, get_locale, get_translations
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

babel = Babel()


def select_locale() -> Locale:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen not in languages:
        chosen = _best_language(request.headers.get("Accept-Language", ""), tuple(languages)) \
            or current_app.config["BABEL_DEFAULT_LOCALE"]
    return _locale(chosen)


@lru_cache(maxsize=256)
def _best_language(accept_language: str, languages: tuple[str, ...]) -> str | None:
    """The browser's preferred language among ours; browsers send the same few headers."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages)


@lru_cache(maxsize=8)
def _locale(code: str) -> Locale:
    return Locale.parse(code)  # Flask-Babel takes a Locale as it is, instead of parsing the code on every request


def request_locale():
    """The active locale, looked up once per request (Flask-Babel walks its contexts on every call,
    which dominated the rendering of figure-heavy pages)."""
    if not has_request_context():
        return get_locale()
    cached = g.get("_i18n_locale")
    if cached is None:
        cached = g._i18n_locale = get_locale()
    return cached


def request_translations():
    """The active catalog, looked up once per request (see ``request_locale``)."""
    if not has_request_context():
        return get_translations()
    cached = g.get("_i18n_translations")
    if cached is None:
        cached = g._i18n_translations = get_translations()
    return cached


def translate(message: str) -> str:
    """``gettext`` through the request's catalog, for the many short texts of a figure-heavy page."""
    return request_translations().ugettext(message)


@lru_cache(maxsize=32)
def _pattern(format: str):
    return parse_pattern(format)  # Babel parses a number pattern again on every call otherwise


def _format_decimal(value: Decimal, format: str) -> str:
    return _pattern(format).apply(value, request_locale())


def format_number(value: Decimal | int) -> str:
    return babel_format_decimal(value, locale=request_locale())


def format_money(amount: Decimal | int | None, decimals: int = 0) -> str:
    """`12 345 kr` in Swedish, `SEK 12,345` in English (Babel's number formatting, no floats)."""
    if amount is None:
        return "–"
    return _money(Decimal(amount), decimals, request_locale())


@lru_cache(maxsize=8192)
def _money(amount: Decimal, decimals: int, locale) -> str:
    """Kept per amount and locale: base amounts, limits and rates recur on every page."""
    quantum = Decimal(1).scaleb(-decimals)
    value = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    number = _pattern("#,##0" + ("." + "0" * decimals if decimals else "")).apply(value, locale)
    if locale.language == "sv":
        return f"{number}\u00a0kr"
    return f"SEK\u00a0{number}"


def format_percent(value: Decimal | None, decimals: int = 2) -> str:
    if value is None:
        return "–"
    number = _format_decimal(Decimal(value), "#,##0." + "0" * decimals)
    return f"{number}\u00a0%"


def format_day(value: date | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    return _long_date(value, str(request_locale()))


@lru_cache(maxsize=4096)
def _long_date(value: date, locale: str) -> str:
    """A day in the locale's long form; the same few dates (parameters' dates, the choice period)
    recur on every page."""
    return babel_format_date(value, "long", locale=locale)


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
    app.jinja_env.filters["number"] = format_number
    # Templates translate hundreds of strings per page: use the request's catalog directly.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def _language():
        return {"current_locale": str(request_locale())}
