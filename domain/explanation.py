"""How a figure was calculated: the inputs, the parameters with their dates, and the rule.

Every result of the domain carries an ``Explanation`` so that the site can show "how was this
calculated" without computing anything again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class ParameterUse:
    """One dated parameter value that a calculation used."""

    name: str  # e.g. "inkomstbasbelopp"
    value: Decimal | str
    applies_from: date
    source: str  # e.g. "[S20] Nordea, Aktuella prisbasbelopp"
    unconfirmed: bool = False  # the sources do not confirm this value: the site shows a caveat


@dataclass(frozen=True, slots=True)
class Explanation:
    rule: str  # short name of the rule, e.g. "pensionsunderlag"
    source: str  # agreement and paragraph, or guideline and section
    inputs: tuple[tuple[str, object], ...] = ()
    parameters: tuple[ParameterUse, ...] = ()
    formula: str = ""  # the arithmetic with the actual numbers, e.g. "0.5821 × (600 000 − 532 500)"
    notes: tuple[str, ...] = ()  # reading choices where the sources are unclear
    parts: tuple[Explanation, ...] = field(default=())

    @property
    def unconfirmed(self) -> bool:
        """True when this result or one it builds on used an unconfirmed parameter."""
        return any(p.unconfirmed for p in self.parameters) or any(p.unconfirmed for p in self.parts)
