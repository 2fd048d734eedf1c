"""`flask cep indicators --month YYYY-MM` (the monthly snapshot, cron line: README) and
`flask cep load-population FILE.csv` (the regional populations of 2.1–2.4)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import IntegrityError

from portal.clock import now, today_in_france
from portal.extensions import db
from portal.reporting.indicators import compute
from portal.reporting.indicators.population import (
    PopulationFileError,
    load_population,
    read_population_csv,
)
from portal.reporting.indicators.snapshots import (
    BAD_MONTH,
    MONTH_NOT_OVER,
    SnapshotError,
    month_to_snapshot,
    periods_of_month,
    store_figures,
)

PROBLEMS = {
    BAD_MONTH: "the month must be written YYYY-MM, e.g. 2026-11: {value!r}",
    MONTH_NOT_OVER: "the month {value} is not over yet in France: snapshot a past month",
}


def register(cep: AppGroup) -> None:
    cep.add_command(indicators)
    cep.add_command(load_population_command)


@click.command("indicators")
@click.option("--month", required=True, help="The month to snapshot, YYYY-MM (a past month).")
@with_appcontext
def indicators(month: str) -> None:
    """Compute the indicators of MONTH (and of its semester when it ends one) for every
    operator, site and the nation, and store them: nothing when the figures stored are the
    same, a new revision of each figure that changed."""
    try:
        period = month_to_snapshot(month, today_in_france())
    except SnapshotError as problem:
        raise click.ClickException(PROBLEMS[problem.code].format(value=month.strip())) from None
    periods = periods_of_month(period)
    for attempt in (1, 2):
        try:
            figures = compute(db.session, periods, by_site=True)
            results = [store_figures(db.session, p, figures, now=now()) for p in periods]
            db.session.commit()
            break
        except IntegrityError:
            # Another host stored the same revisions meanwhile (SQLite, which has no advisory
            # lock): read again, the figures are then found stored.
            db.session.rollback()
            if attempt == 2:
                raise
        finally:
            db.session.rollback()
    for stored in results:
        click.echo(
            f"{stored.period}: {stored.new} new, {stored.revised} revised, "
            f"{stored.unchanged} unchanged"
        )


@click.command("load-population")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_population_command(file: Path) -> None:
    """Load the regional populations of FILE (CSV: lot_number, year, active_population,
    cep_population, source, source_url); a lot's year already known is replaced."""
    try:
        rows = read_population_csv(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text") from None
    except PopulationFileError as problem:
        raise click.ClickException("\n".join(problem.problems)) from None
    try:
        added, changed = load_population(db.session, rows)
        db.session.commit()
    finally:
        db.session.rollback()
    click.echo(f"population: {added} added, {changed} changed, {len(rows) - added - changed} same")
