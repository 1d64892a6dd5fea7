"""Decisions on choices and late-choice requests: approvers decide, handlers only see; a rejection
needs a reason; a case is decided once; opening a case and every decision are audited."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from tests.employer_factories import World, employ, give_salaries, make_choice, make_late_request, make_person
from webapp.models import AuditEntry, Choice, Decision, LateChoiceRequest


@pytest.fixture
def world(db):
    return World(db)


def _decide(client, csrf_token, choice_id, **data):
    token = csrf_token(f"/arbetsgivare/val/{choice_id}")
    return client.post(f"/arbetsgivare/val/{choice_id}/beslut", data={"csrf_token": token, **data})


def _audit(db, action):
    return db.exec(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_approver_approves_a_choice_and_the_decision_is_audited(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    response = _decide(client, csrf_token, world.choice.id, outcome="approved")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "approved"
    decision = db.exec(select(Decision).where(Decision.choice_id == world.choice.id)).one()
    assert (decision.outcome, decision.decided_by) == ("approved", world.approver.id)
    [entry] = _audit(db, "choice_approved")
    assert (entry.actor_id, entry.subject_person_id) == (world.approver.id, world.employee.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Valet godkändes." in page and "Godkänt av Karin Karlsson" in page


def test_rejection_without_a_reason_is_refused_and_nothing_is_stored(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    response = _decide(client, csrf_token, world.choice.id, outcome="rejected", reason="   ")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ange skälet till avslaget" in html
    assert 'aria-describedby="reason-error"' in html
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "received"
    assert db.exec(select(Decision)).all() == []
    assert _audit(db, "choice_rejected") == []


def test_rejection_with_a_reason_stores_the_reason_for_the_employee(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    _decide(client, csrf_token, world.choice.id, outcome="rejected", reason="Anställningen upphörde 2022.")
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "rejected"
    decision = db.exec(select(Decision)).one()
    assert decision.reason == "Anställningen upphörde 2022."
    [entry] = _audit(db, "choice_rejected")
    assert json.loads(entry.details)["reason"] == "Anställningen upphörde 2022."


def test_handler_sees_the_case_but_cannot_decide(client, login_as, csrf_token, db, world):
    login_as(world.handler)
    page = client.get(f"/arbetsgivare/val/{world.choice.id}").get_data(as_text=True)
    assert "Bara en attestant" in page and 'name="outcome"' not in page
    response = _decide(client, csrf_token, world.choice.id, outcome="approved")
    assert response.status_code == 403
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "received"


def test_a_decided_case_cannot_be_decided_again(client, login_as, csrf_token, db, world):
    second = make_person(db, "Andra", "Attestanten")
    from webapp.models import EmployerRole

    db.add(EmployerRole(person_id=second.id, organisation_id=world.org.id, role="approver"))
    db.commit()
    login_as(world.approver)
    _decide(client, csrf_token, world.choice.id, outcome="approved")
    login_as(second)
    response = _decide(client, csrf_token, world.choice.id, outcome="rejected", reason="Fel.")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "redan beslutat" in page and "Karin Karlsson" in page
    db.expire_all()
    assert len(db.exec(select(Decision)).all()) == 1
    assert db.get(Choice, world.choice.id).status == "approved"


def test_bulk_decision_decides_the_selected_and_reports_the_rest(client, login_as, csrf_token, db, world):
    choices = [make_choice(db, make_person(db, "P", f"Bulk{i}"), world.org) for i in range(3)]
    decided = make_choice(db, make_person(db, "Redan", "Klar"), world.org)
    login_as(world.approver)
    _decide(client, csrf_token, decided.id, outcome="approved")
    ids = [c.id for c in choices] + [decided.id, world.other_choice.id]
    response = client.post("/arbetsgivare/beslut", data={
        "csrf_token": csrf_token("/arbetsgivare/"), "choice_id": ids, "outcome": "approved", "status": "all",
    })
    assert response.status_code == 303 and "status=all" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 val har beslutats." in page
    assert "redan beslutat" in page
    assert "1 av de markerade valen kan du inte besluta om." in page
    db.expire_all()
    assert {db.get(Choice, c.id).status for c in choices} == {"approved"}
    assert db.get(Choice, world.other_choice.id).status == "received"


def test_bulk_rejection_needs_a_reason(client, login_as, csrf_token, db, world):
    login_as(world.approver)
    response = client.post("/arbetsgivare/beslut", data={
        "csrf_token": csrf_token("/arbetsgivare/"), "choice_id": [world.choice.id], "outcome": "rejected",
    })
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ange skälet till avslaget" in page
    db.expire_all()
    assert db.get(Choice, world.choice.id).status == "received"


def test_opening_a_case_page_is_audited_and_shown_in_the_case_history(client, login_as, db, world):
    login_as(world.handler)
    page = client.get(f"/arbetsgivare/val/{world.choice.id}").get_data(as_text=True)
    [entry] = _audit(db, "case_opened")
    assert (entry.actor_id, entry.subject_person_id) == (world.handler.id, world.employee.id)
    assert "Ärendet öppnades" in page and "Johan Jansson" in page
    # The case page shows the signed text, the evidence and the comparison the employee saw.
    assert "Jag väljer AKAP-KR." in page
    assert "eyJhbGciOiJSUzI1NiJ9" in page
    assert "Förmånsbestämd ålderspension (FÅP)" in page or "Defined-benefit retirement pension (FÅP)" in page
    assert "22\u00a0500\u00a0kr" in page and "1\u00a0500\u00a0kr" in page
    # The eligibility as the domain computes it, rule by rule (no salary in the register: may not choose).
    assert "Född 1958–1985" in page and "Får inte välja" in page


def test_late_request_is_granted_by_an_approver(client, login_as, csrf_token, db, world):
    late = make_late_request(db, make_person(db, "Sen", "Sensson"), world.org)
    login_as(world.approver)
    url = f"/arbetsgivare/sena-val/{late.id}"
    response = client.post(f"{url}/beslut", data={"csrf_token": csrf_token(url), "outcome": "granted"})
    assert response.status_code == 303
    db.expire_all()
    stored = db.get(LateChoiceRequest, late.id)
    assert (stored.status, stored.decided_by) == ("granted", world.approver.id)
    assert len(_audit(db, "late_request_granted")) == 1
    # Decided once: a second decision changes nothing.
    again = client.post(f"{url}/beslut", data={"csrf_token": csrf_token(url), "outcome": "refused", "reason": "Nej"})
    assert "redan beslutat" in client.get(again.headers["Location"]).get_data(as_text=True)
    db.expire_all()
    assert db.get(LateChoiceRequest, late.id).status == "granted"


def test_late_request_refusal_needs_a_reason(client, login_as, csrf_token, db, world):
    late = make_late_request(db, make_person(db, "Sen", "Sensson"), world.org)
    login_as(world.approver)
    url = f"/arbetsgivare/sena-val/{late.id}"
    response = client.post(f"{url}/beslut", data={"csrf_token": csrf_token(url), "outcome": "refused"})
    assert response.status_code == 422
    db.expire_all()
    assert db.get(LateChoiceRequest, late.id).status == "pending"
    client.post(f"{url}/beslut", data={"csrf_token": csrf_token(url), "outcome": "refused",
                                      "reason": "Perioden var känd."})
    db.expire_all()
    stored = db.get(LateChoiceRequest, late.id)
    assert (stored.status, stored.decision_reason) == ("refused", "Perioden var känd.")


def test_handler_cannot_decide_a_late_request(client, login_as, csrf_token, db, world):
    late = make_late_request(db, make_person(db, "Sen", "Sensson"), world.org)
    login_as(world.handler)
    url = f"/arbetsgivare/sena-val/{late.id}"
    response = client.post(f"{url}/beslut", data={"csrf_token": csrf_token(url), "outcome": "granted"})
    assert response.status_code == 403
    db.expire_all()
    assert db.get(LateChoiceRequest, late.id).status == "pending"


def test_late_requests_list_shows_waiting_requests_of_own_organisation(client, login_as, db, world):
    make_late_request(db, make_person(db, "Egen", "Begäran"), world.org)
    make_late_request(db, make_person(db, "Annan", "Begäran"), world.other_org)
    login_as(world.handler)
    page = client.get("/arbetsgivare/sena-val").get_data(as_text=True)
    assert "Egen Begäran" in page and "Annan Begäran" not in page


def test_missing_choices_lists_employees_without_a_choice_with_the_deadline(client, login_as, db, world):
    waiting = make_person(db, "Ej", "Valt", date(1970, 1, 1))
    employ(db, waiting, world.org)
    give_salaries(db, waiting, world.org, 900_000)
    low = make_person(db, "Låg", "Lön", date(1970, 1, 1))
    employ(db, low, world.org)
    give_salaries(db, low, world.org, 300_000)
    left = make_person(db, "Slutat", "Tidigare", date(1970, 1, 1))
    employ(db, left, world.org, end=date(2022, 10, 31))
    elsewhere = make_person(db, "Annan", "Arbetsgivare", date(1970, 1, 1))
    employ(db, elsewhere, world.other_org)
    login_as(world.handler)
    page = client.get("/arbetsgivare/saknade-val").get_data(as_text=True)
    assert "Ej Valt" in page
    assert "Anna Andersson" not in page  # has chosen
    assert "Slutat Tidigare" not in page and "Annan Arbetsgivare" not in page
    assert "Låg Lön" not in page  # the domain finds them not eligible
    assert "31 maj 2023" in page


def test_a_late_choice_and_its_granted_request_link_to_each_other(client, login_as, db, world):
    person = make_person(db, "Sen", "Sensson")
    late = make_late_request(db, person, world.org)
    late.status = "granted"
    db.add(late)
    db.commit()
    choice = make_choice(db, person, world.org, is_late=True)
    login_as(world.handler)
    case_page = client.get(f"/arbetsgivare/val/{choice.id}").get_data(as_text=True)
    assert f'href="/arbetsgivare/sena-val/{late.id}"' in case_page and "Beviljad" in case_page
    late_page = client.get(f"/arbetsgivare/sena-val/{late.id}").get_data(as_text=True)
    assert f'href="/arbetsgivare/val/{choice.id}"' in late_page


def test_during_a_closure_staff_can_search_and_read_but_not_decide(app, client, login_as, csrf_token, db, world):
    from datetime import UTC, datetime, timedelta

    from webapp.services.closures import schedule_closure

    start = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
    schedule_closure(db, start, start + timedelta(hours=3))
    app.config["FIXED_NOW"] = start + timedelta(minutes=30)
    login_as(world.approver)
    token = csrf_token("/arbetsgivare/")
    search = client.post("/arbetsgivare/sok", data={"csrf_token": token, "term": "Anna"})
    assert search.status_code == 303
    assert world.choice.reference in client.get(search.headers["Location"]).get_data(as_text=True)
    assert client.get(f"/arbetsgivare/val/{world.choice.id}").status_code == 200
    refused = client.post(f"/arbetsgivare/val/{world.choice.id}/beslut",
                          data={"csrf_token": token, "outcome": "rejected", "reason": "Skälet jag skrev"})
    assert refused.status_code == 503 and "Skälet jag skrev" in refused.get_data(as_text=True)
    db.expire_all()
    assert db.exec(select(Decision)).all() == []


def test_the_employee_sees_the_decision_at_once_on_a_page_kept_before_it(client, login_as, csrf_token, db, world):
    """The choice page is kept whole (webapp/render_cache.py); the decision bumps the employee's
    data version, so the page kept before it is never shown again."""
    login_as(world.employee)
    before = client.get("/val").get_data(as_text=True)
    login_as(world.approver)
    assert _decide(client, csrf_token, world.choice.id, outcome="approved").status_code == 303
    login_as(world.employee)
    after = client.get("/val").get_data(as_text=True)
    assert "Mottaget" in before and "Godkänt" not in before
    assert "Din arbetsgivare har godkänt ditt val." in after and "Mottaget" not in after
