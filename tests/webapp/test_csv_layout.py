"""The salary file parser on its own: what payroll systems produce, and every bad file."""

from __future__ import annotations

import codecs
from datetime import date
from decimal import Decimal

import pytest

from tests.register_support import ANNA, HEADER, csv_file
from webapp.importing.csv_layout import (
    MAX_LINE_CHARS,
    FileRejected,
    Problem,
    SalaryRow,
    parse_decimal,
    read_rows,
)

TODAY = date(2023, 4, 20)
ROW = f"{ANNA};Åsa;Öberg;2022;\"612 000,50\";manad;;100;2001-01-01;"


def parse(data: bytes) -> list:
    return list(read_rows(data, TODAY))


def only_row(data: bytes) -> SalaryRow:
    items = parse(data)
    assert len(items) == 1 and isinstance(items[0], SalaryRow), items
    return items[0]


def problems(data: bytes) -> list[tuple]:
    return [(p.row, p.column, p.code) for p in parse(data) if isinstance(p, Problem)]


def rejected(data: bytes) -> Problem:
    with pytest.raises(FileRejected) as caught:
        parse(data)
    return caught.value.problem


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_reads_utf8_with_and_without_bom_and_windows_1252(encoding):
    row = only_row(csv_file(ROW, encoding=encoding))
    assert (row.given_name, row.family_name) == ("Åsa", "Öberg")


def test_a_bom_is_not_part_of_the_first_column_name():
    data = codecs.BOM_UTF8 + csv_file(ROW)
    assert only_row(data).pnr == ANNA


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_reads_crlf_and_lf_line_ends(newline):
    assert only_row(csv_file(ROW, newline=newline)).salary == Decimal("612000.50")


def test_reads_comma_separated_with_quoted_decimal_comma():
    header = HEADER.replace(";", ",")
    row = f'{ANNA},Anna,Andersson,2022,"612000,50",manad,,"62,5",2001-01-01,'
    parsed = only_row(csv_file(row, header=header))
    assert parsed.salary == Decimal("612000.50")
    assert parsed.degree == Decimal("62.5")


@pytest.mark.parametrize(("text", "value"), [
    ("412 000,50", "412000.50"), ("412000.5", "412000.5"), ("412\u00a0000", "412000"), ("0", "0"),
])
def test_amounts_accept_swedish_decimal_comma_and_spaces(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.234,50", "12a", "", "1,2,3"])
def test_amounts_that_are_not_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_hourly_paid_row_carries_the_full_time_salary():
    row = only_row(csv_file(f"{ANNA};Anna;Andersson;2022;200000;timme;400000;100;2001-01-01;2022-12-31"))
    assert (row.pay_type, row.full_time_salary, row.employment_end) == ("hourly", Decimal(400000), date(2022, 12, 31))


def test_column_order_is_free_and_names_are_case_insensitive():
    header = "AR;Personnummer;Lon;Lonform;Sysselsattningsgrad;Anstallning_from"
    row = only_row(csv_file("2022;19650312-9824;500000;manad;100;20010101", header=header))
    assert (row.year, row.pnr, row.employment_start) == (2022, ANNA, date(2001, 1, 1))


@pytest.mark.parametrize(("cells", "column", "code"), [
    ("196503129825;Anna;Andersson;2022;1;manad;;100;2001-01-01;", "personnummer", "pnr_check_digit"),
    ("19650399-9824;Anna;Andersson;2022;1;manad;;100;2001-01-01;", "personnummer", "pnr_date"),
    ("abc;Anna;Andersson;2022;1;manad;;100;2001-01-01;", "personnummer", "pnr_format"),
    (f"{ANNA};Anna;Andersson;2022;-1;manad;;100;2001-01-01;", "lon", "negative_amount"),
    (f"{ANNA};Anna;Andersson;2022;12x;manad;;100;2001-01-01;", "lon", "bad_number"),
    (f"{ANNA};Anna;Andersson;2022;1,234;manad;;100;2001-01-01;", "lon", "bad_amount"),
    (f"{ANNA};Anna;Andersson;22;1;manad;;100;2001-01-01;", "ar", "bad_year"),
    (f"{ANNA};Anna;Andersson;2022;1;vecka;;100;2001-01-01;", "lonform", "bad_pay_type"),
    (f"{ANNA};Anna;Andersson;2022;1;timme;;100;2001-01-01;", "heltidslon", "full_time_required"),
    (f"{ANNA};Anna;Andersson;2022;1;manad;;0;2001-01-01;", "sysselsattningsgrad", "bad_degree"),
    (f"{ANNA};Anna;Andersson;2022;1;manad;;101;2001-01-01;", "sysselsattningsgrad", "bad_degree"),
    (f"{ANNA};Anna;Andersson;2022;1;manad;;100;2023-02-30;", "anstallning_from", "bad_date"),
    (f"{ANNA};Anna;Andersson;2022;1;manad;;100;2001-01-01;2023-13-01", "anstallning_tom", "bad_date"),
    (f"{ANNA};Anna;Andersson;;1;manad;;100;2001-01-01;", "ar", "required"),
])
def test_each_bad_value_is_reported_with_row_and_column(cells, column, code):
    assert problems(csv_file(ROW, cells)) == [(3, column, code)]


def test_a_row_with_too_few_values_is_reported():
    assert problems(csv_file(f"{ANNA};Anna;2022")) == [(2, None, "wrong_cell_count")]


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers():
    items = parse(csv_file("", ROW))
    assert [item.row for item in items] == [3]


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\r\n\r\n"])
def test_an_empty_file_is_rejected(data):
    assert rejected(data).code == "file_empty"


def test_a_binary_file_is_rejected():
    assert rejected(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))).code == "file_not_text"


def test_wrong_columns_name_what_is_missing_and_unknown():
    problem = rejected(b"namn;belopp\r\nAnna;1\r\n")
    assert problem.code == "wrong_columns"
    assert "personnummer" in problem.params["missing"] and "belopp" in problem.params["unknown"]


def test_a_huge_single_line_is_rejected_without_reading_it_whole():
    problem = rejected(b"personnummer;" + b"x" * (5 * MAX_LINE_CHARS))
    assert problem.code == "line_too_long"


def test_a_huge_line_after_the_header_is_rejected_with_its_row():
    problem = rejected(csv_file(ROW, "9" * (MAX_LINE_CHARS + 5)))
    assert (problem.code, problem.row) == ("line_too_long", 3)


def test_a_quote_that_never_closes_is_rejected_with_its_row():
    problem = rejected(csv_file(ROW, f'{ANNA};"Anna;Andersson;2022;1;manad;;100;2001-01-01;', ROW))
    assert (problem.code, problem.row) == ("unclosed_quote", 3)
