"""Signing by a fresh login: the text is shown at the provider, the signer must be the person
logged in, and nothing reaches the handler (so nothing is stored) unless every check passes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from flask import request
from joserfc import jwt

from tests.webapp.test_auth import ANNA, _logged_in_id, _person
from webapp.auth import signing
from webapp.auth.session import login_required
from webapp.services.closures import schedule_closure

TEXT = "Jag väljer att flytta till AKAP-KR. Valet kan inte ångras."
BERTIL = "197208159835"


@pytest.fixture
def signed(app):
    """A feature that signs: POST /_sign starts a signing; the handler records its calls."""
    calls = []

    def handler(person, payload, signed_text, id_token, signed_at):
        calls.append({"person": person, "payload": payload, "text": signed_text, "id_token": id_token,
                      "signed_at": signed_at})
        return "receipt", 200

    signing.register_signing_handler("test_choice", handler)

    @login_required
    def start_signing():
        return signing.begin_signing("test_choice", request.form.get("text", TEXT), {"agreement": "AKAP-KR"},
                                     back_url="/val")

    app.add_url_rule("/_sign", "sign_probe", start_signing, methods=["POST"])
    yield calls
    signing._handlers.pop("test_choice", None)


@pytest.fixture
def anna(db, client, idp, signed):
    person = _person(db, ANNA)
    assert idp.login(ANNA).status_code == 303
    return person


def _begin(client, csrf_token, text=TEXT):
    response = client.post("/_sign", data={"csrf_token": csrf_token("/"), "text": text})
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def test_signing_shows_the_text_and_hands_the_verified_signature_to_the_handler(client, idp, anna, signed, csrf_token):
    authorization_url = _begin(client, csrf_token)
    params = idp.request_params(authorization_url)
    assert params["prompt"] == "login"
    assert TEXT not in authorization_url and "param/userMessage" not in authorization_url
    page = client.get(authorization_url).get_data(as_text=True)
    assert "Du signerar den här texten" in page and TEXT in page
    response = idp.callback(idp.authorize(authorization_url, ANNA))
    assert response.status_code == 200 and response.get_data(as_text=True) == "receipt"
    [call] = signed
    assert call["person"].id == anna.id
    assert call["payload"] == {"agreement": "AKAP-KR"}
    assert call["text"] == TEXT
    assert isinstance(call["signed_at"], datetime) and call["signed_at"].tzinfo is not None
    claims = jwt.decode(call["id_token"], idp.provider.key).claims
    assert claims["https://id.oidc.se/claim/personalIdentityNumber"] == ANNA
    assert claims["nonce"].endswith("." + signing.text_digest(TEXT))  # the signed token binds the text
    assert _logged_in_id(client) == anna.id  # signing does not replace the login


def test_the_text_is_shown_in_english_too(client, idp, anna, signed, csrf_token):
    authorization_url = _begin(client, csrf_token, "I choose AKAP-KR.")
    page = client.get(authorization_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You are signing this text" in page and "I choose AKAP-KR." in page


def test_someone_else_signing_is_refused_and_nothing_is_stored(client, idp, db, anna, signed, csrf_token, caplog):
    _person(db, BERTIL, "Bertil", "Berg")
    with caplog.at_level(logging.WARNING):
        response = idp.callback(idp.authorize(_begin(client, csrf_token), BERTIL))
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Någon annan signerade" in page and 'href="/val"' in page
    assert signed == []
    assert "signer_mismatch" in caplog.text and BERTIL not in caplog.text
    assert _logged_in_id(client) == anna.id


def test_cancelling_the_signing_stores_nothing(client, idp, anna, signed, csrf_token):
    response = idp.callback(idp.authorize(_begin(client, csrf_token), action="cancel"))
    assert response.status_code == 400
    assert "Signeringen avbröts" in response.get_data(as_text=True)
    assert signed == []


@pytest.mark.parametrize("misbehaviour", ["bad_signature", "wrong_nonce", "expired", "old_auth_time", "no_pnr"])
def test_a_signature_that_fails_a_check_stores_nothing(client, idp, anna, signed, csrf_token, misbehaviour):
    authorization_url = _begin(client, csrf_token)
    idp.provider.misbehave = misbehaviour
    response = idp.callback(idp.authorize(authorization_url, ANNA))
    assert response.status_code == 401
    assert signed == []


def test_a_replayed_signing_callback_reaches_the_handler_once(client, idp, anna, signed, csrf_token):
    callback_url = idp.authorize(_begin(client, csrf_token), ANNA)
    assert idp.callback(callback_url).status_code == 200
    assert idp.callback(callback_url).status_code == 400
    assert len(signed) == 1


def test_no_signing_is_written_during_a_planned_closure(app, client, db, idp, anna, signed, csrf_token):
    start = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
    schedule_closure(db, start, start + timedelta(hours=2))
    callback_url = idp.authorize(_begin(client, csrf_token), ANNA)
    app.config["FIXED_NOW"] = start + timedelta(minutes=1)  # the closure began while at the provider
    response = idp.callback(callback_url)
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert signed == []


def test_a_session_that_ended_before_the_answer_stores_nothing(client, idp, anna, signed, csrf_token):
    callback_url = idp.authorize(_begin(client, csrf_token), ANNA)
    with client.session_transaction() as session:
        session.pop("person_id")
    assert idp.callback(callback_url).status_code == 401
    assert signed == []


def test_signing_needs_a_registered_handler_and_a_small_payload(app, anna, signed):
    with app.test_request_context("/"):
        from flask import session

        session["person_id"] = anna.id
        with pytest.raises(LookupError):
            signing.begin_signing("nobody_handles_this", TEXT, {})
        with pytest.raises(ValueError):
            signing.begin_signing("test_choice", TEXT, {"snapshot": "x" * 5000})
        with pytest.raises(ValueError):
            signing.register_signing_handler("login", lambda *args: None)


def test_the_largest_allowed_signing_still_fits_in_the_session_cookie(app, client, idp, anna, signed, csrf_token):
    import random
    import string

    noise = random.Random(7)
    text = "".join(noise.choice(string.ascii_letters + "åäöÅÄÖ .,") for _ in range(signing.MAX_TEXT_CHARS))
    payload = {"k": "".join(noise.choice(string.ascii_letters) for _ in range(signing.MAX_PAYLOAD_BYTES - 20))}
    with app.test_request_context("/"):
        from flask import session

        session["person_id"] = anna.id
        signing.begin_signing("test_choice", text, payload)
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    assert len(cookie) < 4000


def test_idp_sign_helper_finishes_a_signing(client, idp, anna, signed, csrf_token):
    response = idp.sign(_begin(client, csrf_token), ANNA)
    assert response.get_data(as_text=True) == "receipt" and len(signed) == 1


def test_a_signing_started_by_htmx_sends_the_whole_window_to_the_provider(client, idp, anna, signed, csrf_token):
    response = client.post("/_sign", data={"csrf_token": csrf_token("/")}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("http://localhost/test-idp/authorize?")
