"""The one-time choice: who may choose, choosing and signing once, the receipt, late choices."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.choice_factories import (
    answer_late_request,
    choices_of,
    decide,
    fake_id_token,
    make_person,
    sign_choice,
)
from tests.factories import make_organisation
from webapp import clock
from webapp.models import AuditEntry, LateChoiceRequest

INSIDE = "2023-04-20"
AFTER = "2023-06-15"


@pytest.fixture
def today(app):
    def _set(day: str) -> None:
        app.config["FIXED_TODAY"] = day
        app.config.pop("FIXED_NOW", None)

    _set(INSIDE)
    return _set


@pytest.fixture
def person(db):
    return make_person(db)


def complete_signing(app, person, agreement="AKAP-KR", signed_text="Jag väljer", id_token=None):
    """What the auth blueprint does after a verified fresh signing login of the same person."""
    from webapp.choice.views import complete_signed_choice

    with app.test_request_context("/auth/sign/callback"):
        response = complete_signed_choice(person, {"agreement": agreement, "campaign": "2023"}, signed_text,
                                          id_token or fake_id_token(person), clock.now())
        return response.status_code, response.headers.get("Location")


def post_choice(client, csrf_token, path, agreement="AKAP-KR"):
    return client.post(path, data={"csrf_token": csrf_token("/val"), "agreement": agreement})


def test_eligible_person_sees_the_rules_the_period_and_the_form(client, login_as, person, today):
    login_as(person)
    page = client.get("/val").get_data(as_text=True)
    assert "Du får välja mellan KAP-KL och AKAP-KR" in page
    assert "31 maj 2023" in page and "30 juni 2023" in page
    assert 'name="agreement" value="AKAP-KR"' in page and 'name="agreement" value="KAP-KL"' in page


def test_confirmation_states_the_choice_cannot_be_undone_and_shows_the_text_to_sign(
        client, login_as, person, today, csrf_token):
    login_as(person)
    page = post_choice(client, csrf_token, "/val/bekrafta").get_data(as_text=True)
    assert "Valet går inte att ångra" in page
    assert "väljer att byta till AKAP-KR" in page and person.name in page
    assert 'action="/val/signera"' in page and 'value="AKAP-KR"' in page


def test_choosing_without_picking_an_agreement_shows_an_error_linked_to_the_field(
        client, login_as, person, today, csrf_token):
    login_as(person)
    response = client.post("/val/bekrafta", data={"csrf_token": csrf_token("/val")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Välj KAP-KL eller AKAP-KR." in page and 'aria-describedby="agreement-error"' in page


def test_signed_choice_is_stored_once_with_evidence_snapshot_and_audit(app, client, db, login_as, person, today):
    status, location = complete_signing(app, person, "AKAP-KR", "Jag väljer AKAP-KR", "id.token.sig")
    assert status == 303 and location.endswith("/val/kvitto")
    [choice] = choices_of(db, person)
    assert choice.agreement == "AKAP-KR" and choice.status == "received" and not choice.is_late
    assert choice.signed_evidence == "id.token.sig" and choice.signed_text == "Jag väljer AKAP-KR"
    assert choice.reference.startswith("PV-2023-") and len(choice.reference) == 16
    snapshot = json.loads(choice.comparison_snapshot)
    assert snapshot["stay"]["agreement"] == "KAP-KL" and snapshot["move"]["agreement"] == "AKAP-KR"
    audit = db.exec(AuditEntry.__table__.select().where(AuditEntry.action == "choice.signed")).all()
    assert len(audit) == 1 and audit[0].subject_person_id == person.id

    login_as(person)
    receipt = client.get("/val/kvitto").get_data(as_text=True)
    assert choice.reference in receipt and "Byta till AKAP-KR" in receipt and "Jag väljer AKAP-KR" in receipt
    # The comparison the choice was based on, as stored, not recalculated.
    with app.test_request_context():
        from webapp.i18n import format_money

        for side in ("stay", "move"):
            assert format_money(Decimal(snapshot[side]["total_monthly"])) in receipt


def test_references_are_random_not_sequential(app, db, today):
    organisation = make_organisation(db)
    people = [make_person(db, organisation) for _ in range(3)]
    references = {sign_choice(db, someone).reference for someone in people}
    assert len(references) == 3
    assert all(ref[8:].isalnum() and ref[8:].upper() == ref[8:] for ref in references)


def test_a_replayed_signing_callback_does_not_create_a_second_choice(app, db, person, today):
    complete_signing(app, person, "AKAP-KR")
    status, location = complete_signing(app, person, "KAP-KL")
    assert status == 303 and location.endswith("/val/kvitto")
    [choice] = choices_of(db, person)
    assert choice.agreement == "AKAP-KR"


def test_a_second_attempt_shows_the_existing_choice(client, db, login_as, person, today, csrf_token):
    choice = sign_choice(db, person, "KAP-KL")
    login_as(person)
    page = client.get("/val").get_data(as_text=True)
    assert choice.reference in page and 'name="agreement"' not in page
    for path in ("/val/bekrafta", "/val/signera"):
        response = post_choice(client, csrf_token, path, "AKAP-KR")
        assert response.status_code == 303 and response.headers["Location"].endswith("/val/kvitto")
    assert len(choices_of(db, person)) == 1


def test_a_person_who_may_not_choose_gets_no_form_and_cannot_post_one(
        client, db, login_as, today, csrf_token):
    person = make_person(db, birth=__import__("datetime").date(1955, 5, 5))
    login_as(person)
    page = client.get("/val").get_data(as_text=True)
    assert "Du kan inte välja" in page and 'name="agreement"' not in page
    assert "Du är inte född mellan 1958 och 1985" in page
    response = post_choice(client, csrf_token, "/val/bekrafta")
    assert response.status_code == 303
    status, _ = complete_signing(client.application, person)
    assert status == 303 and choices_of(db, person) == []


def test_before_the_period_the_page_says_when_it_opens(client, login_as, person, today):
    today("2023-03-15")
    login_as(person)
    page = client.get("/val").get_data(as_text=True)
    assert "öppnar den 1 april 2023" in page and 'name="agreement"' not in page


def test_after_the_period_an_eligible_person_stays_in_kap_kl_and_cannot_choose(
        app, client, db, login_as, person, today, csrf_token):
    today(AFTER)
    login_as(person)
    page = client.get("/val").get_data(as_text=True)
    assert "Valperioden är slut" in page and "du är kvar i KAP-KL" in page
    assert 'name="agreement"' not in page and "/val/sen-begaran" in page
    assert post_choice(client, csrf_token, "/val/bekrafta").status_code == 303
    complete_signing(app, person)
    assert choices_of(db, person) == []


def test_late_request_needs_a_reason(client, db, login_as, person, today, csrf_token):
    today(AFTER)
    login_as(person)
    response = client.post("/val/sen-begaran", data={"csrf_token": csrf_token("/val"), "reason": "   "})
    assert response.status_code == 400
    assert 'aria-describedby="reason-hint reason-error"' in response.get_data(as_text=True)
    assert db.exec(LateChoiceRequest.__table__.select()).all() == []


def test_late_request_granted_then_the_person_chooses_late(app, client, db, login_as, person, today, csrf_token):
    today(AFTER)
    login_as(person)
    response = client.post("/val/sen-begaran", data={"csrf_token": csrf_token("/val"),
                                                     "reason": "Jag låg på sjukhus hela maj."})
    assert response.status_code == 303
    page = client.get("/val").get_data(as_text=True)
    assert "Du begärde ett sent val" in page and 'name="agreement"' not in page
    # One request per person and campaign.
    again = client.post("/val/sen-begaran", data={"csrf_token": csrf_token("/val"), "reason": "igen"})
    assert again.status_code == 303
    assert len(db.exec(LateChoiceRequest.__table__.select()).all()) == 1
    audit = db.exec(AuditEntry.__table__.select().where(AuditEntry.action == "late_choice.requested")).all()
    assert len(audit) == 1 and audit[0].actor_id == person.id

    answer_late_request(db, person, "granted")
    page = client.get("/val").get_data(as_text=True)
    assert "räknas som gjort inom perioden" in page and 'name="agreement" value="AKAP-KR"' in page
    complete_signing(app, person, "AKAP-KR")
    [choice] = choices_of(db, person)
    assert choice.is_late


def test_refused_late_request_shows_the_employers_reason(client, db, login_as, person, today, csrf_token):
    today(AFTER)
    login_as(person)
    client.post("/val/sen-begaran", data={"csrf_token": csrf_token("/val"), "reason": "Jag glömde."})
    answer_late_request(db, person, "refused", "Du kunde välja under perioden.")
    page = client.get("/val").get_data(as_text=True)
    assert "avslagit din begäran" in page and "Du kunde välja under perioden." in page
    assert 'name="agreement"' not in page


def test_late_request_is_not_possible_during_the_period(client, db, login_as, person, today, csrf_token):
    login_as(person)
    response = client.post("/val/sen-begaran", data={"csrf_token": csrf_token("/val"), "reason": "Sjuk"})
    assert response.status_code == 303
    assert db.exec(LateChoiceRequest.__table__.select()).all() == []


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("approved", None, "Din arbetsgivare har godkänt ditt val"),
        ("rejected", "Anställningen upphörde före valet.", "Anställningen upphörde före valet."),
        ("reported", None, "rapporterat ditt val till pensionsadministratören"),
    ],
)
def test_the_page_shows_how_the_employer_has_handled_the_choice(
        client, db, login_as, person, today, status, reason, expected):
    choice = sign_choice(db, person)
    if status == "reported":
        choice.status = "reported"
        db.add(choice)
        db.commit()
    else:
        decide(db, choice, status, reason)
    login_as(person)
    assert expected in client.get("/val").get_data(as_text=True)


def test_receipt_pdf_downloads_with_the_reference(client, db, login_as, person, today):
    choice = sign_choice(db, person)
    login_as(person)
    response = client.get("/val/kvitto.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f'filename="kvitto-{choice.reference}.pdf"' in response.headers["Content-Disposition"]
    assert f"/Subject ({choice.reference})".encode() in response.data
    # Swedish letters need an embedded Unicode font, not a core PDF font.
    assert b"DejaVuSans" in response.data and b"/FontFile2" in response.data


def test_another_person_cannot_see_someone_elses_receipt(client, db, login_as, person, today):
    choice = sign_choice(db, person)
    other = make_person(db, given_name="Olle", family_name="Ölund")
    login_as(other)
    page = client.get("/val/kvitto", follow_redirects=True).get_data(as_text=True)
    assert choice.reference not in page
    assert client.get("/val/kvitto.pdf").status_code == 404
    assert choice.reference not in client.get("/val").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_login(client, db, person, today):
    for path in ("/val", "/val/kvitto", "/val/kvitto.pdf", "/val/sen-begaran"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_whole_choice_through_the_test_identity_provider_signs_once(app, client, db, idp, person, today,
                                                                        csrf_token):
    assert idp.login(person.pnr).status_code == 303
    token = csrf_token("/val")
    confirm = client.post("/val/bekrafta", data={"csrf_token": token, "agreement": "AKAP-KR"})
    signed_text = re.search(r'<blockquote class="signed-text" id="signed-text">([^<]+)</blockquote>',
                            confirm.get_data(as_text=True)).group(1)
    start = client.post("/val/signera", data={"csrf_token": token, "agreement": "AKAP-KR"})
    assert start.status_code == 303
    with client.session_transaction() as cookie:  # the text being signed waits in the session cookie
        assert person.pnr not in json.dumps(dict(cookie), default=str)
        assert person.pnr[:8] + "-" + person.pnr[8:] not in json.dumps(dict(cookie), default=str)
    callback_url = idp.authorize(start.headers["Location"], person.pnr)
    done = idp.callback(callback_url)
    assert done.status_code == 303 and done.headers["Location"].endswith("/val/kvitto")
    [choice] = choices_of(db, person)
    assert choice.agreement == "AKAP-KR" and html.unescape(signed_text) == choice.signed_text
    assert choice.signed_evidence.count(".") == 2  # the signing login's ID token (a JWS)
    # A replayed callback (the browser's back button, a resent request) stores nothing new.
    idp.callback(callback_url)
    assert len(choices_of(db, person)) == 1
    assert choice.reference in client.get("/val/kvitto").get_data(as_text=True)


CLOSURE_START = datetime(2023, 4, 20, 20, 0, tzinfo=UTC)
CLOSURE_END = CLOSURE_START + timedelta(hours=2)


def _at(app, moment):
    app.config["FIXED_TODAY"] = None
    app.config["FIXED_NOW"] = moment


def test_confirming_during_a_planned_closure_keeps_the_chosen_agreement(app, client, db, login_as, person,
                                                                        csrf_token):
    from webapp.services.closures import schedule_closure

    schedule_closure(db, CLOSURE_START, CLOSURE_END)
    _at(app, CLOSURE_START + timedelta(minutes=10))
    login_as(person)
    response = post_choice(client, csrf_token, "/val/bekrafta", "AKAP-KR")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert 'action="/val/bekrafta"' in page and 'name="agreement" value="AKAP-KR"' in page
    _at(app, CLOSURE_END + timedelta(minutes=1))
    resent = post_choice(client, csrf_token, "/val/bekrafta", "AKAP-KR")
    assert resent.status_code == 200 and "Valet går inte att ångra" in resent.get_data(as_text=True)


def test_a_signing_that_returns_during_a_planned_closure_stores_nothing(app, client, db, idp, person,
                                                                         csrf_token):
    from webapp.services.closures import schedule_closure

    schedule_closure(db, CLOSURE_START, CLOSURE_END)
    _at(app, CLOSURE_START - timedelta(minutes=1))
    idp.login(person.pnr)
    start = client.post("/val/signera", data={"csrf_token": csrf_token("/val"), "agreement": "KAP-KL"})
    callback_url = idp.authorize(start.headers["Location"], person.pnr)
    _at(app, CLOSURE_START + timedelta(minutes=1))
    response = idp.callback(callback_url)
    assert response.status_code == 503
    assert choices_of(db, person) == []
    # The handler refuses on its own too, whoever calls it.
    from webapp.closures import ServiceClosed

    with pytest.raises(ServiceClosed):
        complete_signing(app, person)
    assert choices_of(db, person) == []


def test_a_failing_comparison_does_not_cost_the_person_their_choice(app, client, db, login_as, person, today,
                                                                    monkeypatch):
    import domain

    def broken(*_args, **_kwargs):
        raise domain.MissingParameter("comparison_real_return", datetime(2023, 4, 20).date())

    monkeypatch.setattr(domain, "compare", broken)
    complete_signing(app, person, "KAP-KL")
    [choice] = choices_of(db, person)
    assert json.loads(choice.comparison_snapshot)["unavailable"] is True
    login_as(person)
    assert "Jämförelsen kunde inte beräknas" in client.get("/val/kvitto").get_data(as_text=True)
    assert client.get("/val/kvitto.pdf").status_code == 200


def test_without_late_choices_in_the_campaign_the_period_end_is_final(client, db, login_as, person, today,
                                                                      csrf_token, monkeypatch):
    import dataclasses

    from webapp.services import choices as service

    real = service.campaign()
    assert real.late_choice_allowed  # the 2023 campaign allows them [S3]
    monkeypatch.setattr(service, "campaign", lambda: dataclasses.replace(real, late_choice_allowed=False))
    today(AFTER)
    login_as(person)
    page = client.get("/val").get_data(as_text=True)
    assert "Valperioden är slut" in page and "/val/sen-begaran" not in page
    response = client.post("/val/sen-begaran", data={"csrf_token": csrf_token("/val"), "reason": "Sjuk hela maj"})
    assert response.status_code == 303
    assert db.exec(LateChoiceRequest.__table__.select()).all() == []


def test_a_double_click_on_sign_stores_one_choice(app, client, db, idp, person, today, csrf_token):
    idp.login(person.pnr)
    token = csrf_token("/val")
    starts = [client.post("/val/signera", data={"csrf_token": token, "agreement": "AKAP-KR"}) for _ in range(2)]
    assert [start.status_code for start in starts] == [303, 303]
    callbacks = [idp.authorize(start.headers["Location"], person.pnr) for start in starts]
    answers = [idp.callback(url) for url in reversed(callbacks)]
    assert answers[0].status_code == 303 and answers[0].headers["Location"].endswith("/val/kvitto")
    assert len(choices_of(db, person)) == 1
    # Whatever the other signing does, the person ends on their one choice.
    assert client.get("/val", follow_redirects=True).status_code == 200
    assert len(choices_of(db, person)) == 1


def test_the_receipt_and_its_pdf_in_english(client, db, login_as, person, today):
    choice = sign_choice(db, person, "KAP-KL")
    login_as(person)
    english = {"Accept-Language": "en"}
    page = client.get("/val/kvitto", headers=english).get_data(as_text=True)
    assert "Receipt for your pension choice" in page and "Stay in KAP-KL" in page and "SEK" in page
    pdf = client.get("/val/kvitto.pdf", headers=english)
    assert pdf.status_code == 200 and f'filename="receipt-{choice.reference}.pdf"' in pdf.headers["Content-Disposition"]
