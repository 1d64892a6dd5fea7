"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when TEST_DATABASE_URL is
set), the app and its test client, logging in as a person, and the CSRF token of a page.

The schema is built by the Alembic migrations, as in production. SQLite tests copy a migrated
template file per test; PostgreSQL tests truncate every table between tests."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel
from werkzeug.serving import make_server

from tests.database_support import migrate_from_empty
from webapp import create_app
from webapp.cli import upgrade_database

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Compile the translation catalogs so tests see the current .po files."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).resolve().parent.parent.glob("webapp/translations/*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """URL of a database migrated to head; for SQLite the URL of a template file."""
    if POSTGRES_URL:
        migrate_from_empty(POSTGRES_URL)
        return POSTGRES_URL
    template = tmp_path_factory.mktemp("db") / "template.sqlite"
    url = f"sqlite:///{template}"
    upgrade_database(url)
    return url


@pytest.fixture
def database_url(migrated_database, tmp_path) -> str:
    if migrated_database.startswith("postgresql"):
        engine = create_engine(migrated_database)
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return migrated_database
    template = Path(migrated_database.removeprefix("sqlite:///"))
    copy = tmp_path / "test.sqlite"
    shutil.copyfile(template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def app(database_url):
    app = create_app(
        {
            "PENSIONSVAL_MODE": "test",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "TEST_IDP": "1",
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def db(app):
    """A database session for arranging and checking data outside requests."""
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log the test client in as a person (as the OIDC callback does after a verified login)."""

    def _login(person) -> None:
        now = int(time.time())
        with client.session_transaction() as session:
            session.clear()
            session.update(person_id=person.id, auth_time=now, last_seen=now)

    return _login


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def csrf_token(client):
    """The CSRF token the site puts in its forms, read from a page as a browser would."""

    def _token(path: str = "/") -> str:
        page = client.get(path).get_data(as_text=True)
        match = CSRF_INPUT.search(page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    return _token


@pytest.fixture
def idp(app, client):
    """Log in or sign through the real OpenID Connect flow against the in-process test identity
    provider (``idp.login(pnr)``, ``idp.start_login()``, ``idp.authorize(url, pnr)``,
    ``idp.callback(url)``, ``idp.provider.misbehave = ...``). See tests/oidc_driver.py."""
    from tests.oidc_driver import IdPDriver

    return IdPDriver(app, client)


@pytest.fixture
def server(app):
    """The app on a free loopback port, threaded so it can call its own test identity provider."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=5)
