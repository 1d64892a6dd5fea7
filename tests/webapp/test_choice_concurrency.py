"""Exactly once: many simultaneous signings for one person leave one choice (the database decides).

Runs on SQLite by default and on PostgreSQL with TEST_DATABASE_URL, as the whole suite does."""

from __future__ import annotations

import html
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import urljoin

import requests
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


# --- over HTTP: many browsers of the same person finish their signing at the same moment ---------

HTTP_SUBMISSIONS = int(os.environ.get("CHOICE_HTTP_SUBMISSIONS", "200"))
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def _answer_provider(browser: requests.Session, authorize_url: str, pnr: str) -> str:
    """Fill in the test identity provider's page; returns the callback URL it sends us back to."""
    page = browser.get(authorize_url, timeout=30)
    fields = {name: html.unescape(value) for name, value in HIDDEN_INPUT.findall(page.text)}
    fields.update(pnr=pnr, action="identify")
    answer = browser.post(urljoin(authorize_url, "/test-idp/authorize"), data=fields, allow_redirects=False,
                          timeout=30)
    assert answer.status_code == 302, answer.status_code
    return answer.headers["Location"]


def _browser_at_the_signing_page(server: str, pnr: str, agreement: str) -> tuple[requests.Session, str]:
    browser = requests.Session()
    start = browser.get(f"{server}/login/start?next=/val", allow_redirects=False, timeout=30)
    callback = _answer_provider(browser, start.headers["Location"], pnr)
    assert browser.get(callback, allow_redirects=False, timeout=30).status_code == 303
    token = HIDDEN_INPUT.search(browser.get(f"{server}/val", timeout=30).text).group(2)
    sign = browser.post(f"{server}/val/signera", data={"csrf_token": token, "agreement": agreement},
                        allow_redirects=False, timeout=30)
    assert sign.status_code == 303, sign.status_code
    return browser, sign.headers["Location"]  # the provider's signing page


def test_simultaneous_signings_over_http_leave_one_choice_and_every_answer_shows_it(app, db, server):
    app.config["FIXED_TODAY"] = "2023-04-20"
    # One in-process server is both the site and its provider here: 200 callbacks at once queue
    # their token requests behind each other on two cores, longer than a real provider would take.
    app.config["OIDC_TIMEOUT_SECONDS"] = 120
    person = make_person(db)
    # Every browser logged in and on the provider's signing page; the provider's codes live 60 s, so
    # the signing itself happens in the simultaneous part below.
    with ThreadPoolExecutor(max_workers=8) as pool:
        browsers = list(pool.map(
            lambda n: _browser_at_the_signing_page(server, person.pnr, "AKAP-KR" if n % 2 else "KAP-KL"),
            range(HTTP_SUBMISSIONS),
        ))
    barrier = threading.Barrier(len(browsers))
    answers, errors = [], []

    def finish(browser: requests.Session, signing_page: str) -> None:
        try:
            barrier.wait(timeout=60)
            callback = _answer_provider(browser, signing_page, person.pnr)
            response = browser.get(callback, timeout=120)  # follows the redirect to the receipt
            answers.append((response.status_code, response.url, response.text))
        except Exception as error:  # collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=finish, args=browser) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    [choice] = choices_of(db, db.get(Person, person.id))
    assert len(answers) == HTTP_SUBMISSIONS
    received = already = 0
    for status, url, text in answers:
        assert status == 200 and url.endswith("/val/kvitto")
        assert choice.reference in text
        received += "Ditt val har tagits emot." in text
        already += "Du har redan gjort ditt val." in text
    assert received == 1 and already == HTTP_SUBMISSIONS - 1
