"""The salary file layout (docs/salary-file-format.md): one row per person, employer and year.

Reads what payroll systems really produce — semicolon or comma separated, UTF-8 with or without
BOM or Windows-1252, Swedish decimal commas, CRLF or LF line ends — as a stream: rows are yielded
one at a time and no line is read beyond ``MAX_LINE_CHARS``, so memory does not grow with the file.

Problems are reported as ``Problem(row, column, code, params)``; the web layer turns the code into
a message in the reader's language. Row 1 is the header line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from domain import InvalidPersonalIdentityNumber, parse_pnr

MAX_LINE_CHARS = 10_000  # a real row is < 200 characters; a longer line is not a salary row
SNIFF_BYTES = 64 * 1024

# Column name → meaning. Names are matched case-insensitively, order is free.
COLUMNS = {
    "personnummer": "personal identity number, 12 digits (YYYYMMDDNNNN) or with a hyphen",
    "fornamn": "given name (needed for a person not yet in the register)",
    "efternamn": "family name (needed for a person not yet in the register)",
    "ar": "the calendar year the salary was paid",
    "lon": "pensionable salary paid in the year, kronor",
    "lonform": "manad (monthly paid) or timme (hourly paid)",
    "heltidslon": "hourly paid: the salary converted to full time, kronor (required for timme)",
    "sysselsattningsgrad": "employment degree in percent, above 0 and at most 100",
    "anstallning_from": "first day of the employment, YYYY-MM-DD",
    "anstallning_tom": "last day of the employment, YYYY-MM-DD (empty while it lasts)",
}
REQUIRED = ("personnummer", "ar", "lon", "lonform", "sysselsattningsgrad", "anstallning_from")
PAY_TYPES = {"manad": "monthly", "månad": "monthly", "monthly": "monthly", "timme": "hourly", "hourly": "hourly"}
ALIASES = {"förnamn": "fornamn", "år": "ar", "lön": "lon", "lönform": "lonform", "heltidslön": "heltidslon",
           "sysselsättningsgrad": "sysselsattningsgrad"}
YEAR_RANGE = (1960, 2100)
MAX_AMOUNT = Decimal("1e12")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DAY = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


@dataclass(frozen=True)
class Problem:
    row: int | None  # line number of the record in the file (1 = header); None for the whole file
    column: str | None
    code: str  # see webapp/register/messages.py for the wording
    params: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SalaryRow:
    row: int
    pnr: str  # 12 digits
    birth_date: date
    given_name: str
    family_name: str
    year: int
    salary: Decimal
    pay_type: str  # monthly | hourly
    full_time_salary: Decimal | None
    degree: Decimal
    employment_start: date
    employment_end: date | None


class FileRejected(Exception):
    """The file as a whole cannot be read (not text, empty, wrong columns, a runaway line)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


def detect_encoding(data: bytes) -> str:
    """utf-8-sig when a BOM is present, utf-8 when the whole file decodes as such, else cp1252.

    A NUL byte or bytes that are not Windows-1252 either mean a binary file."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in data[:SNIFF_BYTES]:
        raise FileRejected(Problem(None, None, "file_not_text"))
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):  # in pieces: no second full copy of the file
            decoder.decode(data[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start:start + (1 << 20)])
    except UnicodeDecodeError:
        raise FileRejected(Problem(None, None, "file_not_text")) from None
    return "cp1252"


def _lines(text: io.TextIOBase) -> Iterator[str]:
    """The lines of the file, refusing a line longer than MAX_LINE_CHARS without reading it all."""
    number = 0
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise FileRejected(Problem(number, None, "line_too_long", {"limit": MAX_LINE_CHARS}))
        yield line


def _separator(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") else ","


def _normalise_column(name: str) -> str:
    name = name.strip().strip('"').strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(name, name)


def parse_decimal(text: str) -> Decimal:
    """`12 345,50`, `12345.50`, `12345` → Decimal. Spaces (also no-break) group thousands;
    one comma or point is the decimal sign. Raises ValueError otherwise."""
    cleaned = _SPACES.sub("", text)
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise ValueError(text)
    cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_day(text: str) -> date:
    """YYYY-MM-DD or YYYYMMDD; a date that does not exist (2023-02-30) raises ValueError."""
    match = _DAY.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


@dataclass
class Progress:
    """Where the reader is in the file, for a progress bar."""

    size: int
    position: int = 0

    @property
    def percent(self) -> int:
        return 100 if self.size == 0 else min(100, self.position * 100 // self.size)


def read_rows(data: bytes, today: date, progress: Progress | None = None) -> Iterator[SalaryRow | Problem]:
    """Yield each data row as a ``SalaryRow``, or the ``Problem``s that stop it from being one.

    Raises ``FileRejected`` when the file as a whole cannot be read."""
    if not data.strip():
        raise FileRejected(Problem(None, None, "file_empty"))
    encoding = detect_encoding(data)
    raw = io.BytesIO(data)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    lines = _lines(text)
    header_line = next(lines, "")
    if not header_line.strip():
        raise FileRejected(Problem(1, None, "file_empty"))
    separator = _separator(header_line)
    header = [_normalise_column(name) for name in next(csv.reader([header_line], delimiter=separator))]
    unknown = [name for name in header if name and name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing:
        raise FileRejected(Problem(1, None, "wrong_columns", {
            "missing": ", ".join(missing), "unknown": ", ".join(unknown)}))
    reader = csv.reader(lines, delimiter=separator, strict=True)
    row_number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # The csv module stops at a quote that never closes: the rest of the file is one field.
            raise FileRejected(Problem(row_number + 1, None, "unclosed_quote")) from None
        row_number = reader.line_num + 1  # the header line was read before the reader
        if progress is not None:
            progress.position = raw.tell()
        if not any(cell.strip() for cell in cells):
            continue  # blank line, e.g. at the end of the file
        if len(cells) != len(header):
            yield Problem(row_number, None, "wrong_cell_count", {"expected": len(header), "found": len(cells)})
            continue
        yield from _row(row_number, dict(zip(header, cells, strict=True)), today)


@lru_cache(maxsize=4096)
def _pnr(text: str, today: date):
    """Parsed once per distinct number: a person's rows follow each other in a payroll file."""
    try:
        pnr = parse_pnr(text, today)
    except InvalidPersonalIdentityNumber as error:
        return error.reason
    return pnr.digits, pnr.birth_date


