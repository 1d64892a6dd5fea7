"""Money helpers: Decimal kronor, rounded where the rules round and nowhere else.

Administrators publish monthly thresholds as the yearly amount / 12 rounded half up to whole
kronor (domain-spec section 1 and W1: 7.5 IBB 2023 = 557 250 / 12 = 46 437.50 -> 46 438, as SKR,
KPA and OFR publish; one Saco page truncates to 46 437, which this project does not follow).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KRONA = Decimal(1)
ORE = Decimal("0.01")
_TWELVE = Decimal(12)


def round_krona(amount: Decimal) -> Decimal:
    """Round to whole kronor, half up (46 437.50 -> 46 438; -0.5 -> -1)."""
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP)


def round_ore(amount: Decimal) -> Decimal:
    """Round to whole öre, half up (for contributions, which insurers book in öre)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def monthly(yearly: Decimal) -> Decimal:
    """A yearly amount as a monthly amount in whole kronor (yearly / 12, half up; spec W1-W4)."""
    return round_krona(yearly / _TWELVE)
