"""`flask cep verify-evidence`: check every signature evidence chain (or one version's).
`flask cep expire-signature-requests`: end the online requests past their unit's deadline."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.clock import now
from portal.esign.evidence import verify_all
from portal.esign.online import expire_requests
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


@click.command("expire-signature-requests")
@with_appcontext
def expire_signature_requests() -> None:
    """Idempotent, safe from cron on several hosts: each request is locked, then ended."""
    count = expire_requests(db.session, now=now())
    db.session.commit()
    click.echo(f"{count} signature requests expired")


def register(group: click.Group) -> None:
    group.add_command(verify_evidence)
    group.add_command(expire_signature_requests)
