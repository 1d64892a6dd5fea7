"""Milestones: the ages at which something changes for an employee's pension, and when an
employer's notice for each falls (the monitoring, bevakning).

The ages are dated parameters (``parameters/milestones.toml``): an age that changed over time (the
LAS age 67 -> 68 -> 69, the earliest DC withdrawal 60 -> 62) is the one in force on the day the
person would reach it. Reading: a person born on 29 February turns a year older on 28 February in
a year without that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.explanation import Explanation, ParameterUse
from domain.parameters import MissingParameter, parameter

# Milestone code -> its parameter and what it means (English; the web translates by code).
MILESTONES: dict[str, tuple[str, str]] = {
    "fap_earliest": (
        "milestone_fap_earliest_age",
        "Earliest start of FÅP and livränta (KAP-KL), reduced by 0.4 % per month before 65.",
    ),
    "dc_earliest": (
        "milestone_dc_earliest_age",
        "Earliest withdrawal of the defined-contribution pension (AKAP-KR and KAP-KL).",
    ),
    "normal_pension_age": (
        "milestone_normal_pension_age",
        "KAP-KL normal pension age: FÅP without reduction; AKAP-KR supplementary contributions end.",
    ),
    "fap_latest": (
        "milestone_fap_latest_age",
        "FÅP and livränta must start by the month after this birthday month at the latest.",
    ),
    "las_age": (
        "milestone_las_age",
        "The employment protection of the Employment Protection Act (LAS) ends.",
    ),
}
# Youngest age the search for a dated age starts from; no milestone here lies below it.
_YOUNGEST = 55
_OLDEST = 80


@dataclass(frozen=True, slots=True)
class Milestone:
    code: str  # a key of MILESTONES
    age: int
    reached_on: date  # the birthday
    notice_on: date | None  # when the employer's notice falls (None: not monitored)
    meaning: str
    parameter: ParameterUse
    explanation: Explanation

    @property
    def unconfirmed(self) -> bool:
        return self.parameter.unconfirmed


def birthday(birth_date: date, age: int) -> date:
    """The day ``birth_date`` turns ``age`` (29 February -> 28 February in other years)."""
    year = birth_date.year + age
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept within the target month (31 May - 3 months = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def milestone_age(code: str, birth_date: date) -> tuple[int, ParameterUse]:
    """The age of milestone ``code`` for a person born on ``birth_date``: the first age that is
    in force on the day the person reaches it."""
    name = MILESTONES[code][0]
    for age in range(_YOUNGEST, _OLDEST + 1):
        try:
            use = parameter(name, birthday(birth_date, age))
        except MissingParameter:  # the rule did not exist yet at that age: look at a later one
            continue
        if int(use.value) <= age:
            return int(use.value), use
    raise ValueError(f"no {code} age up to {_OLDEST}")


def milestone(code: str, birth_date: date, notice_months: int | None = None) -> Milestone:
    """One milestone of a person, with the date its notice falls when ``notice_months`` is given."""
    age, use = milestone_age(code, birth_date)
    reached = birthday(birth_date, age)
    notice_on = add_months(reached, -notice_months) if notice_months is not None else None
    meaning = MILESTONES[code][1]
    return Milestone(
        code=code,
        age=age,
        reached_on=reached,
        notice_on=notice_on,
        meaning=meaning,
        parameter=use,
        explanation=Explanation(
            rule=f"milestone_{code}",
            source=use.source,
            inputs=(("birth_date", birth_date), ("notice_months", notice_months)),
            parameters=(use,),
            formula=f"born {birth_date.isoformat()} + {age} years = {reached.isoformat()}"
            + (f"; notice {notice_months} months before = {notice_on.isoformat()}" if notice_on else ""),
        ),
    )


def upcoming_milestones(
    birth_date: date, today: date, notice_months: Mapping[str, int], window: int = 0
) -> list[Milestone]:
    """The milestones whose notice has fallen by ``today`` and that are not yet reached (or were
    reached at most ``window`` months ago), sorted by date. ``notice_months`` maps milestone codes
    to the organisation's notice time in months; codes not in it are not monitored."""
    found = []
    for code, months in notice_months.items():
        if code not in MILESTONES:
            raise KeyError(code)
        if months < 0:
            raise ValueError("notice months must not be negative")
        item = milestone(code, birth_date, months)
        if item.notice_on <= today and add_months(item.reached_on, window) >= today:
            found.append(item)
    return sorted(found, key=lambda m: (m.reached_on, m.age, m.code))
