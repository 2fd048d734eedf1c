"""The e-mails of a follow-up session (issue 14 §2): invitation, move, cancellation.

One recipe (`mail.compose.compose_mail`); the bodies include the booking e-mails' pieces and
the .ics is the booking one (`booking.email_content`), so that a session reads like any
appointment. The link is the session's own signed page (`session_link.page`); a video
session's meeting link is in the body and the .ics, for the person only. The reminder is
`booking.emails.queue_due_reminders`, which gives sessions the same link.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.booking.email_content import appointment_context, calendar_invitation, when_short
from portal.booking.models import Appointment
from portal.booking.tokens import session_token
from portal.mail.compose import compose_mail
from portal.mail.models import OutboxMessage
from portal.mail.services import Attachment
from portal.urls import public_url

SessionMail = Literal["booked", "moved", "cancelled"]


def session_link(appointment: Appointment, locale: str | None = None) -> str:
    """The person's signed page for this session (it follows the session's moves)."""
    token = session_token(current_app.config["SECRET_KEY"], appointment.id)
    return public_url("session_link.page", locale, token=token)


def _subject(kind: SessionMail, appointment: Appointment) -> str:
    when = when_short(appointment)
    subjects = {
        "booked": _("Séance de suivi : %(when)s", when=when),
        "moved": _("Séance de suivi déplacée : %(when)s", when=when),
        "cancelled": _("Séance de suivi annulée : %(when)s", when=when),
    }
    return str(subjects[kind])


def queue_session_mail(
    session: Session, appointment: Appointment, kind: SessionMail, *, by_person: bool = False
) -> OutboxMessage:
    """Tell the person about their session as it now stands, with its .ics (CANCEL for a
    cancellation). `by_person`: they made the change themselves (the wording says so)."""
    session.flush()
    beneficiary = appointment.beneficiary
    link = None if kind == "cancelled" else session_link(appointment, beneficiary.locale)

    def context() -> dict[str, Any]:
        values = appointment_context(appointment, link)
        values.update(kind=kind, by_person=by_person)
        return values

    def attachments() -> list[Attachment]:
        method: Literal["REQUEST", "CANCEL"] = "CANCEL" if kind == "cancelled" else "REQUEST"
        calendar = calendar_invitation(
            appointment, appointment_context(appointment, link), method, appointment.sequence
        )
        return [
            Attachment(
                filename="rendez-vous.ics",
                mimetype=f"text/calendar; method={method}; charset=utf-8",
                content=calendar,
            )
        ]

    return compose_mail(
        session,
        to=beneficiary.email,
        locale=beneficiary.locale,
        subject=lambda: _subject(kind, appointment),
        template="advisor/email/session",
        context=context,
        topic=f"appointment:{appointment.id}:session-{kind}",
        operator_id=appointment.operator_id,
        links={"manage_url": "session_token"},
        attachments=attachments,
    )
