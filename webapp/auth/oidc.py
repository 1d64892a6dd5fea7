"""The OpenID Connect relying party: discovery, the authorization request (code flow with PKCE
S256, state and nonce), the token request and the ID token checks of OIDC Core 3.1.3.7.

Authlib's requests client makes the protocol requests; its JOSE library (joserfc) checks the
signature against the provider's JWKS. Only asymmetric algorithms are accepted, so neither
``alg: none`` nor an HMAC signed with a public value can pass.

The back channel (discovery, JWKS, token) is a ``requests`` session; adapters listed in
``app.extensions["oidc_http_adapters"]`` (URL prefix → adapter) are mounted on it, so tests can
route it in-process to the test identity provider while real runs use real HTTP.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.integrations.requests_client import OAuth2Session
from authlib.integrations.requests_client import OAuthError as RequestsOAuthError
from flask import current_app, request, session, url_for
from flask_babel import get_locale
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError, MissingKeyError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

# Asymmetric signatures only (OIDC Core 10.1; the Swedish profile signs with RS256 or better).
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60  # clock skew between us and the provider
MAX_TOKEN_AGE_SECONDS = 600  # the profile caps ID token lifetime at 5 minutes; iat older than this is refused
METADATA_TTL_SECONDS = 3600
PENDING_KEY = "oidc_pending"
MAX_PENDING = 3  # a few tabs may start a login at once; older attempts are dropped
MAX_ATTEMPT_SECONDS = 1800  # a login started longer ago than this is not finished
USER_MESSAGE_PARAM = "https://id.oidc.se/param/userMessage"  # request-parameter-extensions §2.1


class LoginRefused(Exception):
    """A login or signing that must not go through. ``reason`` is logged (never a pnr)."""

    def __init__(self, reason: str, status: int = 401, kind: str = "login", back: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.kind = kind
        self.back = back  # where "try again" leads (a path on this site)


@dataclass(frozen=True)
class VerifiedLogin:
    claims: dict
    id_token: str
    pending: dict


_cache_lock = threading.Lock()


def issuer() -> str:
    configured = current_app.config.get("OIDC_ISSUER")
    if configured:
        return configured.rstrip("/")
    if current_app.config.get("TEST_IDP_ENABLED"):
        return request.url_root + "test-idp"
    raise RuntimeError("No OIDC_ISSUER configured and the test identity provider is off.")


def http_session(cls=requests.Session, **kwargs) -> requests.Session:
    http = cls(**kwargs)
    for prefix, adapter in current_app.extensions.get("oidc_http_adapters", {}).items():
        http.mount(prefix, adapter)
    return http


def _cache() -> dict:
    return current_app.extensions.setdefault("oidc_cache", {})


def _get_json(url: str) -> dict:
    with http_session() as http:
        response = http.get(url, timeout=current_app.config["OIDC_TIMEOUT_SECONDS"])
        response.raise_for_status()
        return response.json()


def metadata(expected_issuer: str | None = None, force: bool = False) -> dict:
    """The provider's discovery document (OIDC Discovery 1.0 §4), cached for an hour."""
    iss = expected_issuer or issuer()
    with _cache_lock:
        entry = _cache().get(iss)
    if entry and not force and time.time() - entry["at"] < METADATA_TTL_SECONDS:
        return entry["metadata"]
    document = _get_json(iss + "/.well-known/openid-configuration")
    if document.get("issuer") != iss:  # Discovery §4.3: the issuer must match exactly
        raise LoginRefused("discovery_issuer_mismatch", 400)
    with _cache_lock:
        _cache()[iss] = {"metadata": document, "at": time.time(), "jwks": None}
    return document


def jwks(iss: str, force: bool = False) -> KeySet:
    with _cache_lock:
        entry = _cache().get(iss) or {}
        cached = entry.get("jwks")
    if cached is not None and not force:
        return KeySet.import_key_set(cached)
    document = _get_json(metadata(iss)["jwks_uri"])
    with _cache_lock:
        if iss in _cache():
            _cache()[iss]["jwks"] = document
    return KeySet.import_key_set(document)


def _oauth_session(**kwargs) -> OAuth2Session:
    return http_session(
        OAuth2Session,
        client_id=current_app.config["OIDC_CLIENT_ID"],
        client_secret=current_app.config["OIDC_CLIENT_SECRET"],
        scope=current_app.config["OIDC_SCOPES"],
        redirect_uri=url_for("auth.callback", _external=True),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
        default_timeout=current_app.config["OIDC_TIMEOUT_SECONDS"],
        **kwargs,
    )


def start(purpose: str, nonce: str | None = None, extra: dict | None = None, **remember) -> str:
    """Remember a new attempt in the session and return the provider's authorization URL."""
    iss = issuer()
    document = metadata(iss)
    state = generate_token(32)
    verifier = generate_token(64)
    nonce = nonce or generate_token(32)
    pending = dict(session.get(PENDING_KEY) or {})
    while len(pending) >= MAX_PENDING:
        oldest = min(pending, key=lambda key: pending[key]["started"])
        pending.pop(oldest)
    pending[state] = {
        "purpose": purpose, "nonce": nonce, "verifier": verifier, "issuer": iss,
        "started": int(time.time()), **remember,
    }
    session[PENDING_KEY] = pending
    extra = {"ui_locales": str(get_locale()), **(extra or {})}  # the provider speaks the user's language
    if current_app.config.get("OIDC_ACR_VALUES"):
        extra.setdefault("acr_values", current_app.config["OIDC_ACR_VALUES"])
    with _oauth_session() as oauth:
        url, _state = oauth.create_authorization_url(
            document["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce, **extra,
        )
    if document.get("pushed_authorization_request_endpoint"):
        url = _pushed(document, url)
    return url


def _pushed(document: dict, url: str) -> str:
    """Send the request's parameters over the back channel (PAR, RFC 9126) and return a URL that
    carries only a reference to them, so the text being signed never sits in a URL (browser
    history, proxy logs). Providers without PAR get the parameters in the URL, as the profile's
    userMessage specification describes."""
    params = [(key, value) for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True)]
    client_id = current_app.config["OIDC_CLIENT_ID"]
    credentials = (quote(client_id, safe=""), quote(current_app.config["OIDC_CLIENT_SECRET"], safe=""))
    with http_session() as http:
        response = http.post(document["pushed_authorization_request_endpoint"], data=params,
                             auth=credentials, timeout=current_app.config["OIDC_TIMEOUT_SECONDS"])
    if response.status_code not in (200, 201):
        raise LoginRefused(f"par_refused:{response.status_code}", 502)
    request_uri = response.json()["request_uri"]
    return add_params_to_uri(document["authorization_endpoint"],
                             [("client_id", client_id), ("request_uri", request_uri)])


