"""The booking e-mails: queued in the caller's transaction, in the person's language.

Bodies come from the templates in `templates/booking/email/` (a plain-text `.txt` and an HTML
`.html` for each), so this module needs an application context; it flushes, never commits.
Every e-mail ends with the mediator of France compétences (CCTP 3.7).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.booking.email_content import (
    APPOINTMENT_MAIL,
    Kind,
    appointment_context,
    bodies,
    calendar_invitation,
    render,
    subject_of,
    when_short,
)
from portal.booking.models import Appointment, AppointmentRequest, AppointmentStatus
from portal.booking.tokens import manage_token, session_token
from portal.i18n import format_phone, long_date
from portal.mail.links import link_secrets
from portal.mail.models import OutboxMessage
from portal.mail.rendering import defer_mail
from portal.mail.services import enqueue_mail
from portal.people.models import Beneficiary


def manage_url(base_url: str, secret_key: str, request_id: int) -> str:
    """The signed link that moves or cancels the appointments of a request, outside a request
    (cron): the path comes from the application's own route."""
    token = manage_token(secret_key, request_id)
    path = current_app.url_map.bind("").build("booking.manage", {"token": token})
    return base_url.rstrip("/") + path


def session_url(base_url: str, secret_key: str, appointment_id: int) -> str:
    """The signed link to a follow-up session's page (move or cancel), outside a request."""
    token = session_token(secret_key, appointment_id)
    path = current_app.url_map.bind("").build("session_link.page", {"token": token})
    return base_url.rstrip("/") + path


def queue_booked(
    session: Session,
    appointment: Appointment,
    manage_url: str | None,
    *,
    render_later: bool = False,
) -> OutboxMessage:
    """The confirmation; `render_later`: the sender renders it (the booking POST's way)."""
    return _queue(session, appointment, "booked", manage_url, render_later=render_later)


def queue_moved(
    session: Session, appointment: Appointment, manage_url: str | None
) -> OutboxMessage:
    """Tell about `appointment`, the new one; its `sequence` must exceed the old one's."""
    return _queue(session, appointment, "moved", manage_url)


def queue_cancelled(session: Session, appointment: Appointment) -> OutboxMessage:
    """The cancelled appointment; its `sequence` must exceed that of the last invitation."""
    return _queue(session, appointment, "cancelled", None)


def queue_reminder(
    session: Session, appointment: Appointment, manage_url: str | None
) -> OutboxMessage:
    return _queue(session, appointment, "reminder", manage_url)


def queue_waiting(session: Session, request: AppointmentRequest) -> OutboxMessage:
    """« Demande en attente »: no slot in time, the operator calls the person back."""
    session.flush()
    beneficiary = request.beneficiary
    with force_locale(_language(beneficiary)):
        context: dict[str, Any] = {
            "beneficiary": beneficiary,
            "operator": request.operator,
            "phone": format_phone(beneficiary.phone),
            "call_back_by": long_date(request.call_back_by) if request.call_back_by else None,
            "deadline": long_date(request.deadline),
        }
        subject = _("Votre demande de rendez-vous est enregistrée")
        text, html = bodies("waiting", subject, context)
    return enqueue_mail(
        session,
        to=beneficiary.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"request:{request.id}:waiting",
        operator_id=request.operator_id,
    )


def calendar_file(appointment: Appointment, manage_url: str | None) -> bytes:
    """The .ics of the appointment as it stands (for a download), in the person's language."""
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    with force_locale(_language(appointment.beneficiary)):
        context = appointment_context(appointment, manage_url)
        method: Literal["REQUEST", "CANCEL"] = "CANCEL" if cancelled else "REQUEST"
        return calendar_invitation(appointment, context, method, appointment.sequence)


def queue_due_reminders(
    session: Session, *, now: datetime, days_before: int, base_url: str, secret_key: str
) -> int:
    """Queue one reminder for each booked appointment starting within `days_before` days.

    The UPDATE claims the appointments and the reminders are queued in the same transaction:
    a second run, here or on another host, finds them claimed (PostgreSQL re-checks the
    condition on rows another transaction changed), so each person gets one reminder.
    """
    claimed = session.scalars(
        update(Appointment)
        .where(
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.reminder_queued_at.is_(None),
            Appointment.starts_at > now,
            Appointment.starts_at <= now + timedelta(days=days_before),
        )
        .values(reminder_queued_at=now)
        .returning(Appointment.id)
    ).all()
    for appointment_id in sorted(claimed):
        appointment = session.get_one(Appointment, appointment_id)
        request_id = appointment.request_id
        if request_id is not None:
            link: str | None = manage_url(base_url, secret_key, request_id)
        elif appointment.unit_id is not None:  # a follow-up session: its own link
            link = session_url(base_url, secret_key, appointment.id)
        else:
            link = None
        queue_reminder(session, appointment, link)
    return len(claimed)


def _queue(
    session: Session,
    appointment: Appointment,
    kind: Kind,
    link: str | None,
    *,
    render_later: bool = False,
) -> OutboxMessage:
    session.flush()  # the appointment's id names the message's topic
    beneficiary = appointment.beneficiary
    locale = _language(beneficiary)
    common: dict[str, Any] = {
        "to": beneficiary.email,
        "topic": f"appointment:{appointment.id}:{kind}",
        # The manage link's token is sealed, never stored in clear (`mail.secrets`).
        "secrets": link_secrets(link, "manage_token") if link else None,
        "secret_key": current_app.config["SECRET_KEY"],
        "operator_id": appointment.operator_id,
    }
    if render_later:
        # The sender renders the bodies and the .ics (`render_appointment_mail`): the request
        # only states the subject, which the outbox screens show meanwhile.
        with force_locale(locale):
            subject = subject_of(kind, when_short(appointment))
        context = {
            "appointment_id": appointment.id,
            "kind": kind,
            "manage_url": link,
            "sequence": appointment.sequence,
        }
        return defer_mail(
            session,
            subject=subject,
            template=APPOINTMENT_MAIL,
            context=context,
            locale=locale,
            **common,
        )
    with force_locale(locale):
        subject, rendered = render(appointment, kind, link, appointment.sequence)
    return enqueue_mail(
        session,
        subject=subject,
        text=rendered.text,
        html=rendered.html,
        attachments=rendered.attachments,
        **common,
    )


def _language(beneficiary: Beneficiary) -> str:
    languages = current_app.config["LANGUAGES"]
    return beneficiary.locale if beneficiary.locale in languages else languages[0]
