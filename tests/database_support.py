"""A scratch database at the schema's head, for the test suite and the benchmarks."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from webapp.cli import upgrade_database


def migrate_from_empty(url: str) -> None:
    """Migrate ``url`` to head from nothing. On PostgreSQL everything in the public schema is
    DROPPED first: give it a database that may be wiped. (An SQLite URL names a new file.)"""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade_database(url)
