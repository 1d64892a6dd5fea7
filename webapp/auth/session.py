"""Who is logged in: the session contract every blueprint relies on.

The session cookie holds only the person's database id and timestamps, never the personal
identity number. Sessions end after 15 minutes idle and 8 hours in all.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlmodel import select

from webapp import db
from webapp.auth import cookie_session
from webapp.csrf_tokens import forget_request_token
from webapp.models import EmployerRole, Organisation, Person
from webapp.person_versions import PersonVersions

SESSION_KEYS = ("person_id", "auth_time", "last_seen")
# The idle clock restarts at most this often: a request that leaves the session as it was sends
# no new cookie (signing one cost more than a kept page). A session therefore ends between 14½
# and 15 minutes after the last request, never later.
LAST_SEEN_STEP = 30


def _epoch() -> int:
    return int(time.time())


def log_in(person_id: int) -> None:
    """Start a fresh session for a person who has just authenticated (prevents fixation)."""
    lang = session.get("lang")
    session.clear()
    forget_request_token()
    now = _epoch()
    session.update(person_id=person_id, auth_time=now, last_seen=now)
    if lang:
        session["lang"] = lang
    session.permanent = False


def log_out() -> None:
    lang = session.get("lang")
    session.clear()
    forget_request_token()
    if lang:
        session["lang"] = lang


def current_person() -> Person | None:
    if "current_person" not in g:
        person_id = session.get("person_id")
        g.current_person = db.session().get(Person, person_id) if person_id else None
    return g.current_person


_DATA_VERSION = select(Person.data_version).where(Person.id == bindparam("person_id"))


def logged_in_version() -> tuple[int, int] | None:
    """(id, data version) of the logged-in person, or None when nobody is logged in or the person
    is gone: one small query, all a kept page needs (webapp/render_cache.py)."""
    if "logged_in_version" not in g:
        person_id = session.get("person_id")
        version = None
        if "current_person" in g:
            version = g.current_person.data_version if g.current_person is not None else None
        elif person_id:
            version = current_app.extensions["person_versions"].version(person_id, lambda: _read_version(person_id))
        g.logged_in_version = None if version is None else (person_id, version)
    return g.logged_in_version


def _read_version(person_id: int) -> int | None:
    with db.engine().connect() as connection:
        return connection.execute(_DATA_VERSION, {"person_id": person_id}).scalar()


def staff_roles() -> dict[int, set[str]]:
    """Organisation id → roles of the logged-in person (empty for employees without a staff role)."""
    if "staff_roles" not in g:
        person = current_person()
        roles: dict[int, set[str]] = {}
        if person is not None:
            rows = db.session().exec(select(EmployerRole).where(EmployerRole.person_id == person.id))
            for row in rows:
                roles.setdefault(row.organisation_id, set()).add(row.role)
        g.staff_roles = roles
    return g.staff_roles


def staff_organisation(org_id: int) -> Organisation:
    """The organisation behind an employer URL: 404 unless the logged-in person has a staff role
    there (so another organisation's pages do not even show that they exist), 404 if it is gone."""
    if org_id not in staff_roles():
        abort(404)
    organisation = db.session().get(Organisation, org_id)
    if organisation is None:
        abort(404)
    return organisation


def staff_organisations() -> list[Organisation]:
    """The organisations the logged-in person has a staff role in, by name (the employer pages'
    organisation choice)."""
    return list(db.session().exec(
        select(Organisation).where(Organisation.id.in_(list(staff_roles()))).order_by(Organisation.name)).all())


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if logged_in_version() is None:
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        return view(*args, **kwargs)

    wrapper.requires_login = True
    return wrapper


def staff_required(view):
    """Employer pages: a logged-in person with at least one employer role; others get 404."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_person() is None:
            return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
        if not staff_roles():
            abort(404)
        return view(*args, **kwargs)

    wrapper.requires_login = True
    wrapper.requires_staff = True
    return wrapper


def _enforce_timeouts():
    if "person_id" not in session:
        return None
    now = _epoch()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    if now - session.get("last_seen", 0) > idle or now - session.get("auth_time", 0) > absolute:
        log_out()
        flash(_("You were logged out because your session expired. Please log in again."), "info")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            return redirect(url_for("auth.login", next=request.full_path))
        return redirect(url_for("auth.login"))
    # Static files do not count as activity.
    if request.endpoint != "static" and now - session.get("last_seen", 0) >= LAST_SEEN_STEP:
        session["last_seen"] = now
    return None


def init_app(app: Flask) -> None:
    cookie_session.init_app(app)
    app.before_request(_enforce_timeouts)
    app.extensions["person_versions"] = PersonVersions(
        app.config["DATABASE_URL"] if app.config["PERSON_DATA_NOTICES"] else None)

    @app.after_request
    def _forget_own_changes(response):
        """A person's own change shows on their next page here at once, before its notice (the
        signing callback, which stores a choice, is a GET)."""
        changes = request.method not in ("GET", "HEAD", "OPTIONS") or (request.endpoint or "").startswith("auth.")
        if changes and session.get("person_id"):
            app.extensions["person_versions"].forget(session["person_id"])
        return response

    @app.context_processor
    def _who():
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
        return {"current_person": current_person, "staff_roles": staff_roles, "url_endpoints": endpoints}
