"""The domain's liability values as JSON and back, for saved calculations.

A saved calculation must reopen unchanged years later, so what it used is stored as data: the
assumptions with their dated parameters, each person's reserve basis (the benefits) and the
explanations. Values are tagged where JSON has no type of its own (Decimal, date, tuple, maps with
non-string keys, the domain's dataclasses); a dataclass this module does not know is stored as its
text, so a new kind of explanation input still saves (and shows as text).
"""

from __future__ import annotations

import dataclasses
import functools
import json
from datetime import date
from decimal import Decimal

from domain import Explanation, ParameterUse, liability


@functools.cache
def _known_classes() -> dict[str, type]:
    """The dataclasses that round-trip by name; liability classes only when the domain has them."""
    names = ("ParameterUse", "Explanation", "LiabilityAssumptions", "BenefitRight", "ReservePart",
             "LiabilityTotals", "ReserveBasis")
    classes = {"ParameterUse": ParameterUse, "Explanation": Explanation}
    for name in names:
        cls = getattr(liability, name, None)
        if cls is not None and dataclasses.is_dataclass(cls):
            classes[name] = cls
    return classes


def encode(value):
    """A JSON-ready form of ``value``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$t": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, set | frozenset):
        return {"$t": [encode(v) for v in sorted(value, key=str)]}
    if isinstance(value, dict):
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name in _known_classes():
            fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            return {"$": name, **fields}
        return {"$": "?", "text": str(value)}
    if isinstance(value, float):
        return {"$d": repr(value)}  # never expected: money is Decimal
    return str(value)


def decode(value):
    """The inverse of ``encode``."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$d" in value:
        return Decimal(value["$d"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$t" in value:
        return tuple(decode(v) for v in value["$t"])
    if "$map" in value:
        return {decode(k): decode(v) for k, v in value["$map"]}
    if "$" in value:
        name = value["$"]
        cls = _known_classes().get(name)
        if cls is None:
            return value.get("text", "")
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        return cls(**{k: decode(v) for k, v in value.items() if k in names})
    return {k: decode(v) for k, v in value.items()}


def dumps(value) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str):
    return decode(json.loads(text))
