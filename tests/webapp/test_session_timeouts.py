"""Sessions end after 15 minutes without a request and after 8 hours in all (issue 5)."""

from __future__ import annotations

from datetime import date

import pytest

import webapp.auth.session
from tests.factories import make_employee

START = 1_700_000_000
MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    now = [START]
    monkeypatch.setattr(webapp.auth.session, "_epoch", lambda: now[0])
    return now


@pytest.fixture
def logged_in(client, db, clock):
    person = make_employee(db, birth_date=date(1970, 1, 1))
    with client.session_transaction() as session:
        session.update(person_id=person.id, auth_time=START, last_seen=START)
    return person


def _in(client) -> bool:
    response = client.get("/min-pension")
    return response.status_code == 200


def test_fourteen_idle_minutes_keep_the_session(client, clock, logged_in):
    clock[0] += 14 * MINUTE
    assert _in(client)


def test_fifteen_idle_minutes_end_it_with_a_message(client, clock, logged_in):
    clock[0] += 15 * MINUTE + 1
    response = client.get("/min-pension", follow_redirects=True)
    assert response.request.path == "/login"
    assert "Du har loggats ut eftersom din session tog slut" in response.get_data(as_text=True)
    assert not _in(client)


def test_the_idle_time_counts_from_at_most_half_a_minute_before_the_last_request(client, clock, logged_in):
    """The idle clock restarts at most every 30 s (so most requests send no new cookie): the
    session ends between 14½ and 15 minutes after the last request, never later."""
    clock[0] += 29
    assert _in(client)
    clock[0] = START + 15 * MINUTE + 1  # 14 min 32 s after the last request
    assert not _in(client)


def test_activity_keeps_it_until_eight_hours_in_all(client, clock, logged_in):
    for _ in range(8 * 6 - 1):  # a request every ten minutes
        clock[0] += 10 * MINUTE
        assert _in(client)
    clock[0] += 10 * MINUTE + 1
    assert not _in(client)
