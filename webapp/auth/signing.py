"""Signing by re-authentication: the person logs in once more with the identity provider, for
this purpose only, and is shown the text they sign.

A feature registers what happens after a good signature, then starts a signing from its view::

    register_signing_handler("pension_choice", handle_signed_choice)
    ...
    return begin_signing("pension_choice", text, {"agreement": "AKAP-KR"})

``begin_signing`` (for the logged-in person) keeps purpose, text, payload, state, nonce and PKCE
verifier in the session and redirects to the provider with ``prompt=login`` (a fresh login,
Swedish OIDC profile §2.1.4) and the text in ``https://id.oidc.se/param/userMessage`` (pushed
over the back channel when the provider supports PAR, so it is not in the URL). The nonce ends
with the SHA-256 of the text, so the provider's signed ID token binds this text.

The callback (``auth.callback``) verifies the ID token like a login, checks that the signer is
the logged-in person and that the authentication is fresh, refuses during a planned closure, and
then returns ``handler(person, payload, signed_text, id_token, signed_at)``. A cancel, a mismatch
or any refusal shows a page and calls no handler, so nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from datetime import datetime

from authlib.common.security import generate_token
from flask import Response, abort, redirect, request

from webapp import clock
from webapp.auth import oidc
from webapp.auth.session import current_person
from webapp.models import Person

SigningHandler = Callable[[Person, dict, str, str, datetime], Response]

MAX_PAYLOAD_BYTES = 1000  # the session is a cookie (about 4 kB): keep the payload to ids and choices
MAX_TEXT_CHARS = 1500
FRESH_AUTH_LEEWAY_SECONDS = 5
MAX_SIGNING_SECONDS = 600  # from begin_signing to the provider's answer

_handlers: dict[str, SigningHandler] = {}


def register_signing_handler(purpose: str, handler: SigningHandler) -> None:
    """Register what to do with a verified signature for ``purpose`` (call once, at import)."""
    if purpose == "login":
        raise ValueError("'login' is not a signing purpose")
    _handlers[purpose] = handler


def signing_handler(purpose: str) -> SigningHandler | None:
    return _handlers.get(purpose)


def text_digest(text: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(text.encode("utf-8")).digest()).rstrip(b"=").decode()


def begin_signing(purpose: str, text: str, payload: dict, back_url: str = "/") -> Response:
    """Redirect the logged-in person to the provider to sign ``text``; see the module docstring.

    ``payload`` must be JSON-serialisable and small (it travels in the session cookie);
    ``back_url`` (a path on this site) is where "try again" leads if the signing is refused."""
    person = current_person()
    if person is None:
        abort(401)
    if purpose not in _handlers:
        raise LookupError(f"no signing handler registered for {purpose!r}")
    encoded = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    if len(encoded.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError("the signing payload is too large for the session; pass ids, not documents")
    if not text.strip() or len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"the text to sign must be 1 to {MAX_TEXT_CHARS} characters")
    # One text in the user's language, so untagged: the provider shows it whatever its locale (§2.1).
    user_message = json.dumps({"message": base64.b64encode(text.encode("utf-8")).decode(), "mime_type": "text/plain"})
    nonce = f"{generate_token(24)}.{text_digest(text)}"
    url = oidc.start(
        "sign", nonce=nonce,
        extra={"prompt": "login", oidc.USER_MESSAGE_PARAM: user_message},
        signing_purpose=purpose, text=text, payload=json.loads(encoded), person_id=person.id,
        back=back_url if back_url.startswith("/") and not back_url.startswith("//") else "/",
    )
    if request.headers.get("HX-Request"):
        # htmx would follow a redirect inside an XHR; the provider's page must load in the window.
        response = Response(status=204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def complete_signing(verified: oidc.VerifiedLogin, pnr: str | None) -> Response:
    """The callback's second half for a signing; raises LoginRefused(kind="sign") when refused."""
    from webapp.closures import ensure_open

    pending = verified.pending
    person = current_person()
    if person is None or person.id != pending.get("person_id"):
        raise oidc.LoginRefused("signing_session_ended", 401, "sign")
    if pnr is None or pnr != person.pnr:
        raise oidc.LoginRefused("signer_mismatch", 403, "sign")
    auth_time = verified.claims.get("auth_time")
    now = time.time()
    if not isinstance(auth_time, int | float) or auth_time < pending["started"] - FRESH_AUTH_LEEWAY_SECONDS \
            or auth_time > now + oidc.LEEWAY_SECONDS or now - pending["started"] > MAX_SIGNING_SECONDS:
        raise oidc.LoginRefused("authentication_not_fresh", 401, "sign")
    text = pending["text"]
    if not verified.claims["nonce"].endswith("." + text_digest(text)):
        raise oidc.LoginRefused("signed_text_mismatch", 401, "sign")
    handler = _handlers.get(pending["signing_purpose"])
    if handler is None:
        raise oidc.LoginRefused("unknown_signing_purpose", 400, "sign")
    ensure_open()  # a planned closure: refuse (503) before anything is written
    return handler(person, pending["payload"], text, verified.id_token, clock.now())
