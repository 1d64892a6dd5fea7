"""Exactly once: many simultaneous signings for one person leave one choice (the database decides).

Runs on SQLite by default and on PostgreSQL with TEST_DATABASE_URL, as the whole suite does."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlmodel import Session, select

from tests.choice_factories import choices_of, make_person
from webapp.models import AuditEntry, Person
from webapp.services.choices import campaign, record_choice

THREADS = 24


def test_concurrent_signings_of_the_same_person_store_exactly_one_choice(app, db):
    person_id = make_person(db).id
    engine = app.extensions["db_engine"]
    current = campaign()
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def sign(n: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as session:
                person = session.get(Person, person_id)
                agreement = "AKAP-KR" if n % 2 else "KAP-KL"
                session.commit()  # give the connection back to the pool while waiting
                barrier.wait(timeout=30)
                choice, created = record_choice(session, person, agreement, f"text {n}", f"token {n}",
                                                datetime(2023, 4, 20, 10, 0, tzinfo=UTC), current, False)
                results.append((choice.reference, choice.agreement, created))
        except Exception as error:  # collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == THREADS
    [choice] = choices_of(db, db.get(Person, person_id))
    # Every caller got the one stored choice back; exactly one of them created it.
    assert {reference for reference, _, _ in results} == {choice.reference}
    assert {agreement for _, agreement, _ in results} == {choice.agreement}
    assert sum(created for _, _, created in results) == 1
    audit = db.exec(select(AuditEntry).where(AuditEntry.action == "choice.signed")).all()
    assert len(audit) == 1
