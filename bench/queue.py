"""Response times of the employer queue with 50 000 choices in one organisation.

    .venv/bin/python bench/queue.py                      # SQLite in a temporary file
    .venv/bin/python bench/queue.py postgresql+psycopg://postgres@127.0.0.1:5432/h_employer

Builds the schema with the migrations (on PostgreSQL the public schema is DROPPED first: use a
scratch database), inserts 50 000 persons with a choice each, logs in as an approver and prints the
median and worst time of the queue page (full page and htmx fragment) for the default view, sorting,
filters, a deep page and a search."""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's ``queue``: run from the repository root instead
# of bench/ so ``import queue`` elsewhere finds the real one.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import json  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402

from sqlalchemy import create_engine, insert, text  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.cli import upgrade_database  # noqa: E402
from webapp.models import Choice, EmployerRole, Organisation, Person  # noqa: E402

N = 50_000
REPEATS = 7


def fill(url: str) -> None:
    engine = create_engine(url)
    if url.startswith("postgresql"):
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade_database(url)
    start = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(Organisation.__table__), [
            {"id": 1, "org_number": "2120000001", "name": "Benchby kommun"},
            {"id": 2, "org_number": "2120000002", "name": "Annanstad kommun"},
        ])
        given = ["Anna", "Bertil", "Cecilia", "David", "Eva", "Fredrik", "Gunilla", "Hans", "Ingrid", "Johan"]
        persons = [
            {"id": i + 1, "pnr": f"19{60 + i % 25:02d}0101{i:04d}"[:12] if i < 10_000 else f"{1960 + i % 25}{i:08d}",
             "given_name": given[i % 10], "family_name": f"Efternamn{i:05d}", "birth_date": date(1960 + i % 25, 1, 1),
             "is_test_person": True, "sap_granted": False, "fap_in_payment": False}
            for i in range(N + 1)
        ]
        connection.execute(insert(Person.__table__), persons)
        connection.execute(insert(EmployerRole.__table__), [{"person_id": N + 1, "organisation_id": 1,
                                                            "role": "approver"}])
        statuses = ["received"] * 6 + ["approved", "rejected", "reported", "approved"]
        base = datetime(2023, 4, 1, 8, 0, tzinfo=UTC)
        snapshot = json.dumps({"stay": {"total_monthly": "21000"}, "move": {"total_monthly": "22500"}})
        choices = [
            {"reference": f"PV-{i:08d}", "person_id": i + 1, "organisation_id": 1 if i % 20 else 2,
             "campaign": "2023", "agreement": "AKAP-KR" if i % 3 else "KAP-KL",
             "chosen_at": base + timedelta(seconds=97 * i), "is_late": i % 50 == 0,
             "status": statuses[i % 10], "signed_text": "Jag väljer.", "signed_evidence": "token",
             "comparison_snapshot": snapshot}
            for i in range(N)
        ]
        for chunk in range(0, N, 10_000):
            connection.execute(insert(Choice.__table__), choices[chunk:chunk + 10_000])
    if url.startswith("postgresql"):
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    engine.dispose()
    print(f"filled {N} choices in {time.perf_counter() - start:.1f} s")


def measure(url: str) -> None:
    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    now = int(time.time())
    with client.session_transaction() as session:
        session.update(person_id=N + 1, auth_time=now, last_seen=now)
    page = client.get("/arbetsgivare/").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    search = client.post("/arbetsgivare/sok", data={"csrf_token": token, "term": "Efternamn04711"})
    cases = {
        "default (received, by time)": "/arbetsgivare/",
        "all statuses": "/arbetsgivare/?status=all",
        "sort by name desc": "/arbetsgivare/?status=all&sort=name&dir=desc",
        "sort by pnr": "/arbetsgivare/?status=all&sort=pnr",
        "sort by status": "/arbetsgivare/?status=all&sort=status",
        "filter late KAP-KL": "/arbetsgivare/?status=all&agreement=KAP-KL&timing=late",
        "received date range": "/arbetsgivare/?status=all&from=2023-04-10&to=2023-04-20",
        "page 500": "/arbetsgivare/?status=all&page=500",
        "last page, by name": "/arbetsgivare/?status=all&sort=name&page=950",
        "search by name": search.headers["Location"],
    }
    print(f"{'view':32} {'full page ms':>14} {'htmx ms':>10}  (median / worst of {REPEATS})")
    for label, path in cases.items():
        figures = []
        for headers in ({}, {"HX-Request": "true"}):
            times = []
            for _ in range(REPEATS):
                start = time.perf_counter()
                response = client.get(path, headers=headers)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            figures.append(f"{statistics.median(times):6.1f} / {max(times):5.1f}")
        print(f"{label:32} {figures[0]:>14} {figures[1]:>10}")
    app.extensions["db_engine"].dispose()


def main() -> None:
    if len(sys.argv) > 1:
        url = sys.argv[1]
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
    fill(url)
    measure(url)


if __name__ == "__main__":
    main()
