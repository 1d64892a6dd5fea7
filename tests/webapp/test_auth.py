"""Login and logout with OpenID Connect against the test identity provider, and every way a
login must be refused (OIDC Core 3.1.3.7; Swedish OIDC profile 1.0)."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import pytest

from tests.oidc_driver import query
from webapp.models import EmployerRole, Employment, Organisation, Person

ANNA = "196503129824"
JOHAN = "197803039911"
MAJA = "198808089943"
UNKNOWN = "197001019814"


def _person(db, pnr, given="Anna", family="Andersson", employed=True, role=None) -> Person:
    organisation = db.exec(Organisation.__table__.select()).first()
    if organisation is None:
        db.add(Organisation(org_number="2120000001", name="Exempelby kommun"))
        db.commit()
    organisation_id = db.exec(Organisation.__table__.select()).first().id
    person = Person(pnr=pnr, given_name=given, family_name=family,
                    birth_date=date(int(pnr[:4]), int(pnr[4:6]), int(pnr[6:8])), is_test_person=True)
    db.add(person)
    db.commit()
    if employed:
        db.add(Employment(person_id=person.id, organisation_id=organisation_id, start_date=date(2010, 1, 1),
                          pay_type="monthly", degree=Decimal("100")))
    if role:
        db.add(EmployerRole(person_id=person.id, organisation_id=organisation_id, role=role))
    db.commit()
    return person


def _logged_in_id(client):
    with client.session_transaction() as session:
        return session.get("person_id")


@pytest.fixture
def anna(db):
    return _person(db, ANNA)


def test_a_registered_employee_logs_in_and_lands_on_the_page_they_asked_for(client, idp, anna):
    response = idp.login(ANNA, next_url="/min-pension?tab=2")
    assert response.status_code == 303
    assert response.headers["Location"] == "/min-pension?tab=2"
    assert _logged_in_id(client) == anna.id
    assert "Anna Andersson" in client.get("/").get_data(as_text=True)


def test_the_authorization_request_uses_pkce_s256_state_and_nonce(client, idp, anna):
    url = idp.start_login()
    assert url.startswith("http://localhost/test-idp/authorize?")
    assert set(query(url)) == {"client_id", "request_uri"}  # pushed over the back channel (PAR)
    params = idp.request_params(url)
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert "code_verifier" not in params
    assert "openid" in params["scope"].split()
    assert params["redirect_uri"] == "http://localhost/login/callback"


def test_a_login_page_sends_anonymous_visitors_to_the_identity_provider(client, idp):
    page = client.get("/login?next=/min-pension").get_data(as_text=True)
    assert 'href="/login/start?next=/min-pension"' in page


def test_a_private_page_survives_the_whole_login_round_trip(app, client, idp, anna):
    app.add_url_rule("/_private", "private_probe", lambda: "secret")
    from webapp.auth.session import login_required

    app.view_functions["private_probe"] = login_required(lambda: "secret")
    to_login = client.get("/_private")
    assert to_login.status_code == 302
    next_url = query(to_login.headers["Location"])["next"]
    response = idp.login(ANNA, next_url=next_url)
    assert response.headers["Location"] in ("/_private", "/_private?")
    assert client.get("/_private").get_data(as_text=True) == "secret"


def test_a_staff_member_without_employment_may_log_in(client, idp, db):
    johan = _person(db, JOHAN, "Johan", "Jansson", employed=False, role="handler")
    assert idp.login(JOHAN).status_code == 303
    assert _logged_in_id(client) == johan.id


@pytest.mark.parametrize("pnr", [MAJA, UNKNOWN], ids=["registered_without_employment", "not_in_register"])
def test_a_verified_person_we_have_no_employment_for_gets_a_friendly_page(client, idp, db, pnr):
    _person(db, MAJA, "Maja", "Mattsson", employed=False)
    response = idp.login(pnr)
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Vi har ingen anställning registrerad för dig" in page.get_data(as_text=True)
    assert _logged_in_id(client) is None


def test_the_not_registered_page_is_in_english_for_english_browsers(client, idp):
    response = idp.login(UNKNOWN)
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "We have no employment registered for you" in page


def test_logging_in_ends_an_earlier_login_in_the_same_browser(client, idp, db, anna):
    idp.login(ANNA)
    idp.login(UNKNOWN)
    assert _logged_in_id(client) is None


# --- refusals --------------------------------------------------------------------------------

NEGATIVE_CASES = {
    "bad_signature": "bad_signature",
    "alg_none": "bad_signature",
    "alg_hs256": "bad_signature",
    "wrong_issuer": "wrong_issuer",
    "wrong_audience": "wrong_audience",
    "expired": "expired",
    "wrong_nonce": "nonce_mismatch",
    "no_pnr": "missing_pnr_claim",
}


@pytest.mark.parametrize("misbehaviour", sorted(NEGATIVE_CASES))
def test_a_faulty_id_token_is_refused_with_a_clear_page_and_logged(client, idp, anna, caplog, misbehaviour):
    idp.provider.misbehave = misbehaviour
    with caplog.at_level(logging.WARNING):
        response = idp.login(ANNA)
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Försök igen" in page and 'href="/login"' in page
    assert _logged_in_id(client) is None
    reasons = [r.getMessage() for r in caplog.records if getattr(r, "event", "") == "login_refused"]
    assert len(reasons) == 1 and NEGATIVE_CASES[misbehaviour] in reasons[0]
    assert ANNA not in caplog.text and ANNA[2:] not in caplog.text


def test_the_refusal_page_is_in_the_visitors_language(client, idp, anna):
    idp.provider.misbehave = "bad_signature"
    callback_url = idp.authorize(idp.start_login(), ANNA)
    response = client.get(callback_url.removeprefix("http://localhost"), headers={"Accept-Language": "en"})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "We could not verify your login" in page and "Try again" in page


def test_a_callback_with_an_unknown_state_is_refused(client, idp, anna, caplog):
    url = idp.authorize(idp.start_login(), ANNA)
    params = query(url)
    with caplog.at_level(logging.WARNING):
        response = client.get("/login/callback", query_string={"code": params["code"], "state": "forged"})
    assert response.status_code == 400
    assert "Inloggningen kunde inte kopplas till den här webbläsaren" in response.get_data(as_text=True)
    assert "state_mismatch" in caplog.text
    assert _logged_in_id(client) is None


def test_a_callback_from_another_browser_is_refused(app, idp, anna):
    url = idp.authorize(idp.start_login(), ANNA)
    stranger = app.test_client()
    assert stranger.get(url.removeprefix("http://localhost")).status_code == 400


def test_cancelling_at_the_identity_provider_shows_that_nothing_happened(client, idp, anna):
    response = idp.callback(idp.authorize(idp.start_login(), action="cancel"))
    assert response.status_code == 400
    assert "Inloggningen avbröts" in response.get_data(as_text=True)
    assert _logged_in_id(client) is None


def test_an_error_from_the_identity_provider_is_refused_and_logged(client, idp, caplog):
    state = idp.request_params(idp.start_login())["state"]
    with caplog.at_level(logging.WARNING):
        response = client.get("/login/callback", query_string={"error": "server_error", "state": state})
    assert response.status_code == 400
    assert "idp_error:server_error" in caplog.text


def test_a_replayed_authorization_code_is_refused(client, idp, anna, caplog):
    callback_url = idp.authorize(idp.start_login(), ANNA)
    with client.session_transaction() as session:
        before_login = dict(session)  # an attacker who copied the browser's session before the callback
    assert idp.callback(callback_url).status_code == 303
    with client.session_transaction() as session:
        session.clear()
        session.update(before_login)
    with caplog.at_level(logging.WARNING):
        replay = idp.callback(callback_url)
    assert replay.status_code == 400
    assert "token_error:invalid_grant" in caplog.text
    assert _logged_in_id(client) is None


def test_replaying_the_callback_in_the_same_browser_is_refused(client, idp, anna):
    callback_url = idp.authorize(idp.start_login(), ANNA)
    assert idp.callback(callback_url).status_code == 303
    assert idp.callback(callback_url).status_code == 400


def test_the_login_gets_a_new_session_so_a_planted_one_is_worthless(client, idp, anna, csrf_token):
    planted_token = csrf_token("/")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    idp.login(ANNA)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "oidc_pending" not in session
    assert client.post("/logout", data={"csrf_token": planted_token}).status_code == 400
    assert _logged_in_id(client) == anna.id


def test_the_chosen_language_survives_the_login(client, idp, anna, csrf_token):
    client.post("/language", data={"csrf_token": csrf_token("/"), "lang": "en"})
    idp.login(ANNA)
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("next_url", [
    "//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
    "/\t/evil.example", "evil.example", "/login/callback?code=x&state=y",
])
def test_after_login_we_never_redirect_to_another_site(client, idp, anna, next_url):
    response = idp.login(ANNA, next_url=next_url)
    assert response.headers["Location"] == "/"


def test_the_signing_key_can_rotate_between_logins(client, idp, anna):
    assert idp.login(ANNA).status_code == 303
    idp.provider._key = None  # a new key with a new kid; our cached JWKS is now stale
    client.delete_cookie("session")
    assert idp.login(ANNA).status_code == 303


def test_the_personal_identity_number_claim_name_is_configurable(database_url):
    from tests.oidc_driver import IdPDriver
    from webapp import create_app

    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": database_url, "SECRET_KEY": "k",
                      "TEST_IDP": "1", "OIDC_PNR_CLAIM": "ssn"})
    from sqlmodel import Session

    with Session(app.extensions["db_engine"]) as db:
        _person(db, ANNA)
    client = app.test_client()
    driver = IdPDriver(app, client)
    assert driver.login(ANNA).status_code == 303
    app.extensions["db_engine"].dispose()


def test_the_personal_identity_number_never_reaches_the_logs(client, idp, anna, caplog):
    with caplog.at_level(logging.DEBUG):
        idp.login(ANNA)
        idp.login(UNKNOWN)
    assert ANNA not in caplog.text and UNKNOWN not in caplog.text


# --- logout ----------------------------------------------------------------------------------

def test_logout_clears_the_session_and_ends_the_session_at_the_provider(client, idp, anna, csrf_token):
    idp.login(ANNA)
    response = client.post("/logout", data={"csrf_token": csrf_token("/")})
    assert response.status_code == 303
    end_session = response.headers["Location"]
    assert end_session.startswith("http://localhost/test-idp/logout?")
    assert query(end_session)["post_logout_redirect_uri"] == "http://localhost/"
    assert _logged_in_id(client) is None
    back = client.get(end_session.removeprefix("http://localhost"))
    assert back.status_code == 302 and back.headers["Location"] == "http://localhost/"


def test_logout_needs_the_csrf_token(client, idp, anna):
    idp.login(ANNA)
    assert client.post("/logout").status_code == 400
    assert _logged_in_id(client) == anna.id


def test_scopes_and_acr_values_follow_the_configuration_for_a_broker(database_url):
    from tests.oidc_driver import IdPDriver
    from webapp import create_app

    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": database_url, "SECRET_KEY": "k", "TEST_IDP": "1",
                      "OIDC_SCOPES": "openid profile nin", "OIDC_ACR_VALUES": "urn:grn:authn:se:bankid"})
    driver = IdPDriver(app, app.test_client())
    params = driver.request_params(driver.start_login())
    assert params["scope"] == "openid profile nin"
    assert params["acr_values"] == "urn:grn:authn:se:bankid"
    app.extensions["db_engine"].dispose()


def test_an_unreachable_provider_gives_a_clear_page_not_an_error(app, client, idp, anna, caplog):
    callback_url = idp.authorize(idp.start_login(), ANNA)
    app.extensions["oidc_http_adapters"].clear()  # the back channel now goes to a port nobody listens on
    with caplog.at_level(logging.WARNING):
        response = idp.callback(callback_url)
    assert response.status_code == 400
    assert "Legitimeringstjänsten kunde inte slutföra inloggningen" in response.get_data(as_text=True)
    assert "token_request_failed" in caplog.text
    app.extensions["oidc_cache"].clear()
    assert client.get("/login/start").status_code == 502


def test_a_login_left_half_done_for_too_long_is_not_finished(client, idp, anna, caplog):
    callback_url = idp.authorize(idp.start_login(), ANNA)
    with client.session_transaction() as session:
        pending = session["oidc_pending"]
        for attempt in pending.values():
            attempt["started"] -= 3600
        session["oidc_pending"] = dict(pending)
    with caplog.at_level(logging.WARNING):
        response = idp.callback(callback_url)
    assert response.status_code == 400 and "state_expired" in caplog.text
    assert _logged_in_id(client) is None
