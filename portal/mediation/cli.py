"""`flask cep complaint-reminders`: each morning, e-mail each operator's mediation contacts —
its correspondant médiation, or its managers when none is designated
(`contacts.mediation_contacts`) — the complaints that fall due (acknowledgements and answers
due within DUE_SOON_DAYS, and overdue).

Idempotent, also across hosts: one e-mail per contact per day, told by its outbox topic
(`complaint:reminders:<member>:<day>`), checked and written under a PostgreSQL advisory lock
held until the commit, so that two hosts running it at once send it once. Each complaint
appears at most once a day for a contact: in that day's single e-mail.
"""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.clock import today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mediation.contacts import mediation_contacts
from portal.mediation.queue import falling_due
from portal.mediation.staff_emails import queue_reminder, reminder_topic

# pg_advisory_xact_lock key of this job (any constant no other job uses).
LOCK_KEY = 120_120


def send_complaint_reminders(session: Session, *, today: date) -> int:
    """Queue the day's reminders not queued yet; the number queued. The caller commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    sent = 0
    for operator_id, items in falling_due(session, today=today).items():
        for manager in mediation_contacts(session, operator_id):
            topic = reminder_topic(manager, today)
            if session.scalar(select(OutboxMessage.id).where(OutboxMessage.topic == topic)):
                continue
            queue_reminder(session, manager, items, today)
            sent += 1
    return sent


@click.command("complaint-reminders")
@click.option(
    "--today",
    "today_option",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Run as if today were this day (AAAA-MM-JJ); the French calendar day by default.",
)
@with_appcontext
def complaint_reminders(today_option: object) -> None:
    """E-mail the correspondants (or managers) what falls due (once a day each; safe to rerun)."""
    today: date = today_option.date() if today_option else today_in_france()  # type: ignore[attr-defined]
    sent = send_complaint_reminders(db.session, today=today)
    db.session.commit()
    click.echo(f"complaint reminders: {sent} e-mail(s) queued for {today.isoformat()}")


def register(group: click.Group) -> None:
    group.add_command(complaint_reminders)
