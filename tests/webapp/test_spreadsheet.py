"""Downloads: text a spreadsheet would run as a formula is neutralised; numbers stay numbers."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from webapp.spreadsheet import csv_bytes, neutralise, xlsx_bytes


@pytest.mark.parametrize("text", ["=1+1", "+46", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_starting_like_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Anna", "", Decimal("-5"), 3, None])
def test_other_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_csv_is_semicolon_separated_utf8_with_bom_and_decimal_comma():
    body = csv_bytes(["Namn", "Lön"], [["=evil()", Decimal("412000.50")]])
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig") == "Namn;Lön\r\n'=evil();412000,50\r\n"


def test_xlsx_has_numbers_as_numbers_and_text_as_inline_strings():
    body = xlsx_bytes(["Namn", "Lön"], [["+1 <b>", Decimal("10")]])
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.testzip() is None
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B2"><v>10</v></c>' in sheet
    assert "'+1 &lt;b&gt;" in sheet
