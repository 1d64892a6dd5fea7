"""Pages for everyone: the start page, the language switch, the accessibility statement, health."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import text

from webapp import db
from webapp.auth.session import current_person, staff_roles
from webapp.render_cache import kept_page
from webapp.safe_urls import safe_path

bp = Blueprint("public", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths are followed after a form, never another host."""
    return safe_path(target, fallback)


@bp.get("/")
@kept_page
def index():
    person = current_person()
    return render_template("public/index.html", person=person, is_staff=bool(person and staff_roles()))


@bp.post("/language")
def switch_language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("public.index")), code=303)


@bp.get("/tillganglighet")
@bp.get("/accessibility")
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/health")
def health():
    try:
        db.session().exec(text("SELECT 1"))
    except Exception:
        current_app.logger.exception("health check failed")
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
