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


@click.command("materialise-slots")
@click.option("--operator", "operator_code", help="Only this operator (its code, e.g. 10).")
@with_appcontext
def materialise(operator_code: str | None) -> None:
    """Turn advisors' availability into slots over the rolling horizon (BOOKING_HORIZON_DAYS).

    Idempotent and safe on several hosts: run it daily from cron, so that the horizon rolls
    forward; staff screens run it for their operator after each change.
    """
    from sqlalchemy import select

    from portal.booking.slots import materialise_slots
    from portal.clock import today_in_france
    from portal.network.models import Operator

    operator_id = None
    if operator_code:
        operator_id = db.session.scalar(select(Operator.id).where(Operator.code == operator_code))
        if operator_id is None:
            raise click.BadParameter(f"no operator with code {operator_code}")
    report = materialise_slots(
        db.session,
        today=today_in_france(),
        horizon_days=current_app.config["BOOKING_HORIZON_DAYS"],
        operator_id=operator_id,
    )
    db.session.commit()
    click.echo(
        f"slots created={report.created} withdrawn={report.withdrawn} "
        f"restored={report.restored} to_reschedule={len(report.conflicts)}"
    )


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""
    group.add_command(materialise)
    group.add_command(send_reminders)
