"""Signing in Chromium: the provider's page shows the text being signed, in both languages, and
passes axe; signing as the logged-in person reaches the feature's handler."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string

from tests.webapp.test_auth import ANNA, _person
from webapp.auth import signing
from webapp.auth.session import login_required

TEXT = "Jag väljer att flytta till AKAP-KR. Valet kan inte ångras."


@pytest.fixture
def signing_probe(app):
    signed = []

    def handler(person, payload, signed_text, id_token, signed_at):
        signed.append((person.id, payload, signed_text))
        return "<!doctype html><title>ok</title><main><h1>Signed</h1></main>"

    signing.register_signing_handler("e2e_probe", handler)

    @login_required
    def start():
        from flask import request

        if request.method == "POST":
            return signing.begin_signing("e2e_probe", TEXT, {"agreement": "AKAP-KR"}, back_url="/_sign")
        return render_template_string(
            '<!doctype html><html lang="sv"><title>Sign</title><main><h1>Sign</h1><form method="post">'
            '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'
            '<button type="submit">Signera valet</button></form></main></html>'
        )

    app.add_url_rule("/_sign", "e2e_sign_probe", start, methods=["GET", "POST"])
    yield signed
    signing._handlers.pop("e2e_probe", None)


def test_the_provider_shows_the_text_to_sign_and_the_signature_reaches_the_handler(
    signing_probe, page, server, db, log_in, axe_check
):
    anna = _person(db, ANNA)
    log_in(page, ANNA, next="/_sign")
    page.get_by_role("button", name="Signera valet").click()
    page.wait_for_url(re.compile(r"/test-idp/authorize\?"))
    assert page.get_by_role("heading", level=1).inner_text() == "Signera med Test-BankID"
    assert TEXT in page.get_by_role("region", name="Du signerar den här texten").inner_text()
    axe_check(page)
    page.get_by_role("button", name="In English").click()
    page.wait_for_url(re.compile(r"/test-idp/authorize\?"))
    assert page.get_by_role("heading", level=1).inner_text() == "Sign with Test-BankID"
    assert TEXT in page.get_by_role("region", name="You are signing this text").inner_text()
    axe_check(page)
    page.get_by_label(re.compile("^Personal identity number")).fill(ANNA)
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_url(server + "/login/callback**")
    assert page.get_by_role("heading", level=1).inner_text() == "Signed"
    assert signing_probe == [(anna.id, {"agreement": "AKAP-KR"}, TEXT)]
