"""`flask cep materialise-slots` and `flask cep send-reminders`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.booking.emails import queue_due_reminders
from portal.db import utcnow
from portal.extensions import db


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Queue the reminder e-mail of appointments within REMINDER_DAYS_BEFORE days.

    Safe to run again and on several hosts: each appointment gets one reminder. The e-mails
    go out with the next `flask cep send-mail`.
    """
    config = current_app.config
    queued = queue_due_reminders(
        db.session,
        now=utcnow(),
        days_before=config["REMINDER_DAYS_BEFORE"],
        base_url=config["PUBLIC_BASE_URL"],
        secret_key=config["SECRET_KEY"],
    )
    db.session.commit()
    click.echo(f"reminders queued={queued}")


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""
    group.add_command(send_reminders)
