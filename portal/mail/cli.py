"""`flask cep send-mail`: deliver the due messages of the outbox, e-mails and SMS (run it from
cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import utcnow
from portal.extensions import db
from portal.mail.sender import send_from_config


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
    """Deliver the pending e-mails and SMS that are due. Safe on several hosts at once.

    Exits with status 1 when a message failed for good in this run, so that cron and
    monitoring see it; staff resend it from « Envois en échec » (/pro/envois-en-echec).
    """
    report = send_from_config(db.session, current_app.config, now=utcnow(), batch=batch)
    click.echo(f"sent={report.sent} retried={report.retried} failed={report.failed}")
    if report.failed:
        raise click.ClickException(
            f"{report.failed} message(s) failed for good in this run; "
            "see /pro/envois-en-echec to resend them"
        )


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""
    group.add_command(send_mail)
