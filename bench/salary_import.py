"""Salary file import speed: make a file of N salary rows and import it into a fresh database.

    .venv/bin/python -m bench.salary_import                     # 200 000 rows, SQLite in a temp dir
    .venv/bin/python -m bench.salary_import --rows 20000
    .venv/bin/python -m bench.salary_import --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Prints rows per second for the whole job (check pass + apply pass in one transaction) and the
process's peak resident memory before and after the import (the file's bytes are held once).
PostgreSQL: the database's tables are dropped and re-created.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

YEARS = 10  # 2013–2022


def luhn_check_digit(nine: str) -> int:
    total = 0
    for i, char in enumerate(nine):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def pnr(n: int) -> str:
    """A valid, clearly synthetic personal identity number (born 1960–1984, serial from n)."""
    year = 1960 + n % 25
    month = 1 + (n // 25) % 12
    day = 1 + (n // 300) % 28
    serial = (n // 8400) % 1000
    nine = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    return f"{year}{nine[2:]}{luhn_check_digit(nine)}"


def make_file(rows: int, path: Path) -> None:
    persons = max(1, rows // YEARS)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("personnummer;fornamn;efternamn;ar;lon;lonform;heltidslon;sysselsattningsgrad;"
                  "anstallning_from;anstallning_tom\r\n")
        written = 0
        for n in range(persons):
            number = pnr(n)
            base = 300_000 + (n * 7919) % 400_000
            for year in range(2022 - YEARS + 1, 2023):
                if written == rows:
                    return
                amount = f"{base + (year - 2013) * 9_000:,}".replace(",", " ")  # "412 000,00"
                out.write(f'{number};Test{n};Person;{year};"{amount},00";manad;;100;2005-01-01;\r\n')
                written += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    from tests.database_support import migrate_from_empty
    from webapp.db import make_engine
    from webapp.models import EmployerRole, Organisation, Person
    from webapp.services import salary_import

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    migrate_from_empty(url)
    engine = make_engine(url)

    sample = workdir / "salaries.csv"
    started = time.perf_counter()
    make_file(args.rows, sample)
    print(f"file: {args.rows} rows, {sample.stat().st_size / 1e6:.1f} MB, made in {time.perf_counter() - started:.1f} s")

    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session:
        org = Organisation(org_number="2120009999", name="Benchmark kommun")
        sender = Person(pnr="197803039911", given_name="Bench", family_name="Mark",
                        birth_date=datetime(1978, 3, 3).date())
        session.add_all([org, sender])
        session.commit()
        session.add(EmployerRole(person_id=sender.id, organisation_id=org.id, role="handler"))
        session.commit()
        record, _new = salary_import.receive(session, organisation_id=org.id, actor_id=sender.id,
                                             filename=sample.name, data=sample.read_bytes(), now=now)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import_id = salary_import.claim_next(engine, now)
    started = time.perf_counter()
    status = salary_import.process(engine, import_id, lambda: datetime.now(UTC), now.date())
    elapsed = time.perf_counter() - started
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with Session(engine) as session:
        report = salary_import.report_of(session.get(salary_import.ImportFile, import_id))
    print(f"database: {url.split('://')[0]}")
    print(f"status: {status}; stats: {report.get('stats')}")
    print(f"import: {elapsed:.1f} s, {args.rows / elapsed:,.0f} rows/s")
    print(f"peak RSS: {peak_before:.0f} MB before the import, {peak_after:.0f} MB after")


if __name__ == "__main__":
    main()
