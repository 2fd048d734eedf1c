"""`flask cep purge`: enforce the retention periods (run it daily from cron)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.privacy.purge import STEPS, PurgeContext


@click.command("purge")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="The day (tests only).")
@click.option(
    "--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S"]), help="The moment, UTC (tests only)."
)
@click.option("--batch", type=click.IntRange(min=1), help="Rows per statement.")
@with_appcontext
def purge(today: datetime | None, now: datetime | None, batch: int | None) -> None:
    """Delete or pseudonymise what is past its retention period. Safe to run again, and on
    several hosts at once."""
    moment = now.replace(tzinfo=UTC) if now else None
    if moment is None and today is not None:
        moment = datetime.combine(today.date(), time(12), UTC)
    moment = moment or utcnow()
    day: date = today.date() if today else (moment.date() if now else today_in_france())
    context = PurgeContext(now=moment, today=day, settings=current_app.config)
    size = batch or current_app.config["PURGE_BATCH_SIZE"]
    for step in STEPS:
        total = 0
        while True:
            changed = step.run(db.session, context, size)
            db.session.commit()
            total += changed
            if changed < size:
                break
        click.echo(f"{step.name}: {total}")


def register(group: click.Group) -> None:
    group.add_command(purge)
