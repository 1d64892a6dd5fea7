"""Endpoints of the test identity provider (see the package docstring)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from urllib.parse import unquote_plus, urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from sqlmodel import select

from webapp import clock, db
from webapp.auth.pnr import normalise_pnr
from webapp.demo.named import NAMED_TEST_PERSONS
from webapp.models import Person

bp = Blueprint("testidp", __name__)

USER_MESSAGE_PARAM = "https://id.oidc.se/param/userMessage"
STANDARD_PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
REQUEST_FIELDS = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce",
                  "code_challenge", "code_challenge_method", "prompt", USER_MESSAGE_PARAM, "ui_locales", "acr_values")


def _provider():
    return current_app.extensions["test_idp"]


def issuer() -> str:
    return request.url_root + "test-idp"


@bp.get("/.well-known/openid-configuration")
def discovery():
    base = issuer()
    return jsonify({
        "issuer": base,
        "authorization_endpoint": base + "/authorize",
        "token_endpoint": base + "/token",
        "jwks_uri": base + "/jwks",
        "end_session_endpoint": base + "/logout",
        "pushed_authorization_request_endpoint": base + "/par",
        "require_pushed_authorization_requests": False,
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],  # profile: never "plain"
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": ["openid", "https://id.oidc.se/scope/naturalPersonNumber"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr",
                             STANDARD_PNR_CLAIM, "given_name", "family_name", "name", "birthdate"],
        "prompt_values_supported": ["none", "login"],
        "ui_locales_supported": ["sv", "en"],
        "https://id.oidc.se/disco/userMessageSupported": True,
        "https://id.oidc.se/disco/userMessageSupportedMimeTypes": ["text/plain"],
    })


@bp.get("/jwks")
def jwks():
    return jsonify(_provider().public_jwks())


def _same_origin(uri: str) -> bool:
    parts, here = urlsplit(uri), urlsplit(request.url_root)
    return (parts.scheme, parts.netloc) == (here.scheme, here.netloc)


def user_message(raw: str | None, locale: str) -> str | None:
    """The text the client asks us to show (request-parameter-extensions §2.1): a JSON object
    whose ``message`` / ``message#<lang>`` members are base64 of UTF-8 text/plain."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
        if value.get("mime_type", "text/plain") != "text/plain":
            return None
        encoded = value.get(f"message#{locale}") or value.get("message")
        if encoded is None:
            encoded = next((v for k, v in value.items() if k.startswith("message#")), None)
        return base64.b64decode(encoded, validate=True).decode("utf-8") if encoded else None
    except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
        return None


def _request_error(values) -> str | None:
    """What is wrong with an authorization request that we cannot even redirect back about."""
    if values.get("client_id") != current_app.config["OIDC_CLIENT_ID"]:
        return "unknown client"
    redirect_uri = values.get("redirect_uri") or ""
    # The one redirect URI our client registers: its own callback, on this host.
    if not _same_origin(redirect_uri) or urlsplit(redirect_uri).path != "/login/callback":
        return "redirect_uri not registered"
    return None


def _protocol_error(values) -> str | None:
    if values.get("response_type") != "code":
        return "unsupported_response_type"
    if "openid" not in (values.get("scope") or "").split():
        return "invalid_scope"
    if values.get("code_challenge_method") != "S256" or not values.get("code_challenge"):
        return "invalid_request"  # PKCE with S256 is required (Swedish OIDC profile)
    if not values.get("nonce") or not values.get("state"):
        return "invalid_request"
    if values.get("prompt") == "none":
        return "login_required"  # we keep no login of our own to reuse
    return None


def _back_to_client(values, **params):
    from authlib.common.urls import add_params_to_uri

    params["state"] = values.get("state", "")
    return redirect(add_params_to_uri(values["redirect_uri"], list(params.items())), code=302)


def _test_persons() -> list[dict]:
    pnrs = [person.pnr for person in NAMED_TEST_PERSONS]
    present = set(db.session().exec(select(Person.pnr).where(Person.pnr.in_(pnrs))).all())
    return [
        {"pnr": p.pnr, "name": f"{p.given_name} {p.family_name}", "description": p.description}
        for p in NAMED_TEST_PERSONS if p.pnr in present
    ]


def _page(values, errors=None, typed="", status=200):
    from flask_babel import get_locale

    message = user_message(values.get(USER_MESSAGE_PARAM), str(get_locale()))
    return render_template(
        "testidp/authorize.html", values={k: values.get(k, "") for k in REQUEST_FIELDS},
        persons=_test_persons(), errors=errors or {}, typed=typed, message=message,
        signing=values.get("prompt") == "login" or message is not None,
    ), status


