"""The house itself: configuration safety, headers, language, migrations match the models."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from webapp import create_app
from webapp.config import ConfigurationError


def test_production_refuses_to_start_with_the_test_identity_provider(tmp_path):
    with pytest.raises(ConfigurationError):
        create_app({"PENSIONSVAL_MODE": "production", "SECRET_KEY": "x", "TEST_IDP": "1",
                    "OIDC_ISSUER": "https://idp.example", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_to_start_without_a_real_issuer(tmp_path):
    with pytest.raises(ConfigurationError):
        create_app({"PENSIONSVAL_MODE": "production", "SECRET_KEY": "x", "TEST_IDP": "0",
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app({"PENSIONSVAL_MODE": "production", "TEST_IDP": "0", "OIDC_ISSUER": "https://idp.example",
                    "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_pages_are_swedish_by_default_and_english_on_request(client):
    swedish = client.get("/").get_data(as_text=True)
    assert '<html lang="sv">' in swedish and "Hoppa till huvudinnehållet" in swedish
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Skip to main content" in english


def test_language_switch_needs_csrf_and_sticks(client, csrf_token):
    assert client.post("/language", data={"lang": "en"}).status_code == 400
    token = csrf_token("/")
    response = client.post("/language", data={"lang": "en", "next": "/", "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_language_switch_never_redirects_to_another_site(client, csrf_token):
    token = csrf_token("/")
    response = client.post("/language", data={"lang": "sv", "next": "//evil.example/x", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_accessibility_statement_is_published_in_both_languages(client):
    assert "Tillgänglighetsredogörelse" in client.get("/tillganglighet").get_data(as_text=True)
    english = client.get("/accessibility", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Accessibility statement" in english


def test_health_checks_the_database(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_migrations_match_the_models(app):
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_audit_log_refuses_updates_and_deletes(app):
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO auditentry (at, action, details) VALUES (CURRENT_TIMESTAMP, 'x', '{}')"))
    for statement in ("UPDATE auditentry SET action = 'y'", "DELETE FROM auditentry"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))


def test_migrations_downgrade_to_empty_and_upgrade_again(tmp_path):
    from alembic import command

    from webapp.cli import alembic_config

    url = f"sqlite:///{tmp_path}/roundtrip.sqlite"
    command.upgrade(alembic_config(url), "head")
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert tables <= {"alembic_version"}
    command.upgrade(alembic_config(url), "head")


def test_unknown_page_gets_a_translated_404(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404 and "Sidan finns inte" in response.get_data(as_text=True)


def test_post_without_csrf_token_gets_a_clear_page(client):
    response = client.post("/language", data={"lang": "en"})
    assert response.status_code == 400 and "Formuläret har gått ut" in response.get_data(as_text=True)


def test_log_lines_never_contain_a_personal_identity_number():
    from webapp.logging_setup import mask_pnr

    for line in ("user 197001011234 logged in", "19700101-1234", "700101-1234", "7001011234"):
        assert not any(ch.isdigit() for ch in mask_pnr(line).replace("user", "")), line
    assert mask_pnr("batch 12 of 2023") == "batch 12 of 2023"


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/").headers["X-Request-ID"]) >= 8


def test_each_request_writes_one_json_access_line_with_its_id_and_duration_and_no_pnr(database_url, capsys):
    """Outside the tests the app logs to stderr, one JSON object per request."""
    app = create_app({"PENSIONSVAL_MODE": "development", "DATABASE_URL": database_url, "SECRET_KEY": "k"})
    response = app.test_client().get("/arbetsgivare/sok/197001011234")  # a pnr typed into a URL
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("logger") == "webapp.access"]
    assert len(access) == 1, lines
    assert access[0]["request_id"] == response.headers["X-Request-ID"]
    assert access[0]["status"] == response.status_code and access[0]["duration_ms"] >= 0
    assert "197001011234" not in json.dumps(access[0]) and "7001011234" not in json.dumps(access[0])
    app.extensions["db_engine"].dispose()


def test_a_fixed_demo_date_is_announced_on_every_page(database_url):
    app = create_app({"PENSIONSVAL_MODE": "test", "DATABASE_URL": database_url, "SECRET_KEY": "k",
                      "FIXED_TODAY": "2023-04-20"})
    page = app.test_client().get("/").get_data(as_text=True)
    assert "20 april 2023" in page
    app.extensions["db_engine"].dispose()


def test_production_refuses_a_fixed_date(monkeypatch, tmp_path):
    from webapp.config import ConfigurationError, load_settings

    monkeypatch.setenv("PENSIONSVAL_TODAY", "2023-04-20")
    with pytest.raises(ConfigurationError):
        load_settings(tmp_path, {"PENSIONSVAL_MODE": "production", "TEST_IDP": "0",
                                 "OIDC_ISSUER": "https://idp.example", "SECRET_KEY": "x"})


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "https://evil.example/", "/x\r\nLocation: x"])
def test_language_switch_never_follows_a_path_that_leaves_the_site(client, csrf_token, target):
    response = client.post("/language", data={"lang": "en", "next": target, "csrf_token": csrf_token()})
    assert response.headers["Location"] == "/"
