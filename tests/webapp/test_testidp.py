"""The test identity provider speaks the protocol as strictly as a real one would: discovery,
JWKS, single-use codes bound to client, redirect URI and PKCE, and a page a tester can use."""

from __future__ import annotations

import base64
import hashlib

import pytest

from tests.oidc_driver import query
from tests.webapp.test_auth import ANNA, _person
from webapp.demo.named import NAMED_TEST_PERSONS

VERIFIER = "v" * 64
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
REDIRECT = "http://localhost/login/callback"


def _authorize_params(**overrides):
    params = {"client_id": "pensionsval", "redirect_uri": REDIRECT, "response_type": "code",
              "scope": "openid", "state": "s" * 32, "nonce": "n" * 32,
              "code_challenge": CHALLENGE, "code_challenge_method": "S256"}
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


def _code(client, csrf_token, pnr=ANNA, **overrides):
    fields = {**_authorize_params(**overrides), "pnr": pnr, "action": "identify", "csrf_token": csrf_token("/")}
    response = client.post("/test-idp/authorize", data=fields)
    assert response.status_code == 302
    return query(response.headers["Location"])["code"]


def _token(client, code, verifier=VERIFIER, secret="pensionsval-local-secret", basic=True, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **extra}
    if verifier is not None:
        data["code_verifier"] = verifier
    if basic:
        credentials = base64.b64encode(f"pensionsval:{secret}".encode()).decode()
        return client.post("/test-idp/token", data=data, headers={"Authorization": f"Basic {credentials}"})
    return client.post("/test-idp/token", data={**data, "client_id": "pensionsval", "client_secret": secret})


def test_discovery_announces_pkce_s256_only_rs256_and_the_user_message(client):
    document = client.get("/test-idp/.well-known/openid-configuration").get_json()
    assert document["issuer"] == "http://localhost/test-idp"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["https://id.oidc.se/disco/userMessageSupported"] is True
    [key] = client.get(document["jwks_uri"].removeprefix("http://localhost")).get_json()["keys"]
    assert key["kty"] == "RSA" and key["kid"] and "d" not in key


def test_a_code_is_exchanged_once_only(client, csrf_token):
    code = _code(client, csrf_token)
    first = _token(client, code)
    assert first.status_code == 200 and "id_token" in first.get_json()
    second = _token(client, code)
    assert second.status_code == 400 and second.get_json()["error"] == "invalid_grant"


@pytest.mark.parametrize("verifier", [None, "w" * 64], ids=["missing_verifier", "wrong_verifier"])
def test_pkce_is_checked_even_for_a_confidential_client(client, csrf_token, verifier):
    response = _token(client, _code(client, csrf_token), verifier=verifier)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid_grant"


@pytest.mark.parametrize("basic", [True, False], ids=["client_secret_basic", "client_secret_post"])
def test_a_wrong_client_secret_is_refused(client, csrf_token, basic):
    code = _code(client, csrf_token)
    assert _token(client, code, secret="guess", basic=basic).status_code == 401
    assert _token(client, code, basic=basic).status_code == 200  # the failed attempt did not use up the code


def test_a_code_is_bound_to_its_redirect_uri(client, csrf_token):
    code = _code(client, csrf_token)
    response = _token(client, code, redirect_uri="http://localhost/elsewhere")
    assert response.status_code == 400


def test_a_request_without_pkce_s256_goes_back_with_an_error(client):
    response = client.get("/test-idp/authorize", query_string=_authorize_params(code_challenge_method="plain"))
    assert response.status_code == 302 and query(response.headers["Location"])["error"] == "invalid_request"


def test_prompt_none_is_answered_with_login_required(client):
    response = client.get("/test-idp/authorize", query_string=_authorize_params(prompt="none"))
    assert query(response.headers["Location"])["error"] == "login_required"


@pytest.mark.parametrize("overrides", [
    {"client_id": "stranger"}, {"redirect_uri": "https://evil.example/cb"}, {"redirect_uri": "http://localhost/elsewhere"},
])
def test_an_unknown_client_or_foreign_redirect_is_not_sent_anywhere(client, overrides):
    response = client.get("/test-idp/authorize", query_string=_authorize_params(**overrides))
    assert response.status_code == 400 and "Location" not in response.headers


