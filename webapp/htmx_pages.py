"""Pages that htmx updates in place: the same URL answers with the part that changes (for htmx)
or with the whole page (for a browser without JavaScript, a bookmark or htmx's history restore)."""

from __future__ import annotations

from flask import Response, make_response, render_template
from htmx_flask import request


def wants_fragment() -> bool:
    """An htmx request that swaps a part of the page; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def vary_on_htmx(response: Response) -> Response:
    """The same URL answers with a fragment or a page: caches must keep them apart."""
    response.vary.add("HX-Request")
    return response


def page_or_fragment(page_template: str, fragment_template: str, /, **context) -> Response:
    template = fragment_template if wants_fragment() else page_template
    return vary_on_htmx(make_response(render_template(template, **context)))
