"""What the booking e-mails say: subjects, bodies (the templates in
`templates/booking/email/`) and the calendar invitation, in the language in force.

`emails.py` queues them; `render_appointment_mail` is what the sender runs for a confirmation
queued to be rendered later (`mail.rendering`). Needs an application context.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.utils import parseaddr
from typing import Any, Literal

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portal.booking.ics import invitation
from portal.booking.models import Appointment
from portal.booking.slots import operator_timezone
from portal.clock import PARIS
from portal.i18n import format_phone, format_time_short, long_date
from portal.mail.rendering import Rendered, register
from portal.mail.services import Attachment
from portal.network.models import Modality
from portal.network.territory import LOT_BY_NUMBER

Kind = Literal["booked", "moved", "cancelled", "reminder"]
# The name under which the sender finds `render_appointment_mail` (`mail.rendering`).
APPOINTMENT_MAIL = "booking.appointment"


def calendar_uid(appointment: Appointment) -> str:
    # One calendar entry per request: a move updates it instead of adding a second one.
    if appointment.request_id is not None:
        return f"request-{appointment.request_id}@cep-portal"
    if appointment.unit_id is not None:  # a follow-up session: the same, from its first booking
        return f"session-{_first_of(appointment)}@cep-portal"
    return f"appointment-{appointment.id}@cep-portal"


def _first_of(appointment: Appointment) -> int:
    """The id of the appointment a chain of moves started from (moves are few)."""
    session = object_session(appointment)
    first, seen = appointment.id, {appointment.id}
    while session is not None:
        earlier = session.scalar(select(Appointment.id).where(Appointment.replaced_by_id == first))
        if earlier is None or earlier in seen:
            break
        first = earlier
        seen.add(first)
    return first


def render_appointment_mail(session: Session, context: Mapping[str, Any], subject: str) -> Rendered:
    """The sender's side of `render_later` (under the person's language): the bodies and the
    .ics as `_queue` would have made them, with the sequence the appointment had then."""
    appointment = session.get_one(Appointment, context["appointment_id"])
    _, rendered = render(
        appointment, context["kind"], context["manage_url"], context["sequence"], subject
    )
    return rendered


def subject_of(kind: Kind, when_short: str) -> str:
    subjects: dict[str, str] = {
        "booked": _("Rendez-vous confirmé : %(when)s", when=when_short),
        "moved": _("Rendez-vous déplacé : %(when)s", when=when_short),
        "cancelled": _("Rendez-vous annulé : %(when)s", when=when_short),
        "reminder": _("Rappel : rendez-vous %(when)s", when=when_short),
    }
    return subjects[kind]


def render(
    appointment: Appointment,
    kind: Kind,
    link: str | None,
    sequence: int,
    subject: str | None = None,
) -> tuple[str, Rendered]:
    method: Literal["REQUEST", "CANCEL"] = "CANCEL" if kind == "cancelled" else "REQUEST"
    context = appointment_context(appointment, link)
    subject = subject or subject_of(kind, context["when_short"])
    text, html = bodies(kind, subject, context)
    calendar = calendar_invitation(appointment, context, method, sequence)
    attachment = Attachment(
        filename="rendez-vous.ics",
        mimetype=f"text/calendar; method={method}; charset=utf-8",
        content=calendar,
    )
    return subject, Rendered(text, html, [attachment])


def when_short(appointment: Appointment) -> str:
    starts = appointment.starts_at.astimezone(operator_timezone(appointment.operator))
    return str(
        _(
            "le %(date)s à %(time)s",
            date=long_date(starts.date()),
            time=format_time_short(starts.time()),
        )
    )


def appointment_context(appointment: Appointment, link: str | None) -> dict[str, Any]:
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
        "when_short": when_short(appointment),
        # People overseas read their local time; the zone is named outside mainland France.
        "local_time_of": lot.name if str(zone) != PARIS.key else None,
        "where": where(appointment),
        "deadline": long_date(request.deadline) if request and keeps_deadline else None,
        "manage_url": link,
        "cutoff_hours": current_app.config["BOOKING_CHANGE_CUTOFF_HOURS"],
    }


def where(appointment: Appointment) -> str:
    site = appointment.site or appointment.slot.site
    if appointment.modality == Modality.PRESENTIEL and site is not None:
        address = f"{site.street}, {site.postal_code} {site.commune_name}"
        return str(_("Sur place, à %(site)s : %(address)s.", site=site.name, address=address))
    if appointment.modality == Modality.TELEPHONE:
        phone = format_phone(appointment.beneficiary.phone)
        return str(_("Par téléphone : votre conseiller vous appellera au %(phone)s.", phone=phone))
    if appointment.video_url:  # a session's meeting link: the person's own e-mail only
        return str(_("En visio, à cette adresse : %(url)s", url=appointment.video_url))
    return str(
        _("En visio : votre conseiller vous enverra le lien de connexion avant le rendez-vous.")
    )


def calendar_invitation(
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
    else:  # a session's meeting link, when there is one, is where it takes place
        location = appointment.video_url or str(_("En visio"))
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


def bodies(name: str, subject: str, context: dict[str, Any]) -> tuple[str, str]:
    text = render_template(f"booking/email/{name}.txt", subject=subject, **context)
    html = render_template(f"booking/email/{name}.html", subject=subject, **context)
    return _tidy(text), html


def _tidy(text: str) -> str:
    """Plain text as people read it: no trailing spaces, at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


register(APPOINTMENT_MAIL, render_appointment_mail)
