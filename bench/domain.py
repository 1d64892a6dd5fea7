"""Benchmark of the calculation domain over a synthetic population (issue 2, "Proof").

Builds N employees (default 140 000, the size of the 2023 choice) with nine or more years of
salary history, computes entitlements, eligibility for the 2023 choice and the comparison at the
default retirement age for all of them with ``domain.batch.evaluate_many``, and prints employees
per second and peak memory. A random sample is recomputed on the per-person path
(``entitlements`` + ``eligibility_2023`` + ``compare``, with explanations) and must give identical
figures; the per-person path's speed on that sample is printed too.

    .venv/bin/python bench/domain.py                 # 140 000 employees, sample of 1 000
    .venv/bin/python bench/domain.py --size 20000 --sample 200 --tracemalloc

CPU time (``time.process_time``) is the figure to compare: the machine is shared, so wall-clock
time varies with the load; both are printed.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.population import population  # noqa: E402
from domain import default_assumptions  # noqa: E402
from domain.batch import evaluate_many, evaluate_person  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=140_000)
    parser.add_argument("--sample", type=int, default=1_000, help="people checked on the per-person path")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--at", type=date.fromisoformat, default=date(2023, 4, 20))
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    args = parser.parse_args(argv)

    started = time.process_time()
    people = population(args.size, args.seed)
    print(f"population: {len(people)} employees in {time.process_time() - started:.1f} s CPU "
          f"(peak RSS so far {peak_rss_mb():.0f} MB)")
    assumptions = default_assumptions(args.at)

    if args.tracemalloc:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), time.process_time()
    results = evaluate_many(people, args.at, assumptions)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    if args.tracemalloc:
        tracemalloc.stop()

    eligible = sum(r.eligible for r in results)
    better = sum(r.difference_monthly > 0 for r in results if r.eligible)
    print(f"population path: {len(results)} employees in {cpu:.2f} s CPU ({wall:.2f} s wall): "
          f"{len(results) / cpu:,.0f} employees/s CPU, {len(results) / wall:,.0f} employees/s wall")
    print(f"  eligible for the 2023 choice: {eligible}; of them AKAP-KR higher monthly at 65: {better}")
    print(f"  peak RSS {peak_rss_mb():.0f} MB" + (f"; traced Python peak during the run {traced:.0f} MB"
                                                  if traced is not None else ""))

    rng = random.Random(args.seed)
    sample = rng.sample(range(len(people)), min(args.sample, len(people)))
    cpu = time.process_time()
    mismatches = [i for i in sample if evaluate_person(people[i], args.at, assumptions) != results[i]]
    cpu = time.process_time() - cpu
    print(f"per-person path on a sample of {len(sample)}: {len(sample) / cpu:,.0f} employees/s CPU; "
          f"identical figures: {len(sample) - len(mismatches)}/{len(sample)}")
    if mismatches:
        print(f"MISMATCH for sample indexes {mismatches[:10]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