def _row(number: int, raw: dict[str, str], today: date) -> Iterator[SalaryRow | Problem]:
    problems: list[Problem] = []
    values: dict = {}
    cells = {name: value.strip() for name, value in raw.items()}
    get = cells.get

    for name in REQUIRED:
        if not cells[name]:
            problems.append(Problem(number, name, "required"))
    if cells["personnummer"]:
        parsed = _pnr(cells["personnummer"], today)
        if isinstance(parsed, str):
            problems.append(Problem(number, "personnummer", f"pnr_{parsed}"))
        else:
            values["pnr"], values["birth_date"] = parsed
    year = cells["ar"]
    if year:
        if year.isdigit() and YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
            values["year"] = int(year)
        else:
            problems.append(Problem(number, "ar", "bad_year"))
    for name, key in (("lon", "salary"), ("heltidslon", "full_time_salary")):
        text = get(name)
        if text:
            try:
                amount = parse_decimal(text)
            except ValueError:
                problems.append(Problem(number, name, "bad_number"))
                continue
            if amount < 0:
                problems.append(Problem(number, name, "negative_amount"))
            elif amount >= MAX_AMOUNT or amount.as_tuple().exponent < -2:
                problems.append(Problem(number, name, "bad_amount"))
            else:
                values[key] = amount
    if cells["lonform"]:
        pay_type = PAY_TYPES.get(cells["lonform"].lower())
        if pay_type is None:
            problems.append(Problem(number, "lonform", "bad_pay_type"))
        else:
            values["pay_type"] = pay_type
            if pay_type == "hourly" and not get("heltidslon"):
                problems.append(Problem(number, "heltidslon", "full_time_required"))
    if cells["sysselsattningsgrad"]:
        try:
            degree = parse_decimal(cells["sysselsattningsgrad"].rstrip("%"))
        except ValueError:
            problems.append(Problem(number, "sysselsattningsgrad", "bad_number"))
        else:
            if 0 < degree <= 100:
                values["degree"] = degree
            else:
                problems.append(Problem(number, "sysselsattningsgrad", "bad_degree"))
    for name, key in (("anstallning_from", "employment_start"), ("anstallning_tom", "employment_end")):
        text = get(name)
        if text:
            try:
                values[key] = parse_day(text)
            except ValueError:
                problems.append(Problem(number, name, "bad_date"))
    if problems:
        yield from problems
        return
    yield SalaryRow(
        row=number,
        pnr=values["pnr"],
        birth_date=values["birth_date"],
        given_name=get("fornamn") or "",
        family_name=get("efternamn") or "",
        year=values["year"],
        salary=values["salary"],
        pay_type=values["pay_type"],
        full_time_salary=values.get("full_time_salary"),
        degree=values["degree"],
        employment_start=values["employment_start"],
        employment_end=values.get("employment_end"),
    )
