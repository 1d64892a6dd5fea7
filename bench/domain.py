"""Benchmark of the calculation domain over a synthetic population (issue 2, "Proof").

Builds N employees (default 140 000, the size of the 2023 choice) with nine or more years of
salary history (a chunk at a time, outside the timed part), computes entitlements, eligibility for the 2023 choice and the comparison at the
default retirement age for all of them with ``domain.batch.evaluate_many`` (vectorised with NumPy
where ``domain.vectorised`` covers the person, the scalar population path otherwise; ``--scalar``
runs the scalar path only), and prints employees per second, how many persons took which path, and
peak memory. A random sample is recomputed on the per-person path
(``entitlements`` + ``eligibility_2023`` + ``compare``, with explanations) and must give identical
figures; the per-person path's speed on that sample is printed too.

    .venv/bin/python bench/domain.py                 # 140 000 employees, sample of 1 000
    .venv/bin/python bench/domain.py --size 20000 --sample 200 --tracemalloc

CPU time (``time.process_time``) is the figure to compare: the machine is shared, so wall-clock
time varies with the load; both are printed.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.population import generate  # noqa: E402
from domain import PersonHistory, default_assumptions  # noqa: E402
from domain.batch import Summary, evaluate_many, evaluate_person  # noqa: E402
from domain.vectorised import VectorStats  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=140_000)
    parser.add_argument("--sample", type=int, default=1_000, help="people checked on the per-person path")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--chunk", type=int, default=10_000, help="people generated and computed at a time")
    parser.add_argument("--at", type=date.fromisoformat, default=date(2023, 4, 20))
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--scalar", action="store_true", help="the scalar population path only (no NumPy)")
    args = parser.parse_args(argv)

    assumptions = default_assumptions(args.at)
    sample = set(random.Random(args.seed).sample(range(args.size), min(args.sample, args.size)))
    checked: list[tuple[PersonHistory, Summary]] = []
    people = generate(args.size, args.seed)
    generating = computing = computing_wall = 0.0
    count = eligible = akapkr_higher = 0
    stats = VectorStats()
    if args.tracemalloc:
        tracemalloc.start()
    for first in range(0, args.size, args.chunk):
        # The population is made a chunk at a time, outside the timed part, so that only the
        # sample is kept in memory.
        started = time.process_time()
        chunk = list(itertools.islice(people, args.chunk))
        generating += time.process_time() - started
        wall, cpu = time.perf_counter(), time.process_time()
        results = evaluate_many(chunk, args.at, assumptions, vectorised=not args.scalar, stats=stats)
        computing += time.process_time() - cpu
        computing_wall += time.perf_counter() - wall
        for index, (history, result) in enumerate(zip(chunk, results, strict=True), start=first):
            count += 1
            eligible += result.eligible
            akapkr_higher += result.eligible and result.difference_monthly > 0
            if index in sample:
                checked.append((history, result))
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    if args.tracemalloc:
        tracemalloc.stop()

    print(f"population: {count} synthetic employees, generated in {generating:.1f} s CPU (not timed below)")
    print(f"population path: {computing:.2f} s CPU ({computing_wall:.2f} s wall): "
          f"{count / computing:,.0f} employees/s CPU, {count / computing_wall:,.0f} employees/s wall")
    print(f"  vectorised: {stats.vectorised}; per person (scalar population path): {stats.scalar} {stats.reasons}")
    print(f"  eligible for the 2023 choice: {eligible}; of them AKAP-KR higher monthly at 65: {akapkr_higher}")
    print(f"  peak RSS {peak_rss_mb():.0f} MB" + (f"; traced Python peak {traced:.0f} MB"
                                                  if traced is not None else ""))

    cpu = time.process_time()
    mismatches = [h for h, result in checked if evaluate_person(h, args.at, assumptions) != result]
    cpu = time.process_time() - cpu
    print(f"per-person path on a sample of {len(checked)}: {len(checked) / cpu:,.0f} employees/s CPU; "
          f"identical figures: {len(checked) - len(mismatches)}/{len(checked)}")
    if mismatches:
        print(f"MISMATCH for {len(mismatches)} sampled employees", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
