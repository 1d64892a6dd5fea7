"""Command-line tasks: `flask --app app db-upgrade`, `flask --app app demo-data`."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def init_app(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade():
        """Bring the database schema to the latest migration."""
        upgrade_database(current_app.config["DATABASE_URL"])
        click.echo("Database is at the latest migration.")

    _register_closure_command(app)

    @app.cli.command("process-imports")
    def process_imports():
        """Process waiting salary files, and resume any whose worker died (stale heartbeat)."""
        from webapp.services.salary_import import run_pending

        count = run_pending(app)
        click.echo(f"{count} salary file(s) processed.")

    from webapp.demo import commands as demo_commands

    demo_commands.init_app(app)


def _register_closure_command(app: Flask) -> None:
    @app.cli.command("closure-add")
    @click.option("--start", "starts_at", required=True, help="Start, ISO 8601 with offset, e.g. 2026-12-01T22:00+01:00")
    @click.option("--end", "ends_at", required=True, help="End, ISO 8601 with offset")
    @click.option("--message-sv", default="", help="Message in Swedish")
    @click.option("--message-en", default="", help="Message in English")
    @click.option("--announce-hours", default=72, show_default=True, help="Show the banner this long before")
    def closure_add(starts_at, ends_at, message_sv, message_en, announce_hours):
        """Schedule a planned closure (maintenance window)."""
        from datetime import datetime

        from sqlmodel import Session

        from webapp.services.closures import schedule_closure

        start, end = datetime.fromisoformat(starts_at), datetime.fromisoformat(ends_at)
        if start.tzinfo is None or end.tzinfo is None:
            raise click.BadParameter("give the times with a UTC offset, e.g. +01:00")
        with Session(app.extensions["db_engine"]) as session:
            closure = schedule_closure(session, start, end, message_sv, message_en, announce_hours)
        click.echo(f"Closure {closure.id} scheduled.")
