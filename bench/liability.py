"""Benchmark of the RIPS pension liability (issue 7): reserve bases, exact reserves and what-if.

Builds N (default 50 000) persons from the synthetic population of ``bench/population.py`` (born
1958–1985, salaries to 2022; a person whose employment has ended is a paid-up, every 20th person
born 1958–1961 a pensioner with a pension in payment, every 7th chose AKAP-KR), makes their
reserve bases at 2022-12-31 (``reserve_basis``), computes every reserve on the exact per-person
path (``person_reserve`` + ``total_liability``) and the organisation total with ``what_if_totals``
under the default assumptions and a changed discount rate, checks that both paths agree to the
krona (exit 1 otherwise) and prints persons per second (CPU, ``time.process_time``) and wall time.

    .venv/bin/python bench/liability.py                # 50 000 persons
    .venv/bin/python bench/liability.py --size 5000
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.population import generate  # noqa: E402
from domain.liability import (  # noqa: E402
    LiabilityPerson,
    change_assumptions,
    default_assumptions,
    person_reserve,
    reserve_bases,
    reserve_basis,
    total_liability,
    what_if_totals,
)


def _status(index: int, history, at: date) -> tuple[str, Decimal]:
    if index % 20 == 0 and history.birth_year <= 1961:
        return "pensioner", Decimal(60_000 + index % 997 * 100)
    ended = all(e.end is not None and e.end <= at for e in history.employments)
    return ("paid_up" if ended else "active"), Decimal(0)


def persons(size: int, seed: int, at: date) -> list[LiabilityPerson]:
    out = []
    for i, history in enumerate(generate(size, seed)):
        status, paid = _status(i, history, at)
        out.append(LiabilityPerson(i, history, ("F", "M", None)[i % 3], status, chose_akapkr=i % 7 == 0,
                                   pension_in_payment=paid))
    return out


def _timed(label: str, count: int, run):
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    print(f"{label:<46} {cpu:7.3f} s CPU {wall:7.3f} s wall  {count / cpu if cpu else float('inf'):10.0f} persons/s CPU")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--at", type=date.fromisoformat, default=date(2022, 12, 31))
    args = parser.parse_args(argv)

    people = persons(args.size, args.seed, args.at)
    base = default_assumptions(args.at)
    bases = _timed("reserve_basis", len(people), lambda: [reserve_basis(p, args.at) for p in people])
    fast_bases = _timed("reserve_bases (numbers only)", len(people), lambda: reserve_bases(people, args.at))
    ok = [b.benefits and [(r.code, r.yearly_amount) for r in b.benefits] for b in fast_bases] == \
        [b.benefits and [(r.code, r.yearly_amount) for r in b.benefits] for b in bases]
    with_rights = sum(1 for b in bases if b.benefits)
    exact = _timed("person_reserve + total_liability (exact path)", len(bases),
                   lambda: total_liability([person_reserve(b, base) for b in bases]))

    for label, assumptions in (
        ("what_if_totals, default assumptions (1st call)", base),
        ("what_if_totals, default assumptions (again)", base),
        ("what_if_totals, discount rate 2 %", change_assumptions(base, discount_rate="0.02")),
        ("what_if_totals, payment age 62, rate 0 %", change_assumptions(base, payment_age=62, discount_rate="0")),
    ):
        fast = _timed(label, len(bases), lambda a=assumptions: what_if_totals(bases, a))
        if assumptions is base:
            ok &= fast == exact
        elif label.endswith("2 %"):
            ok &= fast == total_liability(person_reserve(b, assumptions) for b in bases)
    print(f"persons {len(bases)}, with defined-benefit rights {with_rights}; by category "
          + ", ".join(f"{c}: {b + f:,.0f} kr" for c, (b, f) in exact.by_category.items()))
    print(f"liability at {args.at}: before 1998 {exact.before_1998:,.0f} kr, from 1998 {exact.from_1998:,.0f} kr, "
          f"total with löneskatt {exact.total_with_tax:,.0f} kr")
    print("reserve_bases = reserve_basis and what-if = the exact path to the krona:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
