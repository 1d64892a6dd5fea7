"""The PostgreSQL connection pool follows the environment, and the health check tells a load
balancer when the database cannot be reached."""

from __future__ import annotations

import time

from webapp import create_app
from webapp.db import make_engine, pool_settings


def test_pool_settings_come_from_the_environment_with_pre_ping_always_on():
    settings = pool_settings({"DB_POOL_SIZE": "3", "DB_MAX_OVERFLOW": "2", "DB_POOL_RECYCLE": "60",
                              "DB_POOL_TIMEOUT": "4", "DB_CONNECT_TIMEOUT": "2"})
    assert settings["pool_size"] == 3 and settings["max_overflow"] == 2
    assert settings["pool_recycle"] == 60 and settings["pool_timeout"] == 4.0
    assert settings["connect_args"] == {"connect_timeout": 2}
    assert settings["pool_pre_ping"] is True
    defaults = pool_settings({})
    assert defaults["pool_size"] == 10 and defaults["pool_pre_ping"] is True


def test_a_postgresql_engine_gets_the_pool_from_the_environment(monkeypatch):
    monkeypatch.setenv("DB_POOL_SIZE", "4")
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert engine.pool.size() == 4 and engine.pool._pre_ping
    engine.dispose()


def test_health_answers_503_quickly_when_the_database_is_unreachable():
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    app = create_app({"PENSIONSVAL_MODE": "test", "SECRET_KEY": "k",
                      "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/none"})
    started = time.monotonic()
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    assert time.monotonic() - started < 10
    app.extensions["db_engine"].dispose()


def test_health_answers_503_when_the_sqlite_file_cannot_be_opened(tmp_path):
    app = create_app({"PENSIONSVAL_MODE": "test", "SECRET_KEY": "k",
                      "DATABASE_URL": f"sqlite:///{tmp_path}/missing-directory/db.sqlite"})
    assert app.test_client().get("/health").status_code == 503


def test_health_recovers_when_the_database_comes_back(app, client):
    assert client.get("/health").status_code == 200
    engine = app.extensions["db_engine"]
    app.extensions["db_engine"] = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none")
    assert client.get("/health").status_code == 503
    app.extensions["db_engine"].dispose()
    app.extensions["db_engine"] = engine
    assert client.get("/health").status_code == 200