def take_pending(state: str | None) -> dict | None:
    pending = dict(session.get(PENDING_KEY) or {})
    entry = pending.pop(state, None) if state else None
    session[PENDING_KEY] = pending
    return entry


def complete() -> VerifiedLogin:
    """Check the provider's answer on the callback and return the verified ID token's claims."""
    args = request.args
    entry = take_pending(args.get("state"))
    if entry is None:
        raise LoginRefused("state_mismatch", 400)
    try:
        try:
            return _complete(args, entry)
        except (requests.RequestException, ValueError) as error:  # discovery or JWKS unreachable or garbled
            raise LoginRefused(f"provider_unavailable:{type(error).__name__}", 502, entry["purpose"]) from error
    except LoginRefused as error:
        error.back = entry.get("back", entry.get("next"))
        raise


def _complete(args, entry: dict) -> VerifiedLogin:
    kind = entry["purpose"]
    if time.time() - entry["started"] > MAX_ATTEMPT_SECONDS:
        raise LoginRefused("state_expired", 400, kind)
    if "error" in args:
        error = args.get("error", "")[:40]
        raise LoginRefused("cancelled" if error == "access_denied" else f"idp_error:{error}", 400, kind)
    code = args.get("code")
    if not code:
        raise LoginRefused("missing_code", 400, kind)
    iss = entry["issuer"]
    document = metadata(iss)
    try:
        with _oauth_session() as oauth:
            token = oauth.fetch_token(
                document["token_endpoint"], grant_type="authorization_code", code=code,
                code_verifier=entry["verifier"],
            )
    except RequestsOAuthError as error:
        raise LoginRefused(f"token_error:{str(error.error)[:40]}", 400, kind) from error
    except (requests.RequestException, ValueError) as error:
        raise LoginRefused("token_request_failed", 400, kind) from error
    id_token = token.get("id_token")
    if not id_token:
        raise LoginRefused("missing_id_token", 401, kind)
    claims = verify_id_token(id_token, iss, entry["nonce"], kind)
    return VerifiedLogin(claims=claims, id_token=id_token, pending=entry)


def verify_id_token(id_token: str, iss: str, nonce: str, kind: str = "login") -> dict:
    """OIDC Core 3.1.3.7: signature by the provider's key, iss, aud (and azp), exp, iat, nonce."""
    registry = JWSRegistry(algorithms=list(ALLOWED_ALGORITHMS))
    try:
        try:
            token = jwt.decode(id_token, jwks(iss), registry=registry)
        except (InvalidKeyIdError, MissingKeyError):
            # A rotated key has a new kid: fetch the JWKS once more before giving up.
            token = jwt.decode(id_token, jwks(iss, force=True), registry=registry)
    except (JoseError, ValueError, KeyError) as error:
        reason = getattr(error, "error", type(error).__name__)
        raise LoginRefused(f"bad_signature:{reason}", 401, kind) from error
    if token.header.get("alg") not in ALLOWED_ALGORITHMS:
        raise LoginRefused("bad_algorithm", 401, kind)
    claims = dict(token.claims)
    now = time.time()
    client_id = current_app.config["OIDC_CLIENT_ID"]
    if claims.get("iss") != iss:
        raise LoginRefused("wrong_issuer", 401, kind)
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise LoginRefused("wrong_audience", 401, kind)
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != client_id:
        raise LoginRefused("wrong_authorized_party", 401, kind)
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise LoginRefused("missing_time_claims", 401, kind)
    if exp <= now - LEEWAY_SECONDS:
        raise LoginRefused("expired", 401, kind)
    if iat > now + LEEWAY_SECONDS or iat < now - MAX_TOKEN_AGE_SECONDS:
        raise LoginRefused("issued_at_out_of_range", 401, kind)
    if not isinstance(claims.get("nonce"), str) or not hmac.compare_digest(claims["nonce"], nonce):
        raise LoginRefused("nonce_mismatch", 401, kind)
    if not claims.get("sub"):
        raise LoginRefused("missing_sub", 401, kind)
    return claims


def end_session_url(post_logout_redirect_uri: str) -> str | None:
    """The provider's RP-initiated logout URL, when it announces an end_session_endpoint."""
    try:
        endpoint = metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError, LoginRefused, RuntimeError):
        current_app.logger.warning("logout: discovery unavailable, local logout only")
        return None
    if not endpoint:
        return None
    return add_params_to_uri(endpoint, [
        ("client_id", current_app.config["OIDC_CLIENT_ID"]),
        ("post_logout_redirect_uri", post_logout_redirect_uri),
    ])
