"""`flask cep close-expired`: close as « abandon » the units past their deadline (cron);
`flask cep abandon-warnings`: tell the people whose unit would close so within two weeks."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from portal.advisor.abandon import ABANDON_WARNING_DAYS
from portal.advisor.closing import close_expired_units
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db


@click.command("close-expired")
@click.option(
    "--batch",
    default=500,
    show_default=True,
    type=click.IntRange(min=1),
    help="Units closed per transaction.",
)
@click.option(
    "--today",
    "today_option",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Run as if today were this day (AAAA-MM-JJ); the French calendar day by default.",
)
@with_appcontext
def close_expired(batch: int, today_option: object) -> None:
    """Close the units whose delay is over as « abandon » (CCTP 1.2.6). Idempotent, and
    safe to run from cron on several hosts at once (SKIP LOCKED)."""
    today: date = today_option.date() if today_option else today_in_france()  # type: ignore[attr-defined]
    total = 0
    while True:
        closed = close_expired_units(db.session, today=today, limit=batch)
        db.session.commit()
        total += len(closed)
        if len(closed) < batch:
            break
    click.echo(f"closed={total} as abandon (deadline before {today.isoformat()})")


@click.command("abandon-warnings")
@click.option(
    "--today",
    "today_option",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Run as if today were this day (AAAA-MM-JJ); the French calendar day by default.",
)
@with_appcontext
def abandon_warnings(today_option: object) -> None:
    """E-mail each person whose unit closes as « abandon » within two weeks, once (issue 14).
    Daily from cron; idempotent and safe on several hosts (the claim and the e-mails share
    one transaction)."""
    from portal.advisor.contact_emails import queue_abandon_warnings

    today: date = today_option.date() if today_option else today_in_france()  # type: ignore[attr-defined]
    sent = queue_abandon_warnings(db.session, today=today, now=utcnow())
    db.session.commit()
    click.echo(f"warned={sent} (abandon within {ABANDON_WARNING_DAYS} days of {today.isoformat()})")


def register(group: click.Group) -> None:
    group.add_command(close_expired)
    group.add_command(abandon_warnings)
