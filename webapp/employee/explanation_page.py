"""The answer to a "How was this calculated?" link (webapp/explanation_links.py): the explanation
for htmx to load into the opened disclosure, or a page of its own without JavaScript."""

from __future__ import annotations

from flask import make_response, render_template

from domain import Explanation
from webapp.explanation_html import explanation_body_html
from webapp.explanations import explanation_view
from webapp.htmx_pages import vary_on_htmx, wants_fragment


def explanation_page(explanation: Explanation | None, back_url: str, back_label: str):
    if explanation is None:
        # The figures changed since the page was shown (or the link is not one of ours).
        return render_template("employee/explanation_gone.html", back_url=back_url, back_label=back_label), 404
    view = explanation_view(explanation)
    if wants_fragment():
        return vary_on_htmx(make_response(explanation_body_html(view)))
    return vary_on_htmx(make_response(render_template(
        "employee/explanation.html", view=view, body=explanation_body_html(view), back_url=back_url,
        back_label=back_label)))
