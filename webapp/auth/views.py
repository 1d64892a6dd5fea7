"""Log in and log out. (The OpenID Connect flow is added on top of this blueprint.)"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from webapp.auth.session import log_out

bp = Blueprint("auth", __name__)


@bp.get("/login")
def login():
    return render_template("auth/login.html")


@bp.post("/logout")
def logout():
    log_out()
    return redirect(url_for("public.index"), code=303)
