"""`flask cep verify-evidence`: check every signature evidence chain (or one version's)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.esign.evidence import verify_all
from portal.extensions import db


@click.command("verify-evidence")
@click.option("--version", "version_id", type=int, help="Only this livrable version's chain.")
@with_appcontext
def verify_evidence(version_id: int | None) -> None:
    """Recompute every event's hash and link; name each break; exit 1 when one is found."""
    reports = verify_all(db.session, version_id)
    broken = 0
    for report in reports:
        if report.broken is None:
            click.echo(f"version {report.version_id}: intact ({report.length} events)")
        else:
            broken += 1
            click.echo(f"version {report.version_id}: BROKEN, {report.broken.describe()}")
    db.session.rollback()
    click.echo(f"{len(reports)} chains checked, {broken} broken")
    if broken:
        raise SystemExit(1)


def register(group: click.Group) -> None:
    group.add_command(verify_evidence)
