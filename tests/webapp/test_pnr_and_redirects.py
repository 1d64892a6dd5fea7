"""Personal identity numbers from the provider, and the after-login redirect, under any input."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.auth.pnr import is_valid_pnr, normalise_pnr
from webapp.auth.views import safe_next

TODAY = date(2023, 4, 20)


@pytest.mark.parametrize("value, expected", [
    ("196503129824", "196503129824"),
    ("19650312-9824", "196503129824"),
    ("650312-9824", "196503129824"),  # SKV 704: '-' means younger than 100
    ("6503129824", "196503129824"),
    ("196503129825", None),  # wrong check digit
    ("196513129824", None),  # month 13
    ("650312+9824", "186503129824"),  # '+' means 100 or older: the latest such century
])
def test_personal_identity_numbers_are_normalised_to_twelve_digits_by_the_century_rule(value, expected):
    assert normalise_pnr(value, TODAY) == expected


def test_a_plus_sign_marks_a_person_aged_one_hundred_or_more():
    # 1920-01-01, serial 980 + check digit, written with '+' as SKV 704 §3 requires at 100+.
    twelve = next(f"19200101980{d}" for d in range(10) if is_valid_pnr(f"19200101980{d}"))
    assert normalise_pnr(twelve[2:8] + "+" + twelve[8:], TODAY) == twelve
    assert normalise_pnr(twelve[2:8] + "-" + twelve[8:], TODAY) == "20" + twelve[2:]  # '-': a child born 2020


def test_a_samordningsnummer_is_accepted():
    number = next(f"19650372980{d}" for d in range(10) if is_valid_pnr(f"19650372980{d}"))  # day 12 + 60
    assert normalise_pnr(number, TODAY) == number


@given(st.text(max_size=40))
def test_any_claim_value_gives_a_valid_number_or_none(value):
    result = normalise_pnr(value, TODAY)
    assert result is None or is_valid_pnr(result)


@given(st.text(max_size=80))
def test_the_after_login_redirect_never_leaves_the_site(target):
    result = safe_next(target)
    parts = urlsplit(result)
    assert result.startswith("/") and not result.startswith(("//", "/\\"))
    assert not parts.scheme and not parts.netloc
    assert not any(ord(char) < 32 for char in result)
