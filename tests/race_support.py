"""Test helper for races: jobs run in threads, each in its own database session, released at the
same instant by a barrier. Works on SQLite and PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

import threading

from sqlmodel import Session


def race(app, jobs):
    """Run ``job(session)`` for each job at once; return their results or the exceptions they raised."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        with app.app_context(), Session(app.extensions["db_engine"], expire_on_commit=False) as session:
            barrier.wait()
            try:
                results[index] = job(session)
            except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
                results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
