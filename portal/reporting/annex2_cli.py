"""`flask cep export-annex2`, `create-api-token`, `revoke-api-token` (cron line: README)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from portal.api.tokens import ApiTokenError, create_api_token, revoke_api_token
from portal.clock import now, today_in_france
from portal.extensions import db
from portal.reporting.annex2 import NOT_POSTGRESQL, Annex2Error, Period, stream_rows
from portal.reporting.annex2_files import (
    BAD_DAY,
    DAY_NOT_OVER,
    UNKNOWN_OPERATOR,
    encode,
    export_day,
    manifest_path,
    parse_day,
    targets,
)

PROBLEMS = {
    BAD_DAY: "the day must be written YYYY-MM-DD, e.g. 2026-03-12: {value!r}",
    DAY_NOT_OVER: "the day {value} is not over yet in France: export a past day",
    UNKNOWN_OPERATOR: "no operator has the code {value!r}",
    NOT_POSTGRESQL: "the Annex 2 export needs PostgreSQL (the dedicated database of Annex 3)",
    "bad_name": "a token's name has 1 to 100 characters",
    "name_taken": "a token named {value!r} exists already: choose another name",
    "unknown_name": "no token is named {value!r}",
}


def register(cep: AppGroup) -> None:
    cep.add_command(export_annex2)
    cep.add_command(create_token)
    cep.add_command(revoke_token)


def _fail(code: str, value: str = "") -> click.ClickException:
    return click.ClickException(PROBLEMS[code].format(value=value))


@click.command("export-annex2")
@click.option("--day", required=True, help="The day to export, YYYY-MM-DD (Europe/Paris).")
@click.option("--operator", "code", help="One operator's code (default: every operator).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option(
    "--output",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the files, manifest and livrables (default: the rows on stdout).",
)
@with_appcontext
def export_annex2(day: str, code: str | None, fmt: str, directory: Path | None) -> None:
    """Export the Annex 2 rows of every dossier that changed on DAY: one file per operator
    (`annex2-<OO>-<day>.csv`), the livrables closed that day and `manifest-<day>.json`."""
    try:
        exported = parse_day(day.strip(), today_in_france())
        chosen = targets(db.session, code)
        if directory is None:
            rows = stream_rows(db.session, Period(exported, exported), [t.id for t in chosen])
            out = sys.stdout.buffer
            for chunk in encode(rows, fmt):
                out.write(chunk)
            out.flush()
            return
        written = export_day(db.session, exported, chosen, fmt, directory)
    except Annex2Error as problem:
        raise _fail(problem.code, code or day) from problem
    finally:
        db.session.rollback()
    for path in written:
        click.echo(str(path))
    click.echo(str(manifest_path(directory, exported)))


@click.command("create-api-token")
@click.option("--name", required=True, help="Who holds it (a system or a team).")
@with_appcontext
def create_token(name: str) -> None:
    """Make a bearer token for GET /api/v1/annex2; it is shown once, only its hash is kept."""
    try:
        token = create_api_token(db.session, name=name)
    except ApiTokenError as problem:
        db.session.rollback()
        raise _fail(problem.code, name) from problem
    db.session.commit()
    click.echo(token)


@click.command("revoke-api-token")
@click.option("--name", required=True, help="The name given at creation.")
@with_appcontext
def revoke_token(name: str) -> None:
    """Revoke a token: the API refuses it from now on."""
    try:
        revoke_api_token(db.session, name=name, now=now())
    except ApiTokenError as problem:
        db.session.rollback()
        raise _fail(problem.code, name) from problem
    db.session.commit()
    click.echo(f"revoked: {name}")
