"""The test identity provider: a small OpenID Connect provider that speaks the protocol our
login uses against a real one (discovery, JWKS, authorization code with PKCE S256, RS256 ID
tokens, end session), with a BankID-like page where the tester picks a test person.

Mounted only when TEST_IDP_ENABLED (the configuration refuses it in production). State lives in
memory in this process, which is what a local run and the tests need.

Negative tests make it misbehave on purpose: ``app.extensions["test_idp"].misbehave = "..."``
with one of ``MISBEHAVIOURS``; it then issues such a faulty ID token until reset to ``None``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import Flask
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

MISBEHAVIOURS = (
    "bad_signature",  # signed by another key under the provider's kid
    "alg_none",  # unsigned token, header alg "none"
    "alg_hs256",  # HMAC with the client secret (algorithm confusion)
    "wrong_issuer",
    "wrong_audience",
    "expired",
    "wrong_nonce",
    "no_pnr",  # the personal identity number claim left out
    "old_auth_time",  # claims an authentication an hour ago (not a fresh login for signing)
)
CODE_LIFETIME_SECONDS = 60
ID_TOKEN_LIFETIME_SECONDS = 300  # Swedish OIDC profile: at most 5 minutes
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


@dataclass
class IssuedCode:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    pnr: str
    auth_time: int
    expires_at: float
    used: bool = False


@dataclass
class TestIdentityProvider:
    misbehave: str | None = None
    _key: RSAKey | None = None
    _codes: dict[str, IssuedCode] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def key(self) -> RSAKey:
        # Generated on first use, with a fresh kid, so a restarted provider is never confused with
        # the old one by a client that cached its JWKS.
        with self._lock:
            if self._key is None:
                self._key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"})
            return self._key

    def public_jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False)]}

    def issue_code(self, **values) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            now = time.time()
            for old in [c for c, issued in self._codes.items() if issued.expires_at < now]:
                del self._codes[old]
            self._codes[code] = IssuedCode(expires_at=now + CODE_LIFETIME_SECONDS, **values)
        return code

    def redeem_code(self, code: str) -> IssuedCode | None:
        """A code works once (RFC 6749 §4.1.2); a second use or an expired code gets nothing."""
        with self._lock:
            issued = self._codes.get(code)
            if issued is None or issued.used or issued.expires_at < time.time():
                return None
            issued.used = True
            return issued

    def id_token(self, issuer: str, client_id: str, client_secret: str, issued: IssuedCode,
                 pnr_claims: tuple[str, ...], person: dict | None) -> str:
        now = int(time.time())
        claims = {
            "iss": issuer, "sub": "test-" + hashlib.sha256(issued.pnr.encode()).hexdigest()[:24],
            "aud": client_id, "iat": now, "exp": now + ID_TOKEN_LIFETIME_SECONDS,
            "auth_time": issued.auth_time, "nonce": issued.nonce, "acr": LOA3,
        }
        for name in pnr_claims:
            claims[name] = issued.pnr
        if person:
            claims.update(person)
        header = {"alg": "RS256", "kid": self.key.kid, "typ": "JWT"}
        fault = self.misbehave
        if fault == "wrong_issuer":
            claims["iss"] = issuer + "-impostor"
        elif fault == "wrong_audience":
            claims["aud"] = "someone-else"
        elif fault == "expired":
            claims["iat"], claims["exp"] = now - 900, now - 600
        elif fault == "wrong_nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif fault == "old_auth_time":
            claims["auth_time"] = now - 3600
        elif fault == "no_pnr":
            for name in pnr_claims:
                claims.pop(name, None)
        if fault == "bad_signature":
            other = RSAKey.generate_key(2048, parameters={"kid": self.key.kid})
            return jwt.encode(header, claims, other, algorithms=["RS256"])
        if fault == "alg_none":
            return ".".join([_b64(json.dumps({"alg": "none", "typ": "JWT"})), _b64(json.dumps(claims)), ""])
        if fault == "alg_hs256":
            secret = OctKey.import_key(client_secret.encode().ljust(32, b"\0"))
            return jwt.encode({"alg": "HS256", "kid": self.key.kid}, claims, secret, algorithms=["HS256"])
        return jwt.encode(header, claims, self.key, algorithms=["RS256"])


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def init_app(app: Flask) -> None:
    if not app.config.get("TEST_IDP_ENABLED"):
        return
    if app.config.get("MODE") == "production":  # the configuration already refuses this; belt and braces
        raise RuntimeError("The test identity provider must never run in production mode.")
    from webapp import csrf
    from webapp.testidp.views import bp, token

    app.extensions["test_idp"] = TestIdentityProvider()
    app.register_blueprint(bp, url_prefix="/test-idp")
    csrf.exempt(token)  # server-to-server, authenticated by the client secret
