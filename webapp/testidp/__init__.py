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
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from joserfc import jwe, jwt
from joserfc.errors import JoseError
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
PAR_LIFETIME_SECONDS = 90
REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"
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


@dataclass
class TestIdentityProvider:
    """``secret``: derives the key that seals codes. ``key_file``: where the signing key is kept
    so that several server processes (gunicorn workers) sign with the same key; None keeps it in
    memory (tests: a fresh key per app)."""

    __test__ = False  # not a pytest test class, despite the name

    secret: str
    key_file: Path | None = None
    misbehave: str | None = None
    _key: RSAKey | None = None
    _used: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def key(self) -> RSAKey:
        # Made on first use with a fresh kid, so a client that cached an older JWKS fetches it again.
        with self._lock:
            if self._key is None:
                self._key = self._load_or_make_key()
            return self._key

    def _load_or_make_key(self) -> RSAKey:
        if self.key_file is not None and self.key_file.exists():
            return RSAKey.import_key(json.loads(self.key_file.read_text()))
        key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"})
        if self.key_file is None:
            return key
        self.key_file.parent.mkdir(parents=True, exist_ok=True)
        draft = self.key_file.with_name(f"{self.key_file.name}.{secrets.token_hex(4)}")
        draft.write_text(json.dumps(key.as_dict(private=True)))
        draft.chmod(0o600)
        try:
            os.link(draft, self.key_file)  # atomic: the first process to get here wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
        return RSAKey.import_key(json.loads(self.key_file.read_text()))

    def public_jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False)]}

    @property
    def _code_key(self) -> OctKey:
        return OctKey.import_key(hashlib.sha256(f"test-idp-code:{self.secret}".encode()).digest())

    def issue_code(self, **values) -> str:
        """The code carries its grant sealed (JWE, A256GCM) so any server process can redeem it,
        and nothing in it, the personal identity number least of all, is readable in the URL."""
        grant = {**values, "expires_at": time.time() + CODE_LIFETIME_SECONDS, "jti": secrets.token_hex(16)}
        return self._seal("code", grant)

    def _seal(self, kind: str, content: dict) -> str:
        return jwe.encrypt_compact({"alg": "dir", "enc": "A256GCM"}, json.dumps({**content, "kind": kind}),
                                   self._code_key)

    def _open(self, kind: str, sealed: str) -> dict | None:
        try:
            content = json.loads(jwe.decrypt_compact(sealed, self._code_key).plaintext)
        except (JoseError, ValueError):
            return None
        if content.pop("kind", None) != kind or content.get("expires_at", 0) < time.time():
            return None
        return content

    def push_request(self, params: dict) -> str:
        """A pushed authorization request (RFC 9126): its parameters sealed in the request_uri."""
        return REQUEST_URI_PREFIX + self._seal("par", {"params": params, "expires_at": time.time() + PAR_LIFETIME_SECONDS})

    def pushed_request(self, request_uri: str) -> dict | None:
        if not request_uri.startswith(REQUEST_URI_PREFIX):
            return None
        content = self._open("par", request_uri.removeprefix(REQUEST_URI_PREFIX))
        return content["params"] if content else None

    def redeem_code(self, code: str) -> IssuedCode | None:
        """A code works once (RFC 6749 §4.1.2); a second use or an expired code gets nothing.
        (Reuse is tracked per process: enough for tests and a local run, not for production.)"""
        grant = self._open("code", code)
        if grant is None:
            return None
        now = time.time()
        with self._lock:
            for jti in [j for j, expires in self._used.items() if expires < now]:
                del self._used[jti]
            if grant["jti"] in self._used:
                return None
            self._used[grant.pop("jti")] = grant["expires_at"]
        return IssuedCode(**grant)

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
    from webapp.testidp.views import bp, par, token

    key_file = None if app.config.get("MODE") == "test" else Path(app.instance_path) / "test_idp_key.json"
    app.extensions["test_idp"] = TestIdentityProvider(secret=app.config["SECRET_KEY"], key_file=key_file)
    app.register_blueprint(bp, url_prefix="/test-idp")
    csrf.exempt(token)  # server-to-server, authenticated by the client secret
    csrf.exempt(par)
