"""A session cookie checked once per process decides as a fresh check would, and the CSRF token
signed once per session secret works as a new one would (webapp/auth/cookie_session.py,
webapp/csrf_tokens.py)."""

from __future__ import annotations

import time
from datetime import date
from types import SimpleNamespace

import pytest
from flask import Flask, request, session
from flask_wtf.csrf import generate_csrf, validate_csrf

from tests.factories import make_employee
from webapp.auth import cookie_session
from webapp.auth.session import log_in


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value: str):
    fresh = app.test_client()
    fresh.set_cookie("session", value)
    return fresh


@pytest.fixture
def logged_in(db, client, login_as) -> str:
    """The session cookie of a logged-in employee, checked and remembered by a first page."""
    login_as(make_employee(db, birth_date=date(1970, 1, 1)))
    assert client.get("/min-pension").status_code == 200
    return _cookie(client)


def test_an_altered_copy_of_a_remembered_cookie_is_not_a_session(app, logged_in):
    cookie = logged_in
    payload, timestamp, signature = cookie.rsplit(".", 2)
    altered = f"{payload}.{timestamp}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert _with_cookie(app, cookie).get("/min-pension").status_code == 200
    response = _with_cookie(app, altered).get("/min-pension")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_remembered_cookie_older_than_the_session_lifetime_is_not_a_session(app, logged_in, monkeypatch):
    cookie = logged_in
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    # Only the remembered cookie's clock moves on: the session's own idle clock would end it anyway.
    monkeypatch.setattr(cookie_session, "time", SimpleNamespace(time=lambda: later))
    response = _with_cookie(app, cookie).get("/min-pension")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_what_one_request_does_to_its_session_does_not_reach_the_next_with_the_same_cookie(app, client, logged_in):
    with client.session_transaction() as stored:
        stored["attempts"] = {"state": {"purpose": "login"}}  # nested, as the pending logins are
    cookie = _cookie(client)

    def opened():
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
            return app.session_interface.open_session(app, request)

    first = opened()
    first["attempts"]["state"]["purpose"] = "sign"
    first.pop("person_id")
    assert opened()["attempts"] == {"state": {"purpose": "login"}} and "person_id" in opened()


def test_a_cookie_signed_with_another_key_is_refused_even_with_the_same_contents(app, logged_in):
    contents = app.session_interface.get_signing_serializer(app).loads(logged_in)
    other = Flask(__name__)
    other.secret_key = "another key"
    foreign = other.session_interface.get_signing_serializer(other).dumps(contents)
    response = _with_cookie(app, foreign).get("/min-pension")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_token_a_page_shows_is_valid_and_stays_the_same_for_the_session(client, logged_in, csrf_token):
    token = csrf_token("/min-pension/simulering")
    time.sleep(1.1)  # Flask-WTF's own token would carry a new timestamp by now
    assert csrf_token("/min-pension/simulering") == token
    changed = client.post("/language", data={"csrf_token": token, "lang": "en", "next": "/min-pension"})
    assert changed.status_code == 303
    assert "My pension" in client.get("/min-pension").get_data(as_text=True)


def test_logging_in_within_a_request_gives_the_page_a_token_of_the_new_session(app):
    with app.test_request_context("/"):
        before = generate_csrf()
        log_in(4711)
        after = generate_csrf()
        assert after != before
        validate_csrf(after)  # raises if the token does not belong to the session's new secret
        assert "csrf_token" in session

