"""`flask cep backup` and `flask cep restore-check FILE` (cron lines in the README)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from portal.backup.check import restore_check
from portal.backup.dump import BackupError, make_backup
from portal.backup.manifest import manifest_path
from portal.clock import now
from portal.extensions import db


def register(cep: AppGroup) -> None:
    cep.add_command(backup)
    cep.add_command(check)


@click.command("backup")
@click.option(
    "--output",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("instance/backups"),
    show_default=True,
    help="Folder of the dumps.",
)
@with_appcontext
def backup(directory: Path) -> None:
    """Write a dated dump with its manifest (SHA-256, row counts, evidence chain heads)."""
    try:
        dump = make_backup(db.engine, directory, now=now())
    except (BackupError, OSError) as failed:
        raise click.ClickException(f"backup failed: {failed}") from failed
    click.echo(f"{dump}\n{manifest_path(dump)}")


@click.command("restore-check")
@click.argument("dump", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", help="An empty PostgreSQL database URL to restore into.")
@with_appcontext
def check(dump: Path, into: str | None) -> None:
    """Restore DUMP into a throwaway database and compare it with its manifest and the
    live source; exits non-zero on any difference."""
    try:
        report = restore_check(db.engine, dump, into=into)
    except (BackupError, OSError, ValueError) as failed:
        raise click.ClickException(f"restore check failed: {failed}") from failed
    if not report.ok:
        for problem in report.problems:
            click.echo(f"PROBLEM: {problem}", err=True)
        raise click.ClickException(f"{dump.name}: {len(report.problems)} problem(s)")
    click.echo(
        f"{dump.name}: restored and checked — {report.tables} tables, {report.rows} rows, "
        f"{report.chains} evidence chains intact and still the start of the live ones"
    )
