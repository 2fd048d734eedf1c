"""The booking e-mails: queued in the caller's transaction, in the person's language.

Bodies come from the templates in `templates/booking/email/` (a plain-text `.txt` and an HTML
`.html` for each), so this module needs an application context; it flushes, never commits.
Every e-mail ends with the mediator of France compétences (CCTP 3.7).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any, Literal

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.booking.ics import invitation
from portal.booking.models import Appointment, AppointmentRequest, AppointmentStatus, Beneficiary
from portal.booking.slots import operator_timezone
from portal.booking.tokens import manage_token
from portal.clock import PARIS
from portal.i18n import format_phone, format_time_short, long_date
from portal.mail.links import link_secrets
from portal.mail.models import OutboxMessage
from portal.mail.rendering import Rendered, defer_mail, register
from portal.mail.services import Attachment, enqueue_mail
from portal.network.models import Modality
from portal.network.territory import LOT_BY_NUMBER

Kind = Literal["booked", "moved", "cancelled", "reminder"]
# The name under which the sender finds `render_appointment_mail` (`mail.rendering`).
APPOINTMENT_MAIL = "booking.appointment"


def manage_url(base_url: str, secret_key: str, request_id: int) -> str:
    """The signed link that moves or cancels the appointments of a request, outside a request
    (cron): the path comes from the application's own route."""
    token = manage_token(secret_key, request_id)
    path = current_app.url_map.bind("").build("booking.manage", {"token": token})
    return base_url.rstrip("/") + path


def calendar_uid(appointment: Appointment) -> str:
    # One calendar entry per request: a move updates it instead of adding a second one.
    if appointment.request_id is not None:
        return f"request-{appointment.request_id}@cep-portal"
    return f"appointment-{appointment.id}@cep-portal"


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
        text, html = _bodies("waiting", subject, context)
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
        context = _appointment_context(appointment, manage_url)
        method: Literal["REQUEST", "CANCEL"] = "CANCEL" if cancelled else "REQUEST"
        return _invitation(appointment, context, method, appointment.sequence)


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
        link = None if request_id is None else manage_url(base_url, secret_key, request_id)
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
            subject = _subject(kind, _when_short(appointment))
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
        subject, rendered = _render(appointment, kind, link, appointment.sequence)
    return enqueue_mail(
        session,
        subject=subject,
        text=rendered.text,
        html=rendered.html,
        attachments=rendered.attachments,
        **common,
    )


def render_appointment_mail(session: Session, context: Mapping[str, Any], subject: str) -> Rendered:
    """The sender's side of `render_later` (under the person's language): the bodies and the
    .ics as `_queue` would have made them, with the sequence the appointment had then."""
    appointment = session.get_one(Appointment, context["appointment_id"])
    _, rendered = _render(
        appointment, context["kind"], context["manage_url"], context["sequence"], subject
    )
    return rendered


def _subject(kind: Kind, when_short: str) -> str:
    subjects: dict[str, str] = {
        "booked": _("Rendez-vous confirmé : %(when)s", when=when_short),
        "moved": _("Rendez-vous déplacé : %(when)s", when=when_short),
        "cancelled": _("Rendez-vous annulé : %(when)s", when=when_short),
        "reminder": _("Rappel : rendez-vous %(when)s", when=when_short),
    }
    return subjects[kind]


def _render(
    appointment: Appointment,
    kind: Kind,
    link: str | None,
    sequence: int,
    subject: str | None = None,
) -> tuple[str, Rendered]:
    method: Literal["REQUEST", "CANCEL"] = "CANCEL" if kind == "cancelled" else "REQUEST"
    context = _appointment_context(appointment, link)
    subject = subject or _subject(kind, context["when_short"])
    text, html = _bodies(kind, subject, context)
    calendar = _invitation(appointment, context, method, sequence)
    attachment = Attachment(
        filename="rendez-vous.ics",
        mimetype=f"text/calendar; method={method}; charset=utf-8",
        content=calendar,
    )
    return subject, Rendered(text, html, [attachment])


