"""Redirect targets taken from a request: only paths on this site are followed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def safe_path(target: str | None, fallback: str) -> str:
    """Follow only a path on this site: no scheme, no host, no ``//`` or ``/\\`` (which browsers
    read as another host), no control characters."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if re.search(r"[\x00-\x1f\x7f\\]", target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
