"""Rendered pages and page parts kept in each process, keyed by everything they are computed from.

Two levels, both per process (processes on other hosts keep their own, so the site still shares
nothing but the database), both never stale because their keys change with what they show:

- **Whole pages** (``kept_page``): the employee's own pages depend only on the person's register
  rows, choices, applications and roles, the day, the language, the URL and the announced
  closure. The database bumps ``person.data_version`` whenever any of those rows changes
  (triggers, migration 0009), so a page is kept under (person, data version, day, language, URL,
  closure). A repeated view costs one small query for the version, or none on PostgreSQL, whose
  notices keep the versions current (webapp/person_versions.py). The session's CSRF token is put
  into the kept page on the way out; a page that shows a flash message is not kept.
  ``PAGE_CACHE_MB`` per process, 0 turns it off.
- **Parts** (``rendered``): the figures of a page, keyed by a fingerprint of the person's rows
  (``PersonRecords.fingerprint``), so a new data version that does not touch them (a new
  pre-calculation, say) does not compute them again. ``RENDER_CACHE_SIZE`` parts, 0 turns it off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import wraps

from cachetools import LRUCache
from flask import Flask, Response, current_app, request, session
from flask.globals import request_ctx
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup


@dataclass(frozen=True)
class KeptPage:
    parts: tuple[bytes, ...]  # the page cut where the CSRF token stood
    headers: tuple[tuple[str, str], ...]
    size: int

    @classmethod
    def of(cls, body: bytes, token: str, headers: tuple[tuple[str, str], ...]) -> KeptPage:
        return cls(tuple(body.split(token.encode())), headers, len(body))

    def response(self, token: str) -> Response:
        # Joining the parts around the session's token costs less than searching the page for a slot.
        return Response(token.encode().join(self.parts), 200, list(self.headers))


class RenderCache:
    def __init__(self, size: int, page_bytes: int) -> None:
        self._parts: LRUCache | None = LRUCache(size) if size > 0 else None
        self._pages: LRUCache | None = LRUCache(page_bytes, getsizeof=lambda page: page.size) \
            if page_bytes > 0 else None
        self._lock = threading.Lock()  # gthread workers share the process

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> Markup:
        if self._parts is None:
            return Markup(render())
        with self._lock:
            kept = self._parts.get(key)
        if kept is None:
            kept = Markup(render())  # outside the lock: two threads may render the same part once each
            with self._lock:
                self._parts[key] = kept
        return kept

    def page(self, key: Hashable) -> KeptPage | None:
        if self._pages is None:
            return None
        with self._lock:
            return self._pages.get(key)

    def keep_page(self, key: Hashable, page: KeptPage) -> None:
        if self._pages is None or page.size > self._pages.maxsize:
            return
        with self._lock:
            self._pages[key] = page


def init_app(app: Flask) -> None:
    app.extensions["render_cache"] = RenderCache(
        int(app.config["RENDER_CACHE_SIZE"]), int(app.config["PAGE_CACHE_MB"]) * 1024 * 1024)


def rendered(key: Hashable, render: Callable[[], str]) -> Markup:
    return current_app.extensions["render_cache"].get_or_render(key, render)


def _page_key() -> Hashable | None:
    """Everything a kept page shows that is not the same for every request, or None when the
    request's page must not be kept (not a GET, a flash message waiting)."""
    if request.method != "GET" or "_flashes" in session:
        return None
    from webapp import clock, closures
    from webapp.auth.session import logged_in_version
    from webapp.i18n import request_locale

    return (
        request.endpoint, request.full_path, request.headers.get("HX-Request"),
        request.headers.get("HX-History-Restore-Request"), logged_in_version(),
        clock.today(), str(request_locale()), closures.notice(),
    )


def _keepable(response: Response) -> KeptPage | None:
    if (response.status_code != 200 or response.mimetype != "text/html" or response.is_streamed
            or "Set-Cookie" in response.headers or request_ctx.flashes):
        return None
    headers = tuple((name, value) for name, value in response.headers.items() if name != "Content-Length")
    return KeptPage.of(response.get_data(), generate_csrf(), headers)


def kept_page(view):
    """Keep the GET page of ``view`` whole (see the module's docstring for what it may depend on:
    a view whose page shows anything else must not use this)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = _page_key()
        if key is None:
            return view(*args, **kwargs)
        cache: RenderCache = current_app.extensions["render_cache"]
        kept = cache.page(key)
        if kept is not None:
            return kept.response(generate_csrf())
        response = current_app.make_response(view(*args, **kwargs))
        page = _keepable(response)
        if page is not None:
            cache.keep_page(key, page)
        return response

    return wrapper
