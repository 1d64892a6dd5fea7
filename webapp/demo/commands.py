"""``flask --app app demo-data``: fill the database with the demo municipality."""

from __future__ import annotations

import time

import click
from flask import Flask

from webapp.demo import activity, generator, loader
from webapp.demo import liability as demo_liability
from webapp.demo import retirement as retirement_demo
from webapp.demo.named_histories import named_persons
from webapp.demo.precalc import add_demo_precalculation


def fill(engine, employees: int, seed: int, if_empty: bool) -> loader.LoadSummary | None:
    """Generate and insert the demo data in one transaction; None when skipped (``if_empty``)."""
    with engine.begin() as connection:
        if loader.has_organisations(connection):
            if if_empty:
                return None
            raise click.ClickException("The database already has organisations; demo data goes into an "
                                       "empty database (use --if-empty to skip quietly).")
        people = named_persons() + generator.generate(employees, seed)
        summary = loader.load(connection, people, activity.plan(people, seed))
        retirement_demo.load(connection)
        add_demo_precalculation(connection)
        return summary


def init_app(app: Flask) -> None:
    @app.cli.command("demo-data")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has organisations.")
    @click.option("--employees", default=2000, show_default=True, type=click.IntRange(min=100),
                  help="Number of synthetic employees besides the named test persons.")
    @click.option("--seed", default=2023, show_default=True, help="Random seed; the same seed gives the same data.")
    def demo_data(if_empty: bool, employees: int, seed: int):
        """Fill the database with a fictional municipality, its employees, staff and queue."""
        if app.config.get("MODE") == "production":
            # Fictional persons and unsigned demo choices must never enter a real register.
            raise click.ClickException("demo-data is refused in production mode.")
        started = time.perf_counter()
        summary = fill(app.extensions["db_engine"], employees, seed, if_empty)
        if summary is None:
            click.echo("The database already has organisations; no demo data added.")
            return
        calculations = demo_liability.add_calculations(app.extensions["db_engine"])
        click.echo(
            f"Demo data: {summary.organisations} organisations, {summary.persons} persons, "
            f"{summary.choices} choices, {summary.late_requests} late-choice requests, "
            f"{calculations} pension liability calculations in {time.perf_counter() - started:.1f} s."
        )