def _when_short(appointment: Appointment) -> str:
    starts = appointment.starts_at.astimezone(operator_timezone(appointment.operator))
    return str(
        _(
            "le %(date)s à %(time)s",
            date=long_date(starts.date()),
            time=format_time_short(starts.time()),
        )
    )


def _appointment_context(appointment: Appointment, link: str | None) -> dict[str, Any]:
    operator = appointment.operator
    lot = LOT_BY_NUMBER[operator.lot_number]
    zone = operator_timezone(operator)
    starts = appointment.starts_at.astimezone(zone)
    ends = appointment.ends_at.astimezone(zone)
    date, start, end = (
        long_date(starts.date()),
        format_time_short(starts.time()),
        format_time_short(ends.time()),
    )
    request = appointment.request
    # The legal promise (CCTP 3.3), stated only while this appointment keeps it.
    keeps_deadline = request is not None and starts.date() <= request.deadline
    return {
        "appointment": appointment,
        "beneficiary": appointment.beneficiary,
        "operator": operator,
        "advisor": appointment.advisor,
        "date": date,
        "start": start,
        "when": _("le %(date)s, de %(start)s à %(end)s", date=date, start=start, end=end),
        "when_short": _when_short(appointment),
        # People overseas read their local time; the zone is named outside mainland France.
        "local_time_of": lot.name if str(zone) != PARIS.key else None,
        "where": _where(appointment),
        "deadline": long_date(request.deadline) if request and keeps_deadline else None,
        "manage_url": link,
        "cutoff_hours": current_app.config["BOOKING_CHANGE_CUTOFF_HOURS"],
    }


def _where(appointment: Appointment) -> str:
    site = appointment.site or appointment.slot.site
    if appointment.modality == Modality.PRESENTIEL and site is not None:
        address = f"{site.street}, {site.postal_code} {site.commune_name}"
        return str(_("Sur place, à %(site)s : %(address)s.", site=site.name, address=address))
    if appointment.modality == Modality.TELEPHONE:
        phone = format_phone(appointment.beneficiary.phone)
        return str(_("Par téléphone : votre conseiller vous appellera au %(phone)s.", phone=phone))
    return str(
        _("En visio : votre conseiller vous enverra le lien de connexion avant le rendez-vous.")
    )


def _invitation(
    appointment: Appointment,
    context: dict[str, Any],
    method: Literal["REQUEST", "CANCEL"],
    sequence: int,
) -> bytes:
    operator = appointment.operator
    site = appointment.site
    if appointment.modality == Modality.PRESENTIEL and site is not None:
        location = f"{site.name}, {site.street}, {site.postal_code} {site.commune_name}"
    elif appointment.modality == Modality.TELEPHONE:
        location = str(_("Par téléphone"))
    else:
        location = str(_("En visio"))
    description = [context["where"]]
    if context["manage_url"]:
        description.append(_("Déplacer ou annuler ce rendez-vous :") + " " + context["manage_url"])
    return invitation(
        uid=calendar_uid(appointment),
        sequence=sequence,
        method=method,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=_("Rendez-vous de conseil en évolution professionnelle"),
        location=location,
        description="\n".join(description),
        organizer_name=operator.name,
        organizer_email=operator.email or parseaddr(current_app.config["MAIL_FROM"])[1],
        attendee_email=appointment.beneficiary.email,
        url=context["manage_url"],
    )


def _bodies(name: str, subject: str, context: dict[str, Any]) -> tuple[str, str]:
    text = render_template(f"booking/email/{name}.txt", subject=subject, **context)
    html = render_template(f"booking/email/{name}.html", subject=subject, **context)
    return _tidy(text), html


def _tidy(text: str) -> str:
    """Plain text as people read it: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _language(beneficiary: Beneficiary) -> str:
    languages = current_app.config["LANGUAGES"]
    return beneficiary.locale if beneficiary.locale in languages else languages[0]


register(APPOINTMENT_MAIL, render_appointment_mail)
