"""A synthetic municipality: ``generate(n, seed)`` returns ``n`` fictional employees whose histories
cover every case of the 2023 choice (webapp/demo/scenarios.py). Pure and deterministic for a seed:
no database, no clock."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from webapp.demo.builder import Career, build
from webapp.demo.careers import level_with_drift, month_end, month_start
from webapp.demo.identity import FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, TEST_SERIALS, make_pnr
from webapp.demo.named import NAMED_TEST_PERSONS
from webapp.demo.records import DemoPerson

# Share of the population per scenario. About one in five is above 7.5 IBB (most municipal
# salaries are below the limit); ineligible cases other than salary are kept above the limit so
# that exactly one rule decides them.
MIX: tuple[tuple[str, float], ...] = (
    ("eligible_salary", 0.07),
    ("eligible_part_time", 0.015),
    ("eligible_hourly", 0.01),
    ("eligible_on_leave", 0.015),
    ("eligible_livranta", 0.01),
    ("eligible_recent_raise", 0.01),
    ("below_limit_part_time", 0.06),
    ("below_limit_hourly", 0.04),
    ("born_before_1958", 0.08),
    ("born_after_1985", 0.17),
    ("pension_granted", 0.015),
    ("left_2022", 0.02),
    ("sickness_compensation", 0.015),
    ("hired_after_2022", 0.015),
    # below_limit takes the rest
)
ORGANISATION_WEIGHTS = (("exempelby", 0.55), ("exempelstad", 0.35), ("exempelby-energi", 0.10))
OTHER_ORGANISATION = {"exempelby": "exempelstad", "exempelstad": "exempelby", "exempelby-energi": "exempelby"}
ABOVE = (1.25, 1.55)  # salary level 2022 (ratio to 7.5 IBB) of persons above the limit
BELOW = (0.5, 0.94, 0.74)  # low, high, mode of persons below the limit (0.94 = 41 700 kr a month in 2022)


def scenario_counts(n: int) -> dict[str, int]:
    counts = {code: max(1, round(n * share)) for code, share in MIX}
    counts["below_limit"] = n - sum(counts.values())
    if counts["below_limit"] < 1:
        raise ValueError(f"too few employees ({n}) to cover every scenario")
    return counts


def generate(n: int = 2000, seed: int = 2023) -> list[DemoPerson]:
    rng = random.Random(seed)
    scenarios = [code for code, count in scenario_counts(n).items() for _ in range(count)]
    rng.shuffle(scenarios)
    taken = {person.pnr for person in NAMED_TEST_PERSONS}
    people = []
    for scenario in scenarios:
        birth, career = _career(rng, scenario)
        pnr = _free_pnr(rng, birth, taken)
        female = rng.random() < 0.7  # most municipal employees are women
        given = rng.choice(GIVEN_NAMES_FEMALE if female else GIVEN_NAMES_MALE)
        people.append(build(rng, pnr=pnr, given_name=given, family_name=rng.choice(FAMILY_NAMES),
                            birth_date=birth, scenario=scenario, career=career))
    return people


def _free_pnr(rng: random.Random, birth: date, taken: set[str]) -> str:
    """A test serial not yet used on that birth date (named persons included)."""
    while True:
        free = [serial for serial in TEST_SERIALS if make_pnr(birth, serial) not in taken]
        if free:
            pnr = make_pnr(birth, rng.choice(free))
            taken.add(pnr)
            return pnr
        birth = date.fromordinal(birth.toordinal() + 1)  # every serial of the day is used


def _birth(rng: random.Random, first_year: int, last_year: int) -> date:
    start, end = date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal()
    return date.fromordinal(rng.randint(start, end))


def _hire(rng: random.Random, birth: date, latest: date) -> date:
    earliest = max(date(birth.year + 19, 1, 1), date(1978, 1, 1))
    latest = max(latest, earliest)
    age_weighted = rng.triangular(earliest.toordinal(), latest.toordinal(), earliest.toordinal())
    day = date.fromordinal(int(age_weighted))
    return month_start(day.year, day.month)


def _organisation(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for key, weight in ORGANISATION_WEIGHTS:
        total += weight
        if roll < total:
            return key
    return ORGANISATION_WEIGHTS[0][0]


def _above(rng: random.Random) -> Callable[[int], float]:
    return level_with_drift(rng.uniform(*ABOVE))


def _below(rng: random.Random) -> Callable[[int], float]:
    low, high, mode = BELOW
    return level_with_drift(rng.triangular(low, high, mode))


def _career(rng: random.Random, scenario: str) -> tuple[date, Career]:
    """Birth date and career parameters for one person of ``scenario``."""
    organisation = _organisation(rng)
    early_hire = date(2012, 1, 1)  # above-limit persons have complete salary years 2014-2020
    latest_hire = date(2022, 6, 1)
    if scenario == "born_before_1958":
        birth = _birth(rng, 1953, 1957)
    elif scenario == "born_after_1985":
        birth = _birth(rng, 1986, 2002)
        latest_hire = date(min(2022, birth.year + 25), 6, 1)
    elif scenario == "pension_granted":
        birth = _birth(rng, 1958, 1962)
    elif scenario == "eligible_on_leave":
        birth = _birth(rng, 1976, 1985)
    else:
        birth = _birth(rng, 1958, 1985)

    above_limit = scenario.startswith("eligible") or scenario in ("pension_granted", "left_2022",
                                                                  "sickness_compensation")
    if scenario in ("born_before_1958", "born_after_1985", "hired_after_2022"):
        above_limit = rng.random() < 0.15
    hire = _hire(rng, birth, early_hire if above_limit else latest_hire)
    if scenario == "hired_after_2022":
        hire = month_start(rng.randint(2023, 2025), rng.randint(2, 6))
    career = Career(organisation, hire, _above(rng) if above_limit else _below(rng))
    if hire < date(2015, 1, 1) and rng.random() < 0.15:
        moved = date.fromordinal(rng.randint(max(hire.toordinal() + 400, date(2000, 1, 1).toordinal()),
                                             date(2019, 12, 31).toordinal()))
        career.previous = (OTHER_ORGANISATION[organisation], month_start(moved.year, moved.month))
    career.moved_to_akap_kr = not above_limit and scenario != "born_before_1958"

    if scenario == "eligible_part_time":
        career.degree = rng.choice((0.75, 0.8, 0.85, 0.9))
        actual = rng.uniform(1.25, 1.45)
        career.level = level_with_drift(actual / career.degree)
    elif scenario == "below_limit_part_time":
        career.degree = rng.choice((0.5, 0.6, 0.65))
        actual = rng.uniform(max(0.6, 1.2 * career.degree), 0.85)
        career.level = level_with_drift(actual / career.degree)
    elif scenario == "eligible_hourly":
        career.pay_type, career.hourly_share = "hourly", rng.uniform(0.35, 0.6)
    elif scenario == "below_limit_hourly":
        career.pay_type, career.hourly_share = "hourly", rng.uniform(0.3, 0.8)
    elif scenario == "eligible_on_leave":
        start = month_start(2022, rng.randint(3, 12))
        end = month_end(2023, rng.randint(2, 12))
        career.leaves = ((start, end, "leave", 1.0),)
    elif scenario == "eligible_livranta":
        # Switched to a lower-paid post either before 2014 (the pensionsunderlag of 2022 is then below
        # the limit and only the earned livränta makes the person eligible) or later (both tests pass).
        high, low, switch = rng.uniform(1.3, 1.5), rng.uniform(0.6, 0.85), rng.choice((2012, 2013, 2019, 2021))
        career.hire = min(hire, date(2005, 1, 1))
        career.level = _switched(level_with_drift(high), level_with_drift(low), switch)
    elif scenario == "eligible_recent_raise":
        # Promoted in 2021 or 2022: the fixed salary at 2022-12-31 is above the limit, the
        # pensionsunderlag of 2022 (salaries 2014-2020) still below it.
        low, high = rng.triangular(*BELOW), rng.uniform(1.25, 1.5)
        career.level = _switched(level_with_drift(low), level_with_drift(high), rng.choice((2021, 2022)))
    elif scenario == "pension_granted":
        granted = month_start(2023, rng.randint(2, 3))  # still employed on 1 January 2023
        if rng.random() < 0.25:
            career.sap_granted = True  # särskild avtalspension from ``granted``
        else:
            career.pension_granted_on = granted
        career.end = date.fromordinal(granted.toordinal() - 1)
    elif scenario == "left_2022":
        career.end = month_end(2022, rng.randint(1, 11))
    elif scenario == "sickness_compensation":
        start = month_start(rng.randint(2020, 2022), rng.randint(1, 12))
        career.leaves = ((start, None, "sickness_compensation", rng.choice((0.5, 0.75, 1.0))),)
    if (career.end is None and career.pay_type == "monthly" and hire.year < 2018 and scenario.startswith("below")
            and rng.random() < 0.04):
        # An ordinary leave of absence years ago (parental leave, studies): no effect on the choice.
        start = month_start(rng.randint(max(hire.year + 1, 2003), 2019), rng.randint(1, 12))
        end = month_end(start.year, min(12, start.month + rng.randint(0, 8)))
        career.leaves = ((start, end, "leave", 1.0),)
    return birth, career


def _switched(before: Callable[[int], float], after: Callable[[int], float], from_year: int
              ) -> Callable[[int], float]:
    return lambda year: before(year) if year < from_year else after(year)
