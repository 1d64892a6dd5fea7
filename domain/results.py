"""Result types shared by the entitlement and comparison rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.explanation import Explanation


@dataclass(frozen=True, slots=True)
class Figure:
    """One amount (kronor per year unless the name says monthly) and how it was calculated."""

    amount: Decimal
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class Contribution:
    """A pension contribution of one period: ``year`` (and ``half`` 1 or 2 for AKAP-KR half-years)."""

    year: int
    agreement: str  # "KAP-KL", "AKAP-KL", "AKAP-KR"
    salary: Decimal  # the pensionable salary the contribution was computed on
    amount: Decimal  # kronor, to the öre
    explanation: Explanation
    half: int | None = None


def collect_unconfirmed(explanation: Explanation) -> tuple[str, ...]:
    """Names of the unconfirmed parameters an explanation (or one it builds on) used."""
    found: list[str] = []
    stack = [explanation]
    while stack:
        current = stack.pop()
        for use in current.parameters:
            if use.unconfirmed and use.name not in found:
                found.append(use.name)
        stack.extend(current.parts)
    return tuple(found)
