""""How was this calculated?" loaded when it is opened, on the employee's own pages.

My pension, the comparison and the simulation show dozens of figures, each with an explanation
that nests parts, inputs and dated parameters. Rendered inline, the explanations made most of a
page's size and half of its first rendering. Instead each disclosure carries a link to its
explanation: without JavaScript the person opens the disclosure and follows the link to a page
of its own; with htmx the explanation is loaded into the disclosure as it opens.

A link names its explanation by number: the place of the explanation among all those reachable
from the page's figures, in a fixed order (``_explanations``). Computing the figures again is
cheap next to rendering them, so the explanation's page computes them and takes that number.
The number comes with a check of what the figures were computed from (the register rows and the
day, or the page's data version), keyed with the app's secret, so that:

- the address holds nothing of the person's figures;
- every process on every host finds the same explanation (the order depends on the figures
  only, never on memory addresses or the process's string hashing: sets are not entered);
- a link to figures that no longer hold (the register changed since the page was shown) is not
  followed, and the person is told to reload the page rather than shown another figure's workings.

A disclosure whose explanation is not reachable from the page's figures (made on the fly by a
template, say) keeps the explanation inside, as the staff's pages do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cached_property

from flask import current_app, url_for

from domain import Explanation

_ATOMS = (str, bytes, int, float, Decimal, date, type(None))
_SLOT = "explanation-slot"  # in the page's one URL, where each link's ``at`` goes (the path comes first)


def check_of(basis: object) -> str:
    """A short keyed digest of what the figures were computed from (``basis``: a repr-stable value)."""
    secret = hashlib.sha256(b"explanation-links\0" + str(current_app.config["SECRET_KEY"]).encode()).digest()
    return hmac.new(secret, repr(basis).encode(), "sha256").hexdigest()[:16]


class ExplanationLinks:
    """The links of one page's explanations, set as ``g.explanation_links`` before the page's
    figures are rendered (``explanation_disclosure`` in webapp/explanation_html.py uses it)."""

    def __init__(self, roots: Iterable[object] | Callable[[], Iterable[object]], endpoint: str, basis: object,
                 **args: str) -> None:
        self._roots = roots  # or a function giving them, called only when a link is asked for
        self._url = url_for(endpoint, at=_SLOT, **args)
        self._check = check_of(basis)

    @cached_property
    def _numbers(self) -> dict[int, int]:
        # By id: the explanations live as long as the figures the page renders from.
        roots = self._roots() if callable(self._roots) else self._roots
        return {id(e): n for n, e in enumerate(_explanations(roots))}

    def url(self, explanation: Explanation) -> str | None:
        number = self._numbers.get(id(explanation))
        return None if number is None else self._url.replace(_SLOT, f"{number}-{self._check}", 1)


def find(roots: Iterable[object], at: str, basis: object) -> Explanation | None:
    """The explanation a link's ``at`` names among those reachable from ``roots``, or None when the
    link is malformed or was made from other figures than ``basis`` gives now."""
    number, _, check = at.partition("-")
    if not number.isdigit() or not hmac.compare_digest(check, check_of(basis)):
        return None
    wanted = int(number)
    for n, explanation in enumerate(_explanations(roots)):
        if n == wanted:
            return explanation
    return None


def _explanations(roots: Iterable[object]) -> Iterator[Explanation]:
    """Every Explanation reachable from the roots through dataclasses, tuples, lists and dict
    values, parts included (a page may link a part of a larger explanation), in an order fixed by
    the values alone. Sets are not entered (their order varies between processes), nor objects of
    other kinds (the ORM's rows, say)."""
    seen: set[int] = set()
    stack = list(reversed(tuple(roots)))
    while stack:
        value = stack.pop()
        if isinstance(value, _ATOMS) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, Explanation):
            yield value
            stack.extend(reversed(value.parts))
        elif isinstance(value, (tuple, list)):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            stack.extend(reversed(value.values()))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            stack.extend(getattr(value, f.name) for f in reversed(dataclasses.fields(value)))
