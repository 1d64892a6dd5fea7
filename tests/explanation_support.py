"""Test helpers: the explanation links of a page; every rule and every input or parameter name an
explanation (and its parts) uses, and the check that each has a translated name, so no code shows
in place of a name on a page."""

from __future__ import annotations

import html
import re

_LINK = re.compile(r'<details class="explanation" hx-get="([^"]+)"')


def explanation_links(page: str) -> list[str]:
    """The addresses of the explanations a page loads when a disclosure is opened, in page order."""
    return [html.unescape(url) for url in _LINK.findall(page)]


class ExplanationNames:
    def __init__(self) -> None:
        self.rules: set[str] = set()
        self.names: set[str] = set()

    def walk(self, explanation) -> None:
        self.rules.add(explanation.rule)
        self.names.update(name for name, _ in explanation.inputs)
        self.names.update(p.name for p in explanation.parameters)
        for part in explanation.parts:
            self.walk(part)

    def assert_all_named(self, app) -> None:
        from webapp.explanations import known_name_label, known_rule_title

        with app.test_request_context(headers={"Accept-Language": "sv"}):
            assert sorted(r for r in self.rules if known_rule_title(r) is None) == []
            assert sorted(n for n in self.names if known_name_label(n) is None) == []
