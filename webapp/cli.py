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
