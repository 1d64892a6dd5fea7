"""Log in and log out with OpenID Connect, and the callback shared by login and signing."""

from __future__ import annotations

import requests
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from sqlalchemy import exists
from sqlmodel import select

from webapp import clock, db
from webapp.auth import oidc, signing
from webapp.auth.pnr import normalise_pnr
from webapp.auth.session import log_in, log_out
from webapp.logging_setup import mask_pnr
from webapp.models import EmployerRole, Employment, Person
from webapp.safe_urls import safe_path

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, fallback: str = "/") -> str:
    """A safe path on this site (webapp/safe_urls.py), and never back into a login or its callback."""
    path = safe_path(target, fallback)
    return fallback if path.startswith("/login") else path


@bp.get("/login")
def login():
    return render_template("auth/login.html", next=safe_next(request.args.get("next"), ""))


@bp.get("/login/start")
def start():
    try:
        url = oidc.start("login", next=safe_next(request.args.get("next")))
    except (requests.RequestException, ValueError, RuntimeError, oidc.LoginRefused) as error:
        return refused(oidc.LoginRefused(f"provider_unavailable:{type(error).__name__}", 502))
    return redirect(url, code=302)


@bp.get("/login/callback")
def callback():
    try:
        verified = oidc.complete()
    except oidc.LoginRefused as error:
        return refused(error)
    pending = verified.pending
    try:
        pnr = _pnr_from(verified.claims, pending["purpose"])
        if pending["purpose"] == "sign":
            return signing.complete_signing(verified, pnr)
    except oidc.LoginRefused as error:
        error.back = pending.get("back", pending.get("next"))
        return refused(error)
    return _log_in_person(pnr, pending.get("next"))


def _pnr_from(claims: dict, kind: str) -> str:
    raw = claims.get(current_app.config["OIDC_PNR_CLAIM"])
    if not raw:
        raise oidc.LoginRefused("missing_pnr_claim", 401, kind)
    pnr = normalise_pnr(str(raw), clock.today())
    if pnr is None:
        raise oidc.LoginRefused("invalid_pnr_claim", 401, kind)
    return pnr


def _log_in_person(pnr: str, next_url: str | None):
    session = db.session()
    person = session.exec(select(Person).where(Person.pnr == pnr)).first()
    known = person is not None and session.exec(
        select(exists().where(Employment.person_id == person.id)
               | exists().where(EmployerRole.person_id == person.id))
    ).one()
    if not known:
        log_out()  # whoever was logged in before in this browser is not any more
        current_app.logger.info("login: verified person without employment", extra={"event": "login_not_registered"})
        return redirect(url_for("auth.not_registered"), code=303)
    log_in(person.id)
    current_app.logger.info("login: person %s logged in", person.id, extra={"event": "login"})
    return redirect(safe_next(next_url), code=303)


@bp.get("/login/not-registered")
def not_registered():
    return render_template("auth/not_registered.html")


def refused(error: oidc.LoginRefused):
    current_app.logger.warning(
        "%s refused: %s", error.kind, mask_pnr(error.reason), extra={"event": f"{error.kind}_refused"}
    )
    if error.kind == "sign":
        back = error.back or "/"
    else:
        back = url_for("auth.login", next=error.back) if error.back else url_for("auth.login")
    reason = error.reason.split(":", 1)[0]
    return render_template("auth/refused.html", reason=reason, kind=error.kind, back=back), error.status


@bp.post("/logout")
def logout():
    end_session = oidc.end_session_url(url_for("public.index", _external=True))
    log_out()
    return redirect(end_session or url_for("public.index"), code=303)
