"""Pensionsunderlag (PU): the salary base of KAP-KL's defined-benefit pension.

KAP-KL, RIPS 07 [S26], KPA [S1], SLF [S27]; domain-spec section 2.3:
for a calculation point in calendar year Y take the nine last calendar years (Y-8 ... Y), use the
first seven of them (Y-8 ... Y-2), index each year's pensionable salary with the prisbasbelopp to
year Y (S_i x PBB(Y) / PBB(i)), and average the five highest.

Readings chosen where the sources are silent (see domain/README.md):
- A year "counts" when it has a pensionable salary above zero. With five or more such years in the
  seven-year window the five highest are averaged. With one to four ("short history", SLF: "the
  whole calendar years you were employed") only the years in which an employment covered the whole
  calendar year are averaged; when the history holds no employments, or none is complete, all years
  with a salary are averaged.
- With no salary at all in the seven-year window the parameter ``kapkl_pu_short_history_fallback``
  decides (unconfirmed): "latest_year" takes the highest indexed salary of Y-1 and Y; "none" gives 0.
- Indexed salaries and the PU are kept to the öre; the PU is not capped here (the 30 IBB cap is
  applied where FÅP is computed, section 2.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.explanation import Explanation, ParameterUse
from domain.model import PersonHistory
from domain.money import round_ore
from domain.parameters import parameter, pbb

WINDOW_YEARS = 9  # the nine last calendar years incl. Y [S26]
FIRST_YEARS = 7  # of which the first seven [S26]
BEST_YEARS = 5  # five highest [S26]
SOURCE = "KAP-KL pensionsunderlag; RIPS 07 [S26]; KPA [S1]; SLF [S27]; domain-spec 2.3"
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Pensionsunderlag:
    year: int  # the calculation year Y
    amount: Decimal  # kronor per year, at the price level of year Y
    counted_years: tuple[int, ...]  # the years averaged, ascending
    indexed: dict[int, Decimal]  # every salary year of the window, indexed to Y
    explanation: Explanation


def _complete_years(history: PersonHistory, years: list[int]) -> list[int]:
    """Years in which one employment covered 1 January to 31 December."""
    complete = []
    for year in years:
        first, last = date(year, 1, 1), date(year, 12, 31)
        for job in history.employments:
            if job.start <= first and (job.end is None or job.end >= last):
                complete.append(year)
                break
    return complete


def pensionsunderlag(history: PersonHistory, year: int) -> Pensionsunderlag:
    """The PU for a calculation point in calendar year ``year`` (KAP-KL; [S26], spec 2.3)."""
    pbb_target = pbb(year)
    target = pbb_target.value
    window = range(year - WINDOW_YEARS + 1, year - WINDOW_YEARS + 1 + FIRST_YEARS)
    uses: list[ParameterUse] = [pbb_target]
    indexed: dict[int, Decimal] = {}
    for y in window:
        salary = history.salary(y)
        if salary > _ZERO:
            base = pbb(y)
            uses.append(base)
            indexed[y] = round_ore(salary * target / base.value)
    notes: list[str] = []
    if len(indexed) >= BEST_YEARS:
        counted = sorted(sorted(indexed, key=lambda y: (indexed[y], y), reverse=True)[:BEST_YEARS])
        divisor = BEST_YEARS
        rule = f"mean of the {BEST_YEARS} highest of {year - 8}-{year - 2}, indexed with PBB to {year}"
    elif indexed:
        salary_years = sorted(indexed)
        complete = _complete_years(history, salary_years) if history.employments else []
        counted = complete or salary_years
        divisor = len(counted)
        rule = "short history: mean of the complete calendar years employed"
        notes.append(
            "Fewer than five years with salary: the mean of the whole calendar years employed "
            "(SLF [S27]); years without an employment covering the whole year are left out"
            + ("" if complete else " unless none is complete, then all years with salary count")
            + "."
        )
    else:
        fallback = parameter("kapkl_pu_short_history_fallback", date(year, 12, 31))
        uses.append(fallback)
        counted = []
        divisor = 1
        rule = "no salary in the first seven of the last nine years"
        if fallback.value == "latest_year":
            for y in (year - 1, year):
                salary = history.salary(y)
                if salary > _ZERO:
                    base = pbb(y)
                    uses.append(base)
                    indexed[y] = round_ore(salary * target / base.value)
            if indexed:
                best = max(indexed, key=lambda y: (indexed[y], y))
                counted = [best]
                rule = f"no complete year: the highest indexed salary of {year - 1}-{year} (reading)"
        notes.append(
            "No salary in the seven-year window: the agreement's fallback was not found; this "
            "calculation uses the reading in parameter kapkl_pu_short_history_fallback (unconfirmed)."
        )
    total = sum((indexed[y] for y in counted), _ZERO)
    amount = round_ore(total / divisor) if counted else _ZERO
    formula = (
        "(" + " + ".join(f"{indexed[y]}" for y in counted) + f") / {divisor} = {amount}"
        if counted
        else "no counted year: 0"
    )
    explanation = Explanation(
        rule="pensionsunderlag",
        source=SOURCE,
        inputs=(("calculation_year", year), *((f"salary_{y}", history.salary(y)) for y in indexed)),
        parameters=tuple(uses),
        formula=f"{rule}: {formula}",
        notes=tuple(notes),
    )
    return Pensionsunderlag(
        year=year,
        amount=amount,
        counted_years=tuple(counted),
        indexed=indexed,
        explanation=explanation,
    )
