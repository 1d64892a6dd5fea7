"""Hostile and random input to the employer forms and query strings: a page, a validation message
or a redirect, never a server error, and nothing stored from a refused form."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.employer_factories import World
from webapp.models import Decision

texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=50),
    st.sampled_from(["' OR 1=1 --", "%", "_", "<script>alert(1)</script>", "1" * 5000, "١٢٣٤٥٦٧٨٩٠", "𝔘𝔫𝔦"]),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def staff_client(app, db):
    world = World(db)
    client = app.test_client()
    now = int(time.time())
    with client.session_transaction() as session:
        session.update(person_id=world.approver.id, auth_time=now, last_seen=now)
    page = client.get("/arbetsgivare/").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client, token, world


@SETTINGS
@given(term=texts)
def test_search_terms_never_break_the_queue(staff_client, term):
    client, token, _world = staff_client
    response = client.post("/arbetsgivare/sok", data={"csrf_token": token, "term": term})
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200


@SETTINGS
@given(status=texts, sort=texts, page=texts, start=texts)
def test_query_strings_never_break_the_queue(staff_client, status, sort, page, start):
    client, _token, _world = staff_client
    response = client.get("/arbetsgivare/", query_string={"status": status, "sort": sort, "page": page,
                                                           "from": start, "to": start})
    assert response.status_code == 200


@SETTINGS
@given(outcome=texts, reason=st.one_of(st.just(""), st.text(alphabet=" \t\n\r", max_size=5)))
def test_a_decision_form_with_an_unknown_outcome_or_a_blank_reason_stores_nothing(staff_client, db, outcome, reason):
    client, token, world = staff_client
    if outcome == "approved":
        return
    response = client.post(f"/arbetsgivare/val/{world.choice.id}/beslut",
                           data={"csrf_token": token, "outcome": outcome, "reason": reason})
    assert response.status_code == 422
    assert db.exec(select(Decision)).all() == []


@SETTINGS
@given(reason=texts)
def test_any_rejection_reason_is_refused_or_stored_cleanly(staff_client, db, reason):
    client, token, world = staff_client
    response = client.post(f"/arbetsgivare/val/{world.choice.id}/beslut",
                           data={"csrf_token": token, "outcome": "rejected", "reason": reason})
    assert response.status_code in (303, 422)
    stored = db.exec(select(Decision)).first()
    if response.status_code == 422:
        assert stored is None
    else:
        assert stored is not None and "\x00" not in stored.reason
        db.delete(stored)
        db.commit()
        from webapp.models import Choice

        choice = db.get(Choice, world.choice.id)
        db.refresh(choice)
        choice.status = "received"
        db.add(choice)
        db.commit()
