"""The site during a planned closure: readable, every state change refused with 503 and a
Retry-After header, on a page that keeps what the user typed so nothing is lost.

Every page shows the banner of the closure to announce. The closures that have not ended are read
from the database at most every ``CLOSURE_REFRESH_SECONDS`` per process (``ClosureSchedule``), so
a page costs no query for them; a closure scheduled with ``flask closure-add`` shows on every
process within that time (at once in a process that scheduled one itself). Refusing a state
change always asks the database.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app, g, render_template, request
from sqlmodel import Session, select

from webapp import clock, db
from webapp.models import PlannedClosure
from webapp.services.closures import closure_in_force, scheduled_here

STATE_CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Logging in and out, choosing a language and the searches by personal identity number or name (a
# POST only to keep them out of URLs) change no data, so they stay open. A salary file sent during
# a closure is only received and queued; it is applied when the site reopens.
OPEN_DURING_CLOSURE = ("auth.", "testidp.", "public.switch_language", "employer.search", "register.find",
                       "register.files", "precalc.find", "liability.search")
SECRET_FIELDS = {"csrf_token"}


class ServiceClosed(Exception):
    """Raised by a service that changes data while a closure is in force (e.g. a signing callback)."""


@dataclass(frozen=True)
class Closure:
    """What a page shows of a planned closure (a copy of its row, kept between requests)."""

    id: int
    starts_at: datetime
    ends_at: datetime
    announce_hours: int
    message_sv: str
    message_en: str

    def announced_at(self, at: datetime) -> bool:
        return self.starts_at - timedelta(hours=self.announce_hours) <= at < self.ends_at


class ClosureSchedule:
    """The closures that have not ended, read at most every ``seconds`` (0: on every call)."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._lock = threading.Lock()
        # (monotonic time, as of, closures scheduled here, the closures)
        self._read: tuple[float, datetime, int, tuple[Closure, ...]] | None = None

    def to_announce(self, session: Callable[[], Session], at: datetime) -> Closure | None:
        """The closure in force, or the next one whose announcement period has begun."""
        return next((c for c in self._upcoming(session, at) if c.announced_at(at)), None)

    def _upcoming(self, session: Callable[[], Session], at: datetime) -> tuple[Closure, ...]:
        with self._lock:
            read = self._read
        # A clock set back (tests, demos) could need closures that had ended as of the last read.
        if (read is None or time.monotonic() - read[0] >= self._seconds or at < read[1]
                or read[2] != scheduled_here()):
            scheduled = scheduled_here()
            rows = session().exec(select(PlannedClosure).where(PlannedClosure.ends_at > at)
                                  .order_by(PlannedClosure.starts_at)).all()
            closures = tuple(Closure(r.id, r.starts_at, r.ends_at, r.announce_hours, r.message_sv, r.message_en)
                             for r in rows)
            read = (time.monotonic(), at, scheduled, closures)
            with self._lock:
                self._read = read
        return read[3]


def notice() -> Closure | None:
    """The closure the request's page announces (once per request)."""
    if "closure_notice" not in g:
        g.closure_notice = current_app.extensions["closure_schedule"].to_announce(db.session, clock.now())
    return g.closure_notice


def ensure_open() -> None:
    if closure_in_force(db.session(), clock.now()) is not None:
        raise ServiceClosed


def _closed_response():
    closure = closure_in_force(db.session(), clock.now())
    retry_after = max(1, math.ceil((closure.ends_at - clock.now()).total_seconds())) if closure else 60
    kept = [(key, value) for key, value in request.form.items(multi=True) if key not in SECRET_FIELDS]
    response = current_app.make_response(
        (render_template("errors/closed.html", closure=closure, kept=kept, resend_url=request.path), 503)
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


def init_app(app: Flask) -> None:
    app.extensions["closure_schedule"] = ClosureSchedule(float(app.config["CLOSURE_REFRESH_SECONDS"]))

    @app.before_request
    def _refuse_changes_while_closed():
        if request.method not in STATE_CHANGING_METHODS or request.endpoint is None:
            return None
        if request.endpoint.startswith(OPEN_DURING_CLOSURE):
            return None
        if closure_in_force(db.session(), clock.now()) is not None:
            return _closed_response()
        return None

    @app.errorhandler(ServiceClosed)
    def _closed(_error):
        return _closed_response()

    @app.context_processor
    def _announcement():
        if request.endpoint == "static":
            return {}
        return {"closure_notice": notice()}
