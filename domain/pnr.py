"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Rules (Skatteverket; folkbokföringslagen 18 §; domain-spec issue 2 "Personal identity numbers"):
- ten digits YYMMDDNNNC or twelve digits YYYYMMDDNNNC, with or without a separator before the
  last four; in the ten-digit form a ``+`` separator means the person has turned 100, so the
  century is one further back;
- a coordination number has 60 added to the day of birth;
- the last digit C is the Luhn check digit over the ten-digit form YYMMDDNNN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{2})?(\d{6})([-+])?(\d{4})$")


class InvalidPersonalIdentityNumber(ValueError):
    """The text is not a valid personal identity number; ``reason`` says why.

    reason: "format" (not 10/12 digits with an optional separator), "date" (no such birth date,
    or a birth date in the future), "check_digit" (the Luhn check digit does not match).
    """

    def __init__(self, reason: str, text: str):
        self.reason = reason
        super().__init__(f"invalid personal identity number ({reason})")
        # The number itself is deliberately not in the message: it must not reach logs.
        self._text = text


@dataclass(frozen=True, slots=True)
class PersonalIdentityNumber:
    digits: str  # twelve digits, no separator, e.g. "198112189876"
    birth_date: date
    is_coordination_number: bool

    def __str__(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"


def luhn_check_digit(nine_digits: str) -> int:
    """The check digit for YYMMDDNNN: weights 2,1,2,...; digit sums; 10 minus the last digit."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def parse_pnr(text: str, today: date | None = None) -> PersonalIdentityNumber:
    """Parse and validate a personal identity number; raises ``InvalidPersonalIdentityNumber``.

    ``today`` decides the century of a ten-digit number (pass ``webapp.clock.today()``).
    """
    today = today or date.today()
    match = _PATTERN.match(text.strip().replace(" ", ""))
    if not match:
        raise InvalidPersonalIdentityNumber("format", text)
    century, yymmdd, separator, last4 = match.groups()
    if century is not None and separator == "+":
        raise InvalidPersonalIdentityNumber("format", text)
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    coordination = dd > 60
    day = dd - 60 if coordination else dd
    if century is not None:
        year = int(century + yymmdd[:2])
    else:
        # The latest year ending in yy whose date is not after today; '+' (turned 100) moves it
        # one further century back.
        year = today.year - (today.year - yy) % 100
        if (mm, day) > (today.month, today.day) and year == today.year:
            year -= 100
        if separator == "+":
            year -= 100
    try:
        birth = date(year, mm, day)
    except ValueError:
        raise InvalidPersonalIdentityNumber("date", text) from None
    if birth > today:
        raise InvalidPersonalIdentityNumber("date", text)
    if luhn_check_digit(yymmdd + last4[:3]) != int(last4[3]):
        raise InvalidPersonalIdentityNumber("check_digit", text)
    return PersonalIdentityNumber(
        digits=f"{year:04d}{mm:02d}{dd:02d}{last4}",
        birth_date=birth,
        is_coordination_number=coordination,
    )
