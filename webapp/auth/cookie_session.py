"""Flask's signed-cookie sessions, with each cookie's signature checked once per process.

A browser sends the same session cookie with every request until the session changes (the idle
clock moves it at most every 30 s, see ``LAST_SEEN_STEP``), and checking the signature and
decoding the payload cost more than serving a kept page (webapp/render_cache.py). So a cookie
whose signature was checked is remembered with its contents and its signing time: the same bytes
again are the same session, as long as they are younger than the session lifetime, exactly as a
fresh check would decide. Only verified cookies are remembered, so a forged one costs a check
every time and can never enter; the memory is bounded (least recently used go first).
"""

from __future__ import annotations

import copy
import threading
import time

from cachetools import LRUCache
from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

VERIFIED_COOKIES = 8192  # about 1 kB each


class VerifiedCookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._verified: LRUCache = LRUCache(VERIFIED_COOKIES)
        self._lock = threading.Lock()  # gthread workers share the process

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, value)
        with self._lock:
            kept = self._verified.get(key)
        if kept is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(value, max_age=max_age,
                                                                          return_timestamp=True)
            except BadSignature:  # forged, altered or expired: a new, empty session
                return self.session_class()
            kept = (data, signed_at.timestamp())
            with self._lock:
                self._verified[key] = kept
        data, signed_at = kept
        if time.time() - signed_at > max_age:
            return self.session_class()
        return self.session_class(copy.deepcopy(data))  # the request may change its session


def init_app(app: Flask) -> None:
    app.session_interface = VerifiedCookieSessionInterface()
