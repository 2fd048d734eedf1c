"""The confirmation the booking POST queues for the sender to render: the person receives the
same e-mail (subject, body, link, invitation) in their language, and no token is ever stored
in clear, before or after the rendering."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from flask import current_app
from icalendar import Calendar
from sqlalchemy.orm import Session

from portal.booking.emails import queue_booked
from portal.mail.models import OutboxMessage
from portal.mail.rendering import UnknownRenderer, defer_mail
from portal.mail.sender import _email_delivery
from portal.network.models import Modality
from tests.unit.test_booking_emails import LINK, NOW, TOKEN, book, invitation_of, revealed


class Captured:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def deliver(self, message: EmailMessage) -> None:
        self.sent.append(message)


def deliver(message: OutboxMessage, backend: Captured) -> None:
    """What the sender does with a claimed row (`send_due` commits: not in a test's
    session): render it if it waits for that, build the message, hand it to the relay."""
    build = _email_delivery(message, backend, mail_from="cep@example.org", now=NOW)
    build(current_app.config["SECRET_KEY"])()


def _event(calendar: Calendar) -> dict[str, str]:
    """The invitation's fields as the person's calendar shows them (DTSTAMP, stamped by the
    clock when the file is made, left out)."""
    (event,) = [c for c in calendar.walk() if c.name == "VEVENT"]
    fields = {key: value.to_ical().decode() for key, value in event.items() if key != "DTSTAMP"}
    return {"METHOD": str(calendar["METHOD"]), **fields}


@pytest.mark.parametrize(
    ("locale", "modality", "subject_starts"),
    [
        ("fr", Modality.PRESENTIEL, "Rendez-vous confirmé : le mardi 8 mars 2039"),
        ("en", Modality.PRESENTIEL, "Appointment confirmed: on Tuesday, March 8, 2039"),
        ("en", Modality.TELEPHONE, "Appointment confirmed: on Tuesday, March 8, 2039"),
    ],
)
def test_the_sender_renders_the_confirmation_the_request_used_to(
    session: Session, locale: str, modality: Modality, subject_starts: str
) -> None:
    appointment = book(session, locale=locale, modality=modality)
    now_row = queue_booked(session, appointment, LINK)
    before = revealed(now_row)
    later = queue_booked(session, appointment, LINK, render_later=True)
    # Queued without its bodies: nothing rendered in the request, the token sealed.
    assert (later.body_text, later.body_html, later.attachments) == ("", None, [])
    assert later.render_template is not None and TOKEN not in (later.render_context or "")
    assert later.subject == before.subject and later.subject.startswith(subject_starts)

    backend = Captured()
    deliver(now_row, backend)
    deliver(later, backend)
    # What is kept afterwards is an ordinary row: bodies with placeholders, no context.
    assert later.body_text and TOKEN not in later.body_text + (later.body_html or "")
    assert later.render_template is None and later.render_context is None
    sent_before, sent_later = backend.sent
    assert sent_later["Subject"] == sent_before["Subject"] == before.subject
    assert sent_later["To"] == sent_before["To"]
    for kind in ("plain", "html"):
        was, now = (m.get_body(preferencelist=(kind,)) for m in (sent_before, sent_later))
        assert isinstance(was, EmailMessage) and isinstance(now, EmailMessage)
        assert now.get_content() == was.get_content()
        assert LINK in now.get_content()
    (was_ics, now_ics) = (
        next(p for p in m.iter_attachments() if p.get_filename() == "rendez-vous.ics")
        for m in (sent_before, sent_later)
    )
    assert now_ics.get_content_type() == was_ics.get_content_type() == "text/calendar"
    assert _event(Calendar.from_ical(now_ics.get_content())) == _event(
        Calendar.from_ical(was_ics.get_content())
    )
    assert LINK in now_ics.get_content()


def test_the_invitation_keeps_the_sequence_it_had_when_queued(session: Session) -> None:
    appointment = book(session)
    later = queue_booked(session, appointment, LINK, render_later=True)
    appointment.sequence += 1  # a change after the booking, before the sender ran
    session.flush()
    deliver(later, Captured())
    (event,) = invitation_of(revealed(later)).walk("VEVENT")
    assert str(event["SEQUENCE"]) == str(appointment.sequence - 1)


def test_an_unknown_renderer_is_refused_in_the_request(session: Session) -> None:
    with pytest.raises(UnknownRenderer):
        defer_mail(
            session,
            to="lea@example.org",
            subject="Bonjour",
            template="no.such.renderer",
            context={},
            locale="fr",
        )
    assert not session.new or not any(isinstance(o, OutboxMessage) for o in session.new)