def test_the_page_lists_the_named_test_persons_in_the_database_with_their_description(client, db):
    _person(db, ANNA)
    page = client.get("/test-idp/authorize", query_string=_authorize_params()).get_data(as_text=True)
    anna = next(p for p in NAMED_TEST_PERSONS if p.pnr == ANNA)
    assert "Anna Andersson" in page and "Får välja: månadsavlönad, lön över 7,5 inkomstbasbelopp" in page
    assert anna.pnr in page
    assert "Bertil Berg" not in page  # named, but not in this database


@pytest.mark.parametrize("typed", ["19650312982", "196503129825", "196513129824", "abc"])
def test_a_wrong_personal_identity_number_gets_a_linked_error_message(client, csrf_token, typed):
    fields = {**_authorize_params(), "pnr": typed, "action": "identify", "csrf_token": csrf_token("/")}
    response = client.post("/test-idp/authorize", data=fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="pnr-error"' in page and 'aria-describedby="pnr-hint pnr-error"' in page
    assert "Skriv ett giltigt personnummer" in page and f'value="{typed}"' in page


def test_the_provider_is_absent_unless_enabled(database_url):
    from webapp import create_app

    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": database_url, "SECRET_KEY": "k", "TEST_IDP": "0"})
    client = app.test_client()
    assert client.get("/test-idp/.well-known/openid-configuration").status_code == 404
    assert "test_idp" not in app.extensions
    assert client.get("/login/start").status_code == 502  # no issuer at all: a clear page, not a crash
    app.extensions["db_engine"].dispose()


def test_the_code_in_the_url_reveals_nothing(client, csrf_token):
    code = _code(client, csrf_token)
    decoded = b"".join(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in code.split("."))
    assert ANNA.encode() not in decoded and ANNA not in code


def test_several_server_processes_share_the_key_and_redeem_each_others_codes(tmp_path):
    from webapp.testidp import TestIdentityProvider

    first = TestIdentityProvider(secret="s", key_file=tmp_path / "key.json")
    second = TestIdentityProvider(secret="s", key_file=tmp_path / "key.json")
    assert first.public_jwks() == second.public_jwks()
    code = first.issue_code(client_id="c", redirect_uri="r", code_challenge="x", nonce="n", pnr=ANNA, auth_time=1)
    assert second.redeem_code(code).pnr == ANNA
    assert second.redeem_code(code) is None
    assert TestIdentityProvider(secret="other").redeem_code(code) is None


def test_a_pushed_request_needs_the_client_secret(client):
    response = client.post("/test-idp/par", data={**_authorize_params(), "client_id": "pensionsval",
                                                  "client_secret": "guess"})
    assert response.status_code == 401


def test_a_pushed_request_is_shown_and_a_forged_request_uri_is_not(client):
    pushed = client.post("/test-idp/par", data={**_authorize_params(), "client_secret": "pensionsval-local-secret"})
    assert pushed.status_code == 201
    request_uri = pushed.get_json()["request_uri"]
    page = client.get("/test-idp/authorize", query_string={"client_id": "pensionsval", "request_uri": request_uri})
    assert page.status_code == 200
    forged = client.get("/test-idp/authorize", query_string={"client_id": "pensionsval",
                                                             "request_uri": request_uri[:-4] + "AAAA"})
    assert forged.status_code == 400


def test_the_login_works_with_a_provider_without_pushed_requests(app, client, db, idp):
    from tests.webapp.test_auth import _logged_in_id

    anna = _person(db, ANNA)
    idp.start_login()  # fills the discovery cache
    [entry] = app.extensions["oidc_cache"].values()
    del entry["metadata"]["pushed_authorization_request_endpoint"]
    url = idp.start_login()
    assert "code_challenge" in query(url) and "request_uri" not in query(url)
    assert idp.callback(idp.authorize(url, ANNA)).status_code == 303
    assert _logged_in_id(client) == anna.id
