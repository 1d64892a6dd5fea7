"""The site during a planned closure: readable, every state change refused with 503 and a
Retry-After header, on a page that keeps what the user typed so nothing is lost."""

from __future__ import annotations

import math

from flask import Flask, current_app, g, render_template, request

from webapp import clock, db
from webapp.services.closures import closure_in_force, closure_to_announce

STATE_CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Logging in and out, choosing a language and the searches by personal identity number or name (a
# POST only to keep them out of URLs) change no data, so they stay open. A salary file sent during
# a closure is only received and queued; it is applied when the site reopens.
OPEN_DURING_CLOSURE = ("auth.", "testidp.", "public.switch_language", "employer.search", "register.find",
                       "register.files", "precalc.find", "liability.search")
SECRET_FIELDS = {"csrf_token"}


class ServiceClosed(Exception):
    """Raised by a service that changes data while a closure is in force (e.g. a signing callback)."""


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
        if "closure_notice" not in g:
            g.closure_notice = closure_to_announce(db.session(), clock.now())
        return {"closure_notice": g.closure_notice, "closure_in_force": closure_in_force}
