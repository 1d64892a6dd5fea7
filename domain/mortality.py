"""Mortality tables for the RIPS pension liability, loaded from files (never q(x) in code).

Every ``domain/parameters/mortality/CODE.toml`` is one table; its file name is its code. A table
is either a Makeham law (``law = "makeham"``: mu(x) = A + B c^x per sex) or one-year death
probabilities (``law = "qx"``: ``first_age`` and a list ``q`` per sex). Sexes: ``F``, ``M`` and
``U`` (unisex). Each file names its ``source`` and may be flagged ``unconfirmed``.

Survival is given per month of age (the liability pays monthly): a Makeham law is exact at
fractional ages; a q(x) table assumes a constant force of mortality within each year of age,
l(x + j/12) = l(x) p(x)^(j/12).

A person of unknown sex (``None``) gets the unisex table ``U`` when the file has one, otherwise a
50/50 mix of the F and M cohorts from age 0 (l = (l_F + l_M) / 2): the project's reading, as the
register may not hold the sex and RIPS 21's own assumption is not available.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path

MORTALITY_DIR = Path(__file__).with_name("parameters") / "mortality"
SEXES = ("F", "M", "U")
PRECISION = 40  # digits of the Decimal context used for survival and annuity factors


class UnknownMortalityTable(LookupError):  # noqa: N818 - reads as the condition
    def __init__(self, code: str):
        self.code = code
        super().__init__(f"no mortality table {code!r} in {MORTALITY_DIR}")


@dataclass(frozen=True, slots=True)
class MortalityTable:
    code: str
    name: str
    source: str
    unconfirmed: bool
    law: str  # "makeham" | "qx"
    max_age: int  # survival is 0 from this age on
    sexes: dict[str, dict]  # sex -> {"A","B","c"} (makeham) or {"first_age","q"} (qx)


def load_table(path: Path) -> MortalityTable:
    """Read one table file (raises ValueError on a malformed file)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    law = data.get("law")
    if law not in ("makeham", "qx"):
        raise ValueError(f"{path.name}: law must be 'makeham' or 'qx'")
    sexes = data.get("sexes") or {}
    if not sexes or set(sexes) - set(SEXES) or not ("U" in sexes or {"F", "M"} <= set(sexes)):
        raise ValueError(f"{path.name}: give [sexes.U] or both [sexes.F] and [sexes.M]")
    parsed: dict[str, dict] = {}
    for sex, spec in sexes.items():
        if law == "makeham":
            parsed[sex] = {k: Decimal(str(spec[k])) for k in ("A", "B", "c")}
        else:
            q = tuple(Decimal(str(v)) for v in spec["q"])
            if any(not (0 <= v <= 1) for v in q):
                raise ValueError(f"{path.name}: q(x) must lie in 0..1")
            parsed[sex] = {"first_age": int(spec.get("first_age", 0)), "q": q}
    return MortalityTable(
        code=path.stem,
        name=str(data.get("name", path.stem)),
        source=str(data["source"]),
        unconfirmed=bool(data.get("unconfirmed", False)),
        law=law,
        max_age=int(data.get("max_age", 120)),
        sexes=parsed,
    )


@lru_cache(maxsize=1)
def _tables() -> dict[str, MortalityTable]:
    return {p.stem: load_table(p) for p in sorted(MORTALITY_DIR.glob("*.toml"))}


def mortality_tables() -> tuple[str, ...]:
    """Codes of the available tables."""
    return tuple(_tables())


def table(code: str) -> MortalityTable:
    found = _tables().get(code)
    if found is None:
        raise UnknownMortalityTable(code)
    return found


def sex_key(sex: str | None) -> str:
    return sex if sex in ("F", "M") else "U"


def _makeham_months(spec: dict, months: int) -> list[Decimal]:
    """l(t) = exp(-A t - B (c^t - 1) / ln c), t in years, at every month 0..months-1; l(0) = 1."""
    a, b, c = spec["A"], spec["B"], spec["c"]
    log_c = c.ln()
    step = (log_c / 12).exp()  # c^(1/12)
    out: list[Decimal] = []
    c_t = Decimal(1)
    for m in range(months):
        t = Decimal(m) / 12
        out.append((-a * t - b * (c_t - 1) / log_c).exp())
        c_t *= step
    return out


def _qx_months(spec: dict, months: int) -> list[Decimal]:
    """Constant force within each year of age; l = 1 up to first_age, 0 after the last q."""
    first, q = spec["first_age"], spec["q"]
    out: list[Decimal] = []
    level = Decimal(1)
    for age in range(months // 12):
        index = age - first
        p = Decimal(1) if index < 0 else (Decimal(1) - q[index] if index < len(q) else Decimal(0))
        root = p ** (Decimal(1) / 12) if p > 0 else Decimal(0)
        value = level
        for _ in range(12):
            out.append(value)
            value *= root
        level *= p
    return out


@lru_cache(maxsize=32)
def monthly_survival(code: str, sex: str) -> tuple[Decimal, ...]:
    """l at every month of age 0 .. max_age*12 (the last entry 0), l(0) = 1, for F/M/U."""
    t = table(code)
    months = t.max_age * 12
    with localcontext() as ctx:
        ctx.prec = PRECISION

        def one(s: str) -> list[Decimal]:
            spec = t.sexes[s]
            return _makeham_months(spec, months) if t.law == "makeham" else _qx_months(spec, months)

        if sex in t.sexes:
            values = one(sex)
        elif "U" in t.sexes:
            values = one("U")
        else:  # unknown sex, no unisex table: a 50/50 cohort mix from age 0
            f, m = one("F"), one("M")
            values = [(x + y) / 2 for x, y in zip(f, m, strict=True)]
        return (*values, Decimal(0))
