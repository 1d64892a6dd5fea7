"""On PostgreSQL a process keeps each person's data version and forgets it when the database's
notice arrives (webapp/person_versions.py): a repeated page costs no query, a change made
elsewhere shows within moments, and while the notices cannot arrive every page asks."""

from __future__ import annotations

import re
import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, text, update

from tests.conftest import POSTGRES_URL
from tests.factories import flat_salaries, make_employee
from webapp import create_app
from webapp.models import SalaryYear
from webapp.person_versions import APPLICATION_NAME

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="notices are PostgreSQL's")


def _until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def listening_app(database_url):
    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
                      "TEST_IDP": "1", "PERSON_DATA_NOTICES": "1", "FIXED_TODAY": "2023-04-20"})
    app.config["FIXED_TODAY"] = "2023-04-20"
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def browser(listening_app, db):
    person = make_employee(db, birth_date=date(1966, 4, 4), salaries=flat_salaries(2005, 2022, 480_000))
    client = listening_app.test_client()
    with client.session_transaction() as session:
        now = int(time.time())
        session.update(person_id=person.id, auth_time=now, last_seen=now)
    versions = listening_app.extensions["person_versions"]
    client.get("/")  # the first request starts this process's listener
    assert _until(lambda: versions.listening), "the listener did not connect"
    statements: list[str] = []
    event.listen(listening_app.extensions["db_engine"], "before_cursor_execute",
                 lambda *args: statements.append(args[2]))
    return client, person, versions, statements


def _page(client) -> str:
    """The page without its CSRF token (signed anew each second)."""
    response = client.get("/min-pension")
    assert response.status_code == 200
    return re.sub(r'(csrf_token" value="|X-CSRFToken": ")[^"]+', r"\1", response.get_data(as_text=True))


def test_a_repeated_page_costs_no_query_and_a_change_elsewhere_shows_within_moments(browser, db):
    client, person, _versions, statements = browser
    before = _page(client)
    statements.clear()
    assert _page(client) == before and statements == []
    # The employer's salary file, committed by another connection (another process, another host).
    db.exec(update(SalaryYear).where(SalaryYear.person_id == person.id).values(amount=Decimal(720_000)))
    db.commit()
    assert _until(lambda: _page(client) != before, seconds=5)


def test_while_the_notices_cannot_arrive_every_page_asks_the_database(browser, db):
    client, person, versions, statements = browser
    _page(client)
    db.exec(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"),
            params={"name": APPLICATION_NAME})
    assert _until(lambda: not versions.listening)
    for _ in range(2):
        statements.clear()
        _page(client)
        assert len(statements) == 1  # the version, read again
    assert _until(lambda: versions.listening), "the listener did not reconnect"
    _page(client)
    statements.clear()
    _page(client)
    assert statements == []