@bp.post("/par")
def par():
    """Pushed authorization request (RFC 9126): the client sends the parameters directly."""
    if not _client_authenticated():
        return _token_error("invalid_client", 401)
    values = request.form
    if _request_error(values) or _protocol_error(values):
        return _token_error("invalid_request")
    params = {key: value for key, value in values.items() if key != "client_secret"}
    response = jsonify({"request_uri": _provider().push_request(params), "expires_in": 90})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/authorize")
def authorize():
    values = request.args
    if "request_uri" in values:
        pushed = _provider().pushed_request(values["request_uri"])
        if pushed is None or pushed.get("client_id") != values.get("client_id"):
            return render_template("testidp/bad_request.html", problem="invalid request_uri"), 400
        values = pushed
    if problem := _request_error(values):
        return render_template("testidp/bad_request.html", problem=problem), 400
    if error := _protocol_error(values):
        return _back_to_client(values, error=error)
    return _page(values)


@bp.post("/authorize")
def authorize_submit():
    values = request.form
    if problem := _request_error(values):
        return render_template("testidp/bad_request.html", problem=problem), 400
    if error := _protocol_error(values):
        return _back_to_client(values, error=error)
    if values.get("action") == "cancel":
        return _back_to_client(values, error="access_denied", error_description="The user cancelled")
    typed = (values.get("pnr") or "").strip()
    chosen = typed or values.get("person") or ""
    if not chosen:
        return _page(values, {"pnr": _("Choose a test person or type a personal identity number.")}, status=422)
    pnr = normalise_pnr(chosen, clock.today())
    if pnr is None:
        return _page(values, {"pnr": _("Type a valid personal identity number: 12 digits, YYYYMMDDNNNN, with a correct check digit.")}, typed=typed, status=422)
    code = _provider().issue_code(
        client_id=values["client_id"], redirect_uri=values["redirect_uri"],
        code_challenge=values["code_challenge"], nonce=values["nonce"], pnr=pnr, auth_time=int(time.time()),
    )
    return _back_to_client(values, code=code)


def _token_error(error: str, status: int = 400):
    response = jsonify({"error": error})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _client_credentials() -> tuple[str | None, str | None]:
    auth = request.authorization
    if auth and auth.type == "basic":  # RFC 6749 §2.3.1: both form-urlencoded before base64
        return unquote_plus(auth.username or ""), unquote_plus(auth.password or "")
    return request.form.get("client_id"), request.form.get("client_secret")


def _client_authenticated() -> bool:
    client_id, secret = _client_credentials()
    return client_id == current_app.config["OIDC_CLIENT_ID"] and hmac.compare_digest(
        (secret or "").encode(), current_app.config["OIDC_CLIENT_SECRET"].encode()
    )


@bp.post("/token")
def token():
    if not _client_authenticated():
        return _token_error("invalid_client", 401)
    client_id = current_app.config["OIDC_CLIENT_ID"]
    expected_secret = current_app.config["OIDC_CLIENT_SECRET"]
    if request.form.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    issued = _provider().redeem_code(request.form.get("code", ""))
    if issued is None:
        return _token_error("invalid_grant")
    if issued.client_id != client_id or issued.redirect_uri != request.form.get("redirect_uri"):
        return _token_error("invalid_grant")
    # PKCE (RFC 7636 §4.6), checked for confidential clients too.
    verifier = request.form.get("code_verifier", "")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    if not verifier or not hmac.compare_digest(challenge, issued.code_challenge):
        return _token_error("invalid_grant")
    person = db.session().exec(select(Person).where(Person.pnr == issued.pnr)).first()
    details = None
    if person is not None:
        details = {"given_name": person.given_name, "family_name": person.family_name,
                   "name": person.name, "birthdate": person.birth_date.isoformat()}
    claim_names = tuple(dict.fromkeys((STANDARD_PNR_CLAIM, current_app.config["OIDC_PNR_CLAIM"])))
    id_token = _provider().id_token(issuer(), client_id, expected_secret, issued, claim_names, details)
    response = jsonify({"access_token": f"test-{time.time_ns()}", "token_type": "Bearer",
                        "expires_in": 300, "id_token": id_token})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/logout")
def end_session():
    target = request.args.get("post_logout_redirect_uri")
    if target and _same_origin(target):
        return redirect(target, code=302)
    return render_template("testidp/logged_out.html")
