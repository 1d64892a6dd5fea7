"""Guards over the whole route table: a new route cannot slip in without login or CSRF.

Walks ``app.url_map`` so every route of every blueprint is covered, including ones added later."""

from __future__ import annotations

import pytest

# Routes anyone may reach without logging in. Everything else needs a login.
PUBLIC_ENDPOINTS = {
    "static",
    "public.index",
    "public.accessibility",
    "public.health",
    "public.switch_language",
}
PUBLIC_PREFIXES = ("auth.", "testidp.")
# Server-to-server endpoints of the OpenID Connect protocol, authenticated by client credentials.
CSRF_EXEMPT_ENDPOINTS = {"testidp.token", "testidp.par"}


def _sample_url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        values[name] = 1 if type(converter).__name__ in ("IntegerConverter", "FloatConverter") else "x"
    return rule.build(values, append_unknown=False)[1]


def _rules(app, method):
    return [rule for rule in app.url_map.iter_rules() if method in rule.methods and rule.endpoint != "static"]


def test_every_state_changing_route_refuses_a_request_without_csrf_token(app, client):
    rules = _rules(app, "POST")
    assert rules, "the app has POST routes"
    for rule in rules:
        if rule.endpoint in CSRF_EXEMPT_ENDPOINTS:
            continue
        response = client.post(_sample_url(rule), data={})
        assert response.status_code == 400, f"{rule.endpoint} accepted a POST without CSRF token"


@pytest.mark.parametrize("method", ["GET"])
def test_every_private_page_sends_anonymous_visitors_to_login(app, client, method):
    for rule in _rules(app, method):
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        response = client.get(_sample_url(rule))
        assert response.status_code in (302, 303, 404), f"{rule.endpoint} answered {response.status_code}"
        if response.status_code in (302, 303):
            assert "/login" in response.headers["Location"], rule.endpoint


def test_every_employer_route_requires_an_employer_role(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("employer.", "retirement.", "precalc.")):
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "requires_staff", False), f"{rule.endpoint} lacks staff_required"


def test_every_employee_route_requires_login(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("employee.", "choice.", "pension.")):
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "requires_login", False), f"{rule.endpoint} lacks login_required"
