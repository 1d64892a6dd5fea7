"""The "How was this calculated?" disclosure as HTML, built in Python.

A page of figures shows dozens of these, each with nested parts, inputs and dated parameters;
as a recursive Jinja macro they took most of the page's rendering time. The markup is the same
as the macro's was (``templates/_explanation.html`` now calls this): sources, notes and formulas
are the domain's own English text, marked ``lang="en"`` so that a screen reader reads them in
English on the Swedish pages. Every text is escaped.

On the employee's own pages the disclosure holds only a link, and the explanation is loaded when
it is opened (``explanation_disclosure``; webapp/explanation_links.py says why and how).
"""

from __future__ import annotations

from flask import g
from markupsafe import Markup, escape

from domain import Explanation
from webapp.explanations import ExplanationView, _l, explanation_view, rule_title
from webapp.i18n import format_day, translate

# Message ids (extracted by scripts/i18n.py; outside the f-strings, where the extractor cannot see them).
HOW = _l("How was this calculated?")
NOTE = _l("Note:")
UNCONFIRMED_NOTE = _l("This figure uses a value that our sources do not confirm. Treat it as preliminary.")
INPUTS = _l("Inputs")
PARAMETERS = _l("Parameters")
APPLIES_FROM = _l("applies from %(day)s")
SOURCE_LOWER = _l("source:")
UNCONFIRMED = _l("unconfirmed")
CALCULATION = _l("Calculation")
RULE = _l("Rule: %(rule)s.")
SOURCE = _l("Source:")
SHOW_CALCULATION = _l("Show the calculation")


def explanation_disclosure(explanation: Explanation, summary: str | None = None, depth: int = 3) -> Markup:
    """The disclosure of one figure: loaded when opened where the page links its explanations
    (``g.explanation_links``, webapp/explanation_links.py), else with the explanation inside."""
    links = g.get("explanation_links")
    url = links.url(explanation) if links is not None else None
    if url is None:
        return explanation_html(explanation_view(explanation, depth), summary)
    title = escape(rule_title(explanation.rule))
    label = escape(summary) if summary else escape(translate(HOW))
    url = escape(url)
    hidden_title = f'<span class="visually-hidden"> ({title})</span>'
    # htmx loads the explanation into the body as the disclosure opens; without JavaScript the
    # body holds a link to the explanation's own page (htmx keeps it when the link is stale).
    return Markup(
        f'<details class="explanation" hx-get="{url}" hx-trigger="toggle once" hx-target="find .explanation-body">\n'
        f"  <summary>{label}{hidden_title}</summary>\n"
        f'  <div class="explanation-body">\n    <p><a href="{url}">{escape(translate(SHOW_CALCULATION))}{hidden_title}</a></p>\n'
        "  </div>\n</details>"
    )


def explanation_html(view: ExplanationView, summary: str | None = None, nested: bool = False) -> Markup:
    out: list[str] = []
    _write(out, view, summary, nested)
    return Markup("".join(out))


def explanation_body_html(view: ExplanationView) -> Markup:
    """What a disclosure shows when open: for htmx to load into it, and for the explanation's page."""
    out: list[str] = []
    _write_body(out, view, False)
    return Markup("".join(out))


def _write(out: list[str], view: ExplanationView, summary: str | None, nested: bool) -> None:
    title = escape(view.title)
    label = escape(summary) if summary else escape(translate(HOW))
    out.append(f'<details class="explanation{" explanation-part" if nested else ""}">\n  <summary>{label}')
    out.append(f": {title}</summary>" if nested else f'<span class="visually-hidden"> ({title})</span></summary>')
    out.append('\n  <div class="explanation-body">\n')
    _write_body(out, view, nested)
    out.append("  </div>\n</details>")


def _write_body(out: list[str], view: ExplanationView, nested: bool) -> None:
    title = escape(view.title)
    if not nested:
        out.append(f"    <p><strong>{title}</strong></p>\n")
    if view.unconfirmed:
        out.append(f'    <p class="caveat"><strong>{escape(translate(NOTE))}</strong> '
                   f'{escape(translate(UNCONFIRMED_NOTE))}</p>\n')
    if view.inputs:
        out.append(f'    <p class="explanation-heading"><strong>{escape(translate(INPUTS))}</strong></p>\n'
                   '    <dl class="explanation-list">\n')
        out.extend(f"      <div><dt>{escape(name)}</dt><dd>{escape(value)}</dd></div>\n" for name, value in view.inputs)
        out.append("    </dl>\n")
    if view.parameters:
        out.append(f'    <p class="explanation-heading"><strong>{escape(translate(PARAMETERS))}</strong></p>\n'
                   '    <ul class="explanation-parameters">\n')
        applies_from = translate(APPLIES_FROM)
        source = escape(translate(SOURCE_LOWER))
        unconfirmed = f' <span class="tag tag-bad">{escape(translate(UNCONFIRMED))}</span>'
        for p in view.parameters:
            out.append(f"      <li>{escape(p.label)}: <strong>{escape(p.value)}</strong> "
                       f"({escape(applies_from % {'day': format_day(p.applies_from)})}; {source} "
                       f'<span lang="en">{escape(p.source)}</span>){unconfirmed if p.unconfirmed else ""}</li>\n')
        out.append("    </ul>\n")
    if view.formula:
        out.append(f'    <p class="explanation-heading"><strong>{escape(translate(CALCULATION))}</strong></p>\n'
                   f'    <p><code class="formula" lang="en">{escape(view.formula)}</code></p>\n')
    rule = escape(translate(RULE) % {"rule": view.title})
    out.append(f'    <p class="explanation-source">{rule} {escape(translate(SOURCE))} '
               f'<span lang="en">{escape(view.source)}</span></p>\n')
    if view.notes:
        out.append('    <ul class="explanation-notes" lang="en">\n')
        out.extend(f"      <li>{escape(note)}</li>\n" for note in view.notes)
        out.append("    </ul>\n")
    for part in view.parts:
        _write(out, part, None, True)
        out.append("\n")
