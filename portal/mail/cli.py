"""`flask cep send-mail`: deliver the due messages of the outbox (run it from cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import utcnow
from portal.extensions import db
from portal.mail.backends import backend_from_config
from portal.mail.sender import send_due


@click.command("send-mail")
@click.option(
    "--batch",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="Messages delivered at most in this run.",
)
@with_appcontext
def send_mail(batch: int) -> None:
    """Deliver the pending e-mails that are due. Safe on several hosts at once."""
    config = current_app.config
    report = send_due(
        db.session,
        backend_from_config(config),
        now=utcnow(),
        mail_from=config["MAIL_FROM"],
        max_attempts=config["MAIL_MAX_ATTEMPTS"],
        batch=batch,
    )
    click.echo(f"sent={report.sent} retried={report.retried} failed={report.failed}")


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""
    group.add_command(send_mail)
