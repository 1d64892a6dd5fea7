"""Dated parameters as data: every yearly value, rate and limit lives in ``domain/parameters/*.toml``.

A parameter is a list of values, each with the date it applies from and its source (the OpenFisca
pattern, see shared/style.md). Code asks for a parameter *at a date*; a date before the first value,
or after the last value of a parameter marked ``period = "year"``, raises ``MissingParameter``: a
clear error, never a guess. A value that the sources do not confirm carries ``unconfirmed = true``;
the returned ``ParameterUse`` keeps the flag so that every result built on it can say so.

File format (one TOML table per parameter)::

    [inkomstbasbelopp]
    period = "year"            # optional: each value applies to its calendar year only
    description = "..."
    values = [
      { from = 2001-01-01, value = 37700, source = "[S7] ...", unconfirmed = false },
    ]

A value may instead be a ``table`` keyed by birth year (``"1958"``, ``"-1946"`` = that year and
earlier, ``"1967-"`` = that year and later, ``"1974-1975"`` = a range); ask for it with ``key=``.
"""

from __future__ import annotations

import bisect
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from domain.explanation import ParameterUse

PARAMETER_DIR = Path(__file__).with_name("parameters")


class MissingParameter(LookupError):  # noqa: N818 - the interface's name
    """No value of ``name`` applies at ``at`` (or for ``key``)."""

    def __init__(self, name: str, at: date, key: int | None = None):
        self.name = name
        self.at = at
        self.key = key
        where = f" for {key}" if key is not None else ""
        super().__init__(f"parameter {name!r} has no value at {at.isoformat()}{where}")


@dataclass(frozen=True, slots=True)
class _Value:
    applies_from: date
    value: Decimal | str | None
    table: tuple[tuple[int, int, Decimal], ...] | None  # (first key, last key, value); open ends as bounds
    source: str
    unconfirmed: bool


@dataclass(frozen=True, slots=True)
class _Parameter:
    name: str
    description: str
    yearly: bool
    values: tuple[_Value, ...]
    starts: tuple[date, ...]


_OPEN_LOW = -(10**6)
_OPEN_HIGH = 10**6


def _to_value(raw: object) -> Decimal | str:
    if isinstance(raw, bool):
        raise TypeError("booleans are not parameter values")
    if isinstance(raw, int | str) and not isinstance(raw, bool):
        try:
            return Decimal(str(raw))
        except ArithmeticError:
            return str(raw)
    if isinstance(raw, float):
        raise TypeError("write fractional parameter values as strings, e.g. \"0.045\" (exact Decimal)")
    return str(raw)


def _parse_key(key: str) -> tuple[int, int]:
    if key.startswith("-"):
        return _OPEN_LOW, int(key[1:])
    if key.endswith("-"):
        return int(key[:-1]), _OPEN_HIGH
    if "-" in key:
        first, last = key.split("-")
        return int(first), int(last)
    return int(key), int(key)


def _load_file(path: Path) -> dict[str, _Parameter]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    found: dict[str, _Parameter] = {}
    for name, spec in data.items():
        if not isinstance(spec, dict) or "values" not in spec:
            continue  # e.g. choice_campaigns.toml, read by domain.campaign
        values = []
        for raw in spec["values"]:
            table = None
            value = None
            if "table" in raw:
                table = tuple(
                    sorted((*_parse_key(k), Decimal(str(v))) for k, v in raw["table"].items())
                )
            else:
                value = _to_value(raw["value"])
            values.append(
                _Value(
                    applies_from=raw["from"],
                    value=value,
                    table=table,
                    source=raw["source"],
                    unconfirmed=bool(raw.get("unconfirmed", False)),
                )
            )
        values.sort(key=lambda v: v.applies_from)
        found[name] = _Parameter(
            name=name,
            description=spec.get("description", ""),
            yearly=spec.get("period") == "year",
            values=tuple(values),
            starts=tuple(v.applies_from for v in values),
        )
    return found


@lru_cache(maxsize=1)
def _registry() -> dict[str, _Parameter]:
    registry: dict[str, _Parameter] = {}
    for path in sorted(PARAMETER_DIR.glob("*.toml")):
        for name, param in _load_file(path).items():
            if name in registry:
                raise ValueError(f"parameter {name!r} is defined twice (second time in {path.name})")
            registry[name] = param
    return registry


def parameter_names() -> tuple[str, ...]:
    """Every parameter the files define (for documentation pages and tests)."""
    return tuple(sorted(_registry()))


def describe(name: str) -> str:
    return _registry()[name].description


@lru_cache(maxsize=8192)
def parameter(name: str, at: date, key: int | None = None) -> ParameterUse:
    """The value of parameter ``name`` that applies on ``at`` (for table parameters: at ``key``).

    Raises ``MissingParameter`` when no value applies; never extrapolates.
    """
    param = _registry().get(name)
    if param is None:
        raise MissingParameter(name, at, key)
    index = bisect.bisect_right(param.starts, at) - 1
    if index < 0:
        raise MissingParameter(name, at, key)
    entry = param.values[index]
    if param.yearly and entry.applies_from.year != at.year:
        raise MissingParameter(name, at, key)
    if entry.table is not None:
        if key is None:
            raise MissingParameter(name, at, key)
        for first, last, value in entry.table:
            if first <= key <= last:
                return ParameterUse(
                    name=f"{name}[{key}]",
                    value=value,
                    applies_from=entry.applies_from,
                    source=entry.source,
                    unconfirmed=entry.unconfirmed,
                )
        raise MissingParameter(name, at, key)
    return ParameterUse(
        name=name,
        value=entry.value,
        applies_from=entry.applies_from,
        source=entry.source,
        unconfirmed=entry.unconfirmed,
    )


def value(name: str, at: date, key: int | None = None) -> Decimal:
    """Shortcut: the Decimal value of ``parameter(name, at, key)``."""
    found = parameter(name, at, key).value
    if not isinstance(found, Decimal):
        raise TypeError(f"parameter {name!r} is not a number")
    return found


def ibb(year: int) -> ParameterUse:
    """Inkomstbasbelopp of a calendar year (domain-spec section 1; none before 2001)."""
    return parameter("inkomstbasbelopp", date(year, 1, 1))


def pbb(year: int) -> ParameterUse:
    """Prisbasbelopp of a calendar year (domain-spec section 1)."""
    return parameter("prisbasbelopp", date(year, 1, 1))


def forhojt_pbb(year: int) -> ParameterUse:
    """Förhöjt prisbasbelopp of a calendar year (domain-spec section 1)."""
    return parameter("forhojt_prisbasbelopp", date(year, 1, 1))
