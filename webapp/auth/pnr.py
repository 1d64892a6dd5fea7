"""Personal identity numbers (personnummer, SKV 704; samordningsnummer, SKV 707) as they come
from an identity provider: format, check digit and the one century rule we apply."""

from __future__ import annotations

import re
from datetime import date

_TWELVE = re.compile(r"(\d{8})-?(\d{4})")
_TEN = re.compile(r"(\d{6})([-+]?)(\d{4})")


def luhn_ok(ten_digits: str) -> bool:
    """The check digit of SKV 704 §2: Luhn (mod 10) over the 10-digit form YYMMDDNNNC."""
    total = 0
    for index, char in enumerate(ten_digits[:9]):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(ten_digits[9])


def _date_ok(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    if day > 60:  # samordningsnummer: the day of birth plus 60 (SKV 707)
        day -= 60
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_valid_pnr(value: str) -> bool:
    """A 12-digit number (YYYYMMDDNNNC) with a real date and a correct check digit."""
    return bool(re.fullmatch(r"\d{12}", value)) and _date_ok(value[:8]) and luhn_ok(value[2:])


def normalise_pnr(value: str, today: date) -> str | None:
    """The 12-digit form, or None when the value is not a valid number.

    12 digits (with or without a hyphen) are taken as they are. A 10-digit value gets its century
    by the rule of SKV 704 §3: a ``+`` separator marks a person aged 100 or more; otherwise the
    person is younger than 100, i.e. the latest century that does not put the birth in the future.
    """
    text = value.strip()
    if match := _TWELVE.fullmatch(text):
        candidate = match.group(1) + match.group(2)
        return candidate if is_valid_pnr(candidate) else None
    match = _TEN.fullmatch(text)
    if not match:
        return None
    yymmdd, separator, serial = match.groups()
    for century in (today.year // 100, today.year // 100 - 1, today.year // 100 - 2):
        candidate = f"{century:02d}{yymmdd}{serial}"
        if not _date_ok(candidate[:8]):
            return None
        born = candidate[:8]
        day = int(born[6:8])
        birth = date(int(born[:4]), int(born[4:6]), day - 60 if day > 60 else day)
        if birth > today:
            continue
        hundred = date(birth.year + 100, birth.month, 28 if (birth.month, birth.day) == (2, 29) else birth.day)
        if (separator == "+") == (today >= hundred):
            return candidate if is_valid_pnr(candidate) else None
    return None
