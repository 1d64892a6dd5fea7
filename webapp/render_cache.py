"""Rendered page parts kept in each process, keyed by everything they are computed from.

The employee pages spend most of their time turning the domain's results and explanations into
HTML (about 20 ms a page), although the result only changes when the person's register rows, the
day, the language or the page's inputs change. A part is kept under a key holding all of those
(``PersonRecords.fingerprint`` covers the rows), so a kept part is never stale: a changed salary
is a new key. Nothing personal is shared between people: the key holds the person's id.

Each process keeps its own small LRU (``RENDER_CACHE_SIZE`` parts, 0 turns it off); processes on
other hosts keep theirs, so the site still shares nothing but the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache
from flask import Flask, current_app
from markupsafe import Markup

DEFAULT_SIZE = 512


class RenderCache:
    def __init__(self, size: int) -> None:
        self._parts: LRUCache | None = LRUCache(size) if size > 0 else None
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


def init_app(app: Flask) -> None:
    app.extensions["render_cache"] = RenderCache(int(app.config.get("RENDER_CACHE_SIZE", DEFAULT_SIZE)))


def rendered(key: Hashable, render: Callable[[], str]) -> Markup:
    return current_app.extensions["render_cache"].get_or_render(key, render)
