"""Database engine and the per-request session.

SQLite is the embedded default; PostgreSQL is the production database. The schema is created
by Alembic migrations only (``flask --app app db-upgrade``); tests build it the same way.
"""

from __future__ import annotations

import os

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, **pool_settings(os.environ))


def pool_settings(env) -> dict:
    """Connection pool of one app process (PostgreSQL). Each gunicorn worker has its own pool, so
    the server needs ``workers × (DB_POOL_SIZE + DB_MAX_OVERFLOW)`` connections per host.

    ``pool_pre_ping`` tests a pooled connection before use, so a restarted or failed-over database
    costs no failed request; ``pool_recycle`` drops connections before a firewall or pooler cuts
    them; ``connect_timeout`` makes an unreachable database fail fast (the health check answers
    503 within seconds instead of hanging)."""
    return {
        "pool_size": int(env.get("DB_POOL_SIZE", "10")),
        "max_overflow": int(env.get("DB_MAX_OVERFLOW", "10")),
        "pool_timeout": float(env.get("DB_POOL_TIMEOUT", "10")),
        "pool_recycle": int(env.get("DB_POOL_RECYCLE", "1800")),
        "pool_pre_ping": True,
        "connect_args": {"connect_timeout": int(env.get("DB_CONNECT_TIMEOUT", "5"))},
    }


def init_app(app: Flask) -> None:
    app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
