"""The booking e-mails as the person receives them: their language, their local time, the
calendar invitation, the manage link, the mediator; and one reminder per appointment."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask import Flask, current_app
from icalendar import Calendar
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from portal import clock as portal_clock
from portal.booking.emails import (
    calendar_file,
    manage_url,
    queue_booked,
    queue_cancelled,
    queue_due_reminders,
    queue_moved,
    queue_waiting,
)
from portal.booking.models import (
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    RequestStatus,
    Slot,
)
from portal.booking.tokens import request_id_from_token
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.mail.secrets import reveal, reveal_in_file, unseal
from portal.network.models import Modality, Operator, Site, StaffMember, StaffRole
from portal.people.models import Beneficiary

ROOT = Path(__file__).resolve().parents[2]
# Far from any date another test books: the reminder runs see only these appointments.
NOW = datetime(2039, 3, 7, 8, 0, tzinfo=UTC)  # a Monday
STARTS = datetime(2039, 3, 8, 9, 0, tzinfo=UTC)  # Tuesday, 10:00 in Paris, 13:00 in La Réunion
DEADLINE = date(2039, 4, 15)
TOKEN = "signed-token-of-the-request"
LINK = f"https://cep.example/rendez-vous/gerer/{TOKEN}"


def demo_place(session: Session, lot: int) -> tuple[Operator, Site, StaffMember]:
    operator = session.scalars(select(Operator).where(Operator.lot_number == lot)).one()
    site = operator.sites[0]
    advisor = session.scalars(
        select(StaffMember)
        .where(StaffMember.role == StaffRole.ADVISOR, StaffMember.sites.any(Site.id == site.id))
        .order_by(StaffMember.id)
    ).first()
    assert advisor is not None
    return operator, site, advisor


def book(
    session: Session,
    *,
    lot: int = 10,
    locale: str = "fr",
    modality: Modality = Modality.PRESENTIEL,
    starts_at: datetime = STARTS,
    deadline: date = DEADLINE,
) -> Appointment:
    operator, site, advisor = demo_place(session, lot)
    beneficiary = Beneficiary(
        last_name="Le Gall",
        first_name="Maëlle",
        email=f"maelle.{uuid.uuid4().hex[:8]}@example.org",
        phone="+33612345678",
        birth_date=date(1985, 5, 17),
        consent_at=NOW,
        consent_version="2039-01",
        locale=locale,
    )
    request = AppointmentRequest(
        idempotency_key=uuid.uuid4().hex,
        beneficiary=beneficiary,
        operator_id=operator.id,
        competent_operator_id=operator.id,
        requested_on=NOW.date(),
        commune_insee=site.commune_insee,
        territory="home",
        deadline=deadline,
        status=RequestStatus.BOOKED,
    )
    slot = Slot(
        advisor_id=advisor.id,
        operator_id=operator.id,
        site_id=site.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        offers_presentiel=True,
        offers_telephone=True,
        offers_visio=True,
    )
    appointment = Appointment(
        slot=slot,
        request=request,
        beneficiary=beneficiary,
        operator_id=operator.id,
        advisor_id=advisor.id,
        site_id=site.id,
        starts_at=starts_at,
        ends_at=slot.ends_at,
        modality=modality,
    )
    session.add(appointment)
    session.flush()
    return appointment


def revealed(message: OutboxMessage) -> OutboxMessage:
    """The message as the person receives it: the stored row keeps no token in clear (its
    sealed secrets are put back, as the sender does), checked on the way."""
    stored = [message.body_text, message.body_html or ""]
    stored += [a.content.decode() for a in message.attachments]
    assert not any(TOKEN in part for part in stored)
    if message.sealed_secrets is None:
        return message
    secrets = unseal(message.sealed_secrets, current_app.config["SECRET_KEY"])
    copy = OutboxMessage(
        id=message.id,
        to_address=message.to_address,
        subject=message.subject,
        topic=message.topic,
        body_text=reveal(message.body_text, secrets),
        body_html=reveal(message.body_html or "", secrets),
    )
    copy.attachments = [
        OutboxAttachment(
            filename=a.filename,
            mimetype=a.mimetype,
            content=reveal_in_file(a.content, a.mimetype, secrets),
        )
        for a in message.attachments
    ]
    return copy


def invitation_of(message: OutboxMessage) -> Calendar:
    (attachment,) = message.attachments
    assert attachment.filename == "rendez-vous.ics"
    calendar = Calendar.from_ical(attachment.content)
    assert isinstance(calendar, Calendar)
    assert attachment.mimetype == f"text/calendar; method={calendar['METHOD']}; charset=utf-8"
    return calendar


def assert_ends_with_the_mediator(message: OutboxMessage, language: str) -> None:
    tail = message.body_text[message.body_text.index("----") :]
    html = message.body_html or ""
    words = {
        "fr": ("Un désaccord avec votre opérateur ?", "médiateur de France compétences"),
        "en": ("A disagreement with your provider?", "France compétences mediator"),
    }[language]
    for body in (tail, html[html.index('class="mediator"') :]):
        assert words[0] in body
        assert "11 rue Scribe, 75009 Paris" in body
        assert "https://www.francecompetences.fr/mediateur/" in body
    assert words[1] in tail


def test_the_confirmation_in_french_says_when_where_and_how_to_change(session: Session) -> None:
    appointment = book(session)
    site = appointment.site
    assert site is not None
    message = revealed(queue_booked(session, appointment, LINK))

    assert message.to_address == appointment.beneficiary.email
    assert message.subject == "Rendez-vous confirmé : le mardi 8 mars 2039 à 10 h 00"
    assert message.topic == f"appointment:{appointment.id}:booked"
    body = message.body_text
    assert body.startswith("Bonjour Maëlle Le Gall,\n\n")
    assert "Quand : le mardi 8 mars 2039, de 10 h 00 à 11 h 00\n" in body
    assert "heure locale" not in body  # mainland France: no zone to name
    where = f"Sur place, à {site.name} : {site.street}, {site.postal_code} {site.commune_name}."
    assert f"Comment : {where}" in body
    assert f"Avec : {appointment.advisor.full_name}, {appointment.operator.name}" in body
    assert "Votre premier rendez-vous aura lieu au plus tard le vendredi 15 avril 2039." in body
    assert "jusqu'à 24 heures avant, avec ce lien personnel :\n" + LINK + "\n" in body
    assert "Passé ce délai, appelez" in body
    assert "  " not in body.replace("\n", "|")  # no template indentation left over
    html = message.body_html or ""
    assert '<html lang="fr">' in html
    assert f'<a href="{LINK}">déplacer ou annuler mon rendez-vous</a>' in html
    assert "Sur place, à" in html
    assert_ends_with_the_mediator(message, "fr")

    calendar = invitation_of(message)
    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"request-{appointment.request_id}@cep-portal"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].dt == STARTS
    assert event["SUMMARY"] == "Rendez-vous de conseil en évolution professionnelle"
    assert event["LOCATION"].startswith(f"{site.name}, {site.street}")
    assert event["URL"] == LINK
    assert str(event["ORGANIZER"]) == f"mailto:{appointment.operator.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{appointment.beneficiary.email}"


def test_the_confirmation_in_english_by_phone(session: Session) -> None:
    appointment = book(session, locale="en", modality=Modality.TELEPHONE)
    message = revealed(queue_booked(session, appointment, LINK))

    assert message.subject == "Appointment confirmed: on Tuesday, March 8, 2039 at 10:00"
    body = message.body_text
    assert body.startswith("Hello Maëlle Le Gall,\n\n")
    assert "Your career development advice (CEP) appointment is confirmed." in body
    assert "When: on Tuesday, March 8, 2039, from 10:00 to 11:00" in body
    assert "How: By phone: your adviser will call you on 06 12 34 56 78." in body
    assert "Your first appointment will take place on Friday, April 15, 2039 at the latest." in body
    assert "up to 24 hours before it, with this personal link:\n" + LINK in body
    assert "This is an automatic message: please do not reply to it." in body
    assert '<html lang="en">' in (message.body_html or "")
    assert_ends_with_the_mediator(message, "en")
    (event,) = invitation_of(message).events
    assert event["SUMMARY"] == "Career development advice (CEP) appointment"
    assert event["LOCATION"] == "By phone"
    assert event["DESCRIPTION"].startswith("By phone: your adviser will call you on 06 12 34")


def test_an_overseas_appointment_is_in_local_time(session: Session) -> None:
    appointment = book(session, lot=13, modality=Modality.VISIO)
    message = revealed(queue_booked(session, appointment, LINK))
    assert message.subject == "Rendez-vous confirmé : le mardi 8 mars 2039 à 13 h 00"
    assert "de 13 h 00 à 14 h 00 (heure locale : La Réunion)" in message.body_text
    assert "En visio : votre conseiller vous enverra le lien de connexion" in message.body_text
    (event,) = invitation_of(message).events
    assert event["DTSTART"].dt == STARTS  # calendars get UTC and show it in their own zone


def test_a_move_updates_the_same_calendar_entry(session: Session) -> None:
    first = book(session)
    booked = invitation_of(revealed(queue_booked(session, first, LINK))).events[0]
    request = first.request
    assert request is not None
    _operator, site, advisor = demo_place(session, 10)
    later = STARTS + timedelta(days=2)
    slot = Slot(
        advisor_id=advisor.id,
        operator_id=first.operator_id,
        site_id=site.id,
        starts_at=later,
        ends_at=later + timedelta(hours=1),
        offers_presentiel=True,
        offers_telephone=True,
        offers_visio=True,
    )
    moved = Appointment(
        slot=slot,
        request=request,
        beneficiary=first.beneficiary,
        operator_id=first.operator_id,
        advisor_id=advisor.id,
        site_id=site.id,
        starts_at=later,
        ends_at=slot.ends_at,
        modality=Modality.PRESENTIEL,
        sequence=first.sequence + 1,
    )
    first.status = AppointmentStatus.MOVED
    session.add(moved)
    session.flush()

    message = revealed(queue_moved(session, moved, LINK))
    assert message.subject == "Rendez-vous déplacé : le jeudi 10 mars 2039 à 10 h 00"
    assert "Votre rendez-vous a bien été déplacé." in message.body_text
    assert "met à jour ce rendez-vous dans votre agenda" in message.body_text
    calendar = invitation_of(message)
    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == booked["UID"]
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == later
    assert_ends_with_the_mediator(message, "fr")


def test_a_cancellation_removes_the_calendar_entry(session: Session) -> None:
    appointment = book(session)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.sequence += 1
    message = revealed(queue_cancelled(session, appointment))
    assert message.subject == "Rendez-vous annulé : le mardi 8 mars 2039 à 10 h 00"
    assert "Votre rendez-vous du mardi 8 mars 2039 à 10 h 00 est annulé." in message.body_text
    assert "rendez-vous/gerer" not in message.body_text  # nothing left to manage
    assert "faites une nouvelle demande sur http://" in message.body_text
    calendar = invitation_of(message)
    (event,) = calendar.events
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event["UID"] == f"request-{appointment.request_id}@cep-portal"
    assert_ends_with_the_mediator(message, "fr")


def test_the_calendar_file_follows_the_appointment(session: Session) -> None:
    appointment = book(session)
    calendar = Calendar.from_ical(calendar_file(appointment, LINK))
    assert isinstance(calendar, Calendar)
    (event,) = calendar.events
    assert (calendar["METHOD"], event["UID"], event["URL"]) == (
        "REQUEST",
        f"request-{appointment.request_id}@cep-portal",
        LINK,
    )
    appointment.status = AppointmentStatus.CANCELLED
    assert b"METHOD:CANCEL" in calendar_file(appointment, None)


def test_no_deadline_promise_for_an_appointment_after_the_deadline(session: Session) -> None:
    appointment = book(session, deadline=STARTS.date() - timedelta(days=1))
    message = revealed(queue_booked(session, appointment, LINK))
    assert "au plus tard" not in message.body_text


def test_a_waiting_request_tells_when_the_operator_calls_back(session: Session) -> None:
    request = book(session).request
    assert request is not None
    request.status = RequestStatus.WAITING
    request.call_back_by = date(2039, 3, 14)
    message = revealed(queue_waiting(session, request))
    assert message.subject == "Votre demande de rendez-vous est enregistrée"
    assert message.topic == f"request:{request.id}:waiting"
    body = message.body_text
    assert f"auprès de {request.operator.name} est bien enregistrée" in body
    assert "vous appellera au 06 12 34 56 78 au plus tard le lundi 14 mars 2039" in body
    assert "Votre premier rendez-vous aura lieu au plus tard le vendredi 15 avril 2039." in body
    assert message.attachments == []
    assert_ends_with_the_mediator(message, "fr")


def test_the_manage_link_names_the_request_and_is_signed(app: Flask) -> None:
    with app.app_context():
        url = manage_url("https://cep.example/", "a-secret", 42)
    prefix = "https://cep.example/rendez-vous/gerer/"
    assert url.startswith(prefix)
    assert request_id_from_token("a-secret", url[len(prefix) :]) == 42


@pytest.fixture
def committed(session: Session) -> Iterator[list[Appointment]]:
    """Appointments a test commits; removed afterwards with their e-mails."""
    appointments: list[Appointment] = []
    yield appointments
    session.rollback()
    ids = [a.id for a in appointments]
    requests = [a.request_id for a in appointments]
    beneficiaries = [a.beneficiary_id for a in appointments]
    slots = [a.slot_id for a in appointments]
    topics = [f"appointment:{i}:{kind}" for i in ids for kind in ("booked", "reminder")]
    messages = select(OutboxMessage.id).where(OutboxMessage.topic.in_(topics))
    session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(messages)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.topic.in_(topics)))
    session.execute(delete(Appointment).where(Appointment.id.in_(ids)))
    session.execute(delete(Slot).where(Slot.id.in_(slots)))
    session.execute(delete(AppointmentRequest).where(AppointmentRequest.id.in_(requests)))
    session.execute(delete(Beneficiary).where(Beneficiary.id.in_(beneficiaries)))
    session.commit()


def reminders_of(session: Session, appointment: Appointment) -> list[OutboxMessage]:
    topic = f"appointment:{appointment.id}:reminder"
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.topic == topic)))


def test_reminders_are_queued_once_even_when_run_twice(
    session: Session, committed: list[Appointment]
) -> None:
    tomorrow = book(session)
    next_week = book(session, starts_at=STARTS + timedelta(days=7))
    cancelled = book(session, starts_at=STARTS + timedelta(hours=2))
    cancelled.status = AppointmentStatus.CANCELLED
    committed.extend([tomorrow, next_week, cancelled])
    session.commit()
    options = {"days_before": 2, "base_url": "https://cep.example", "secret_key": "s"}

    assert queue_due_reminders(session, now=NOW, **options) == 1
    session.commit()
    assert queue_due_reminders(session, now=NOW + timedelta(minutes=5), **options) == 0
    session.commit()

    (reminder,) = map(revealed, reminders_of(session, tomorrow))
    assert reminder.subject == "Rappel : rendez-vous le mardi 8 mars 2039 à 10 h 00"
    assert "Nous vous rappelons votre rendez-vous" in reminder.body_text
    token = reminder.body_text.split("https://cep.example/rendez-vous/gerer/")[1].split()[0]
    assert request_id_from_token("s", token) == tomorrow.request_id
    assert invitation_of(reminder)["METHOD"] == "REQUEST"
    assert_ends_with_the_mediator(reminder, "fr")
    session.refresh(tomorrow)
    assert tomorrow.reminder_queued_at == NOW
    assert reminders_of(session, next_week) == reminders_of(session, cancelled) == []


def test_two_reminder_runs_at_once_queue_one_reminder(
    app: Flask, session: Session, committed: list[Appointment]
) -> None:
    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time")
    appointment = book(session)
    committed.append(appointment)
    session.commit()
    options = {"now": NOW, "days_before": 2, "base_url": "https://x.example", "secret_key": "s"}
    engine = session.get_bind()
    other: list[int] = []

    def other_host() -> None:
        with app.app_context(), Session(engine) as own_session:
            other.append(queue_due_reminders(own_session, **options))
            own_session.commit()

    assert queue_due_reminders(session, **options) == 1  # claimed, not committed yet
    thread = threading.Thread(target=other_host)
    thread.start()
    # Wait until the other run is blocked on the row this transaction holds.
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE appointment%'"
    )
    with engine.connect() as watcher:
        for _ in range(200):
            blocked = watcher.scalar(waiting)
            watcher.rollback()  # pg_stat_activity is a snapshot per transaction
            if blocked:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the other run never waited for the row lock")
    session.commit()
    thread.join(timeout=30)

    assert other == [0]
    assert len(reminders_of(session, appointment)) == 1


def test_the_send_reminders_command_queues_and_commits(
    app: Flask, session: Session, committed: list[Appointment]
) -> None:
    soon = book(session, starts_at=portal_clock.now().replace(microsecond=0) + timedelta(hours=30))
    committed.append(soon)
    session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cep", "send-reminders"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("reminders queued=")
    assert runner.invoke(args=["cep", "send-reminders"]).output == "reminders queued=0\n"
    assert len(reminders_of(session, soon)) == 1


def test_the_plain_text_templates_are_translated() -> None:
    """The *.txt bodies are translated (babel.cfg extracts them too)."""
    catalogs = [ROOT / "translations/en/LC_MESSAGES/messages.po"]
    translated: set[str] = set()
    for path in catalogs:
        with path.open("rb") as f:
            translated |= {str(m.id) for m in read_po(f) if m.id and m.string}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    missing = [
        f"{template.relative_to(ROOT)}: {message}"
        for template in sorted((ROOT / "portal/templates").rglob("*.txt"))
        for _line, message, _comments, _context in extract_from_file(
            "jinja2", str(template), keywords=keywords
        )
        if str(message) not in translated
    ]
    assert not missing, "\n".join(missing)
