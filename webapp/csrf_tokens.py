"""The signed CSRF token of each session's secret, signed once per process.

Flask-WTF signs the session's CSRF secret anew on every request that shows a form (every page
here has the language and logout forms), and that signing cost more than serving a kept page
(webapp/render_cache.py). Tokens have no time limit here (``WTF_CSRF_TIME_LIMIT`` is None: the
session's idle limit ends them), so a token signed earlier for the same secret is exactly as
valid as a new one. Put in place before the view runs, Flask-WTF's ``generate_csrf`` returns it.
"""

from __future__ import annotations

import threading

from cachetools import LRUCache
from flask import Flask, g, request, session
from flask_wtf.csrf import generate_csrf

SIGNED_TOKENS = 8192
FIELD = "csrf_token"  # Flask-WTF's default WTF_CSRF_FIELD_NAME: its key in the session and in g


def init_app(app: Flask) -> None:
    if app.config.get("WTF_CSRF_TIME_LIMIT") is not None or app.config.get("WTF_CSRF_FIELD_NAME", FIELD) != FIELD:
        return  # a token with a time limit must be signed when it is shown
    signed: LRUCache = LRUCache(SIGNED_TOKENS)
    lock = threading.Lock()

    @app.before_request
    def _signed_token():
        secret = session.get(FIELD) if request.endpoint != "static" else None
        if secret is None or FIELD in g:
            return  # without a secret yet, generate_csrf makes one when a form needs it
        key = (app.secret_key, secret)
        with lock:
            token = signed.get(key)
        if token is None:
            token = generate_csrf()
            with lock:
                signed[key] = token
        setattr(g, FIELD, token)


def forget_request_token() -> None:
    """After the session's secret is gone (log in, log out), the page shows a token of the new one."""
    g.pop(FIELD, None)
