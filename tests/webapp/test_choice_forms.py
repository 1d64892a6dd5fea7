"""Hostile and random input to the choice forms: a validation message or a redirect, never a 500,
and nothing stored from a rejected form."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from tests.choice_factories import make_person
from webapp.models import Choice, LateChoiceRequest

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HOSTILE_TEXT = st.one_of(
    st.text(max_size=3000),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.sampled_from(["\x00", "<script>alert(1)</script>", "' OR 1=1 --", "ﷺ" * 500, "x" * 5000, "\u202e\u0000kr"]),
)


def _count(db, model) -> int:
    db.expire_all()
    return db.exec(select(func.count()).select_from(model)).one()


@SETTINGS
@given(agreement=HOSTILE_TEXT)
def test_the_choice_form_refuses_anything_but_the_two_agreements(app, client, db, login_as, csrf_token, agreement):
    app.config["FIXED_TODAY"] = "2023-04-20"
    login_as(make_person(db))
    token = csrf_token("/val")
    for path in ("/val/bekrafta", "/val/signera"):
        response = client.post(path, data={"csrf_token": token, "agreement": agreement})
        if agreement in ("KAP-KL", "AKAP-KR"):
            assert response.status_code in (200, 303)
        else:
            assert response.status_code == 400, (path, response.status_code)
    assert _count(db, Choice) == 0


@SETTINGS
@given(reason=HOSTILE_TEXT)
def test_the_late_request_form_stores_clean_text_or_nothing(app, client, db, login_as, csrf_token, reason):
    app.config["FIXED_TODAY"] = "2023-06-15"
    person = make_person(db)
    login_as(person)
    response = client.post("/val/sen-begaran", data={"csrf_token": csrf_token("/val"), "reason": reason})
    stored = db.exec(select(LateChoiceRequest).where(LateChoiceRequest.person_id == person.id)).first()
    if response.status_code == 400:
        assert stored is None
    else:
        assert response.status_code == 303 and stored is not None
        assert "\x00" not in stored.reason and 3 <= len(stored.reason) <= 2000
