"""Exactly once, and nothing lost, against the running server: gunicorn with several worker
processes, the database the suite runs on (SQLite file, or PostgreSQL with TEST_DATABASE_URL),
every step over HTTP through the test identity provider's pages.

- 200 signings of the same choice for one person arrive at the same moment, spread over the
  worker processes: one choice is stored, and every answer is the receipt (once, "received") or
  the receipt with "you have already chosen".
- The server is killed with SIGKILL in the middle of a stream of signings: every choice the
  server acknowledged (the callback's redirect to the receipt, sent after the commit) is in the
  database after a restart, and no choice is half-written (each has its signed text, evidence,
  snapshot and exactly one audit entry, and no audit entry points at a missing choice)."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import requests
from sqlmodel import select

from tests.choice_factories import make_person
from tests.factories import make_organisation
from tests.system.browser import Browser
from webapp.models import AuditEntry, Choice

SIGNINGS = 200
RECEIVED = "Your choice has been received. Keep the reference number."
ALREADY = "You have already made your choice. It cannot be changed; here it is."
REFERENCE = re.compile(r'<dd class="reference">([^<]+)</dd>')


def _fresh(db, model):
    db.expire_all()
    return list(db.exec(select(model)))


def test_200_simultaneous_signings_of_one_choice_store_it_once_and_all_get_the_receipt(gunicorn, db):
    person = make_person(db)
    server = gunicorn(workers=2, threads=4)
    browser = Browser(server.base_url)
    browser.log_in(person.pnr)
    token = browser.csrf("/val")
    tabs = [browser.copy() for _ in range(SIGNINGS)]

    # Each tab starts its own signing and identifies at the provider; the callbacks are held back.
    with ThreadPoolExecutor(8) as pool:
        authorization_urls = list(pool.map(lambda tab: tab.begin_signing("AKAP-KR", token), tabs))
        callbacks = list(pool.map(lambda pair: pair[0].authorize(pair[1], person.pnr),
                                  zip(tabs, authorization_urls, strict=True)))
    assert len(set(callbacks)) == SIGNINGS

    barrier = threading.Barrier(SIGNINGS)

    def fire(index: int) -> requests.Response:
        barrier.wait(timeout=60)
        return tabs[index].finish(callbacks[index])

    with ThreadPoolExecutor(SIGNINGS) as pool:
        answers = list(pool.map(fire, range(SIGNINGS)))

    workers = {answer.history[0].headers["X-Worker-Pid"] for answer in answers if answer.history}
    assert len(workers) >= 2, "the signings should be handled by more than one process"
    [choice] = [row for row in _fresh(db, Choice) if row.person_id == person.id]
    assert choice.agreement == "AKAP-KR"
    for answer in answers:
        assert answer.status_code == 200, (answer.status_code, answer.text[:500])
        assert answer.url.endswith("/val/kvitto")
        assert REFERENCE.findall(answer.text) == [choice.reference]
    received = [answer for answer in answers if RECEIVED in answer.text]
    already = [answer for answer in answers if ALREADY in answer.text]
    assert len(received) == 1 and len(already) == SIGNINGS - 1
    signed = [entry for entry in _fresh(db, AuditEntry) if entry.action == "choice.signed"]
    assert [json.loads(entry.details)["choice_id"] for entry in signed] == [choice.id]


PERSONS = 48
CLIENTS = 6
KILL_AFTER_ACKNOWLEDGED = 10


def test_after_sigkill_mid_stream_every_acknowledged_choice_is_stored_whole(gunicorn, db):
    organisation = make_organisation(db)
    persons = [
        make_person(db, organisation, birth=date(1960, 1, 10) + timedelta(days=97 * n), given_name=f"Person{n}")
        for n in range(PERSONS)
    ]
    server = gunicorn(workers=2, threads=4)
    acknowledged: dict[int, str | None] = {}  # person id -> reference on the receipt (None if not fetched)
    in_flight: set[int] = set()
    lock = threading.Lock()
    enough = threading.Event()

    def sign(person) -> None:
        if enough.is_set():
            return
        with lock:
            in_flight.add(person.id)
        try:
            browser = Browser(server.base_url)
            browser.log_in(person.pnr)
            agreement = "AKAP-KR" if person.id % 2 else "KAP-KL"
            callback = browser.authorize(browser.begin_signing(agreement), person.pnr)
            answer = browser.get(callback)
            if answer.status_code != 303 or answer.headers["Location"] != "/val/kvitto":
                return
            with lock:
                acknowledged[person.id] = None
                if len(acknowledged) >= KILL_AFTER_ACKNOWLEDGED:
                    enough.set()
            receipt = browser.get("/val/kvitto")
            with lock:
                acknowledged[person.id] = REFERENCE.findall(receipt.text)[0]
        except (requests.RequestException, AssertionError, IndexError):
            pass  # the server died under this request: not acknowledged
        finally:
            with lock:
                in_flight.discard(person.id)

    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(sign, person) for person in persons]
        assert enough.wait(timeout=300), "the stream never reached the kill point"
        with lock:
            busy_at_kill = set(in_flight)
        server.kill()
        for future in futures:
            future.result(timeout=120)

    assert busy_at_kill, "the kill should hit signings in flight"
    assert len(acknowledged) < PERSONS, "the kill should interrupt the stream"
    server.start()  # the same database, a fresh server

    choices = {row.person_id: row for row in _fresh(db, Choice)}
    for person_id, reference in acknowledged.items():
        assert person_id in choices, f"acknowledged choice of person {person_id} was lost"
        if reference is not None:
            assert choices[person_id].reference == reference
    signed = [entry for entry in _fresh(db, AuditEntry) if entry.action == "choice.signed"]
    audited = [json.loads(entry.details)["choice_id"] for entry in signed]
    assert sorted(audited) == sorted(choice.id for choice in choices.values()), "choice and audit out of step"
    for choice in choices.values():
        assert choice.signed_text and choice.signed_evidence and json.loads(choice.comparison_snapshot)

    print(f"killed with {len(busy_at_kill)} signings in flight; {len(acknowledged)} acknowledged, "
          f"{len(choices)} stored")
    # After the restart the service works: someone whose signing was cut off signs again.
    by_id = {person.id: person for person in persons}
    unsigned = [person_id for person_id in by_id if person_id not in choices]
    assert unsigned
    again = Browser(server.base_url)
    again.log_in(by_id[unsigned[0]].pnr)
    receipt = again.finish(again.authorize(again.begin_signing("AKAP-KR"), by_id[unsigned[0]].pnr))
    assert RECEIVED in receipt.text
