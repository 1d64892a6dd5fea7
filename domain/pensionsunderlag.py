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
from domain.kernel import Prepared, PUResult, ore_to_decimal, pu_core
from domain.model import PersonHistory
from domain.parameters import parameter, pbb

WINDOW_YEARS = 9  # the nine last calendar years incl. Y [S26]
FIRST_YEARS = 7  # of which the first seven [S26]
BEST_YEARS = 5  # five highest [S26]
SOURCE = "KAP-KL pensionsunderlag; RIPS 07 [S26]; KPA [S1]; SLF [S27]; domain-spec 2.3"


@dataclass(frozen=True, slots=True)
class Pensionsunderlag:
    year: int  # the calculation year Y
    amount: Decimal  # kronor per year, at the price level of year Y
    counted_years: tuple[int, ...]  # the years averaged, ascending
    indexed: dict[int, Decimal]  # every salary year of the window, indexed to Y
    explanation: Explanation


def pensionsunderlag(history: PersonHistory, year: int, prepared: Prepared | None = None) -> Pensionsunderlag:
    """The PU for a calculation point in calendar year ``year`` (KAP-KL; [S26], spec 2.3)."""
    person = prepared or Prepared(history)
    at = date(year, 12, 31)
    fallback = parameter("kapkl_pu_short_history_fallback", at)
    result = pu_core(person, year, str(fallback.value))
    return explain_pu(history, year, result, fallback)


def explain_pu(history: PersonHistory, year: int, result: PUResult, fallback: ParameterUse) -> Pensionsunderlag:
    """The public result with its explanation, from the kernel's numbers."""
    indexed = {y: ore_to_decimal(v) for y, v in result.indexed.items()}
    uses: list[ParameterUse] = [pbb(year), *(pbb(y) for y in sorted(result.indexed))]
    notes: list[str] = []
    case = result.case
    if case == "best_five":
        rule = f"mean of the {BEST_YEARS} highest of {year - 8}-{year - 2}, indexed with PBB to {year}"
    elif case.startswith("short_history"):
        rule = "short history: mean of the complete calendar years employed"
        notes.append(
            "Fewer than five years with salary: the mean of the whole calendar years employed "
            "(SLF [S27]); years without an employment covering the whole year are left out"
            + ("" if case == "short_history" else " unless none is complete, then all years with salary count")
            + "."
        )
    else:
        uses.append(fallback)
        rule = (
            f"no complete year: the highest indexed salary of {year - 1}-{year} (reading)"
            if case == "fallback"
            else "no salary in the first seven of the last nine years"
        )
        notes.append(
            "No salary in the seven-year window: the agreement's fallback was not found; this "
            "calculation uses the reading in parameter kapkl_pu_short_history_fallback (unconfirmed)."
        )
    amount = ore_to_decimal(result.amount)
    counted = result.counted
    formula = (
        "(" + " + ".join(f"{indexed[y]}" for y in counted) + f") / {result.divisor} = {amount}"
        if counted
        else "no counted year: 0"
    )
    explanation = Explanation(
        rule="pensionsunderlag",
        source=SOURCE,
        inputs=(("calculation_year", year), *((f"salary_{y}", history.salary(y)) for y in sorted(indexed))),
        parameters=tuple(uses),
        formula=f"{rule}: {formula}",
        notes=tuple(notes),
    )
    return Pensionsunderlag(year=year, amount=amount, counted_years=counted, indexed=indexed, explanation=explanation)
