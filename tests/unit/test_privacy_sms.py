"""A person's SMS are theirs like their e-mails: found by the phone numbers of their records,
listed in their export, removed by their erasure; another person's SMS are never touched."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import RequestStatus
from portal.mail.models import OutboxChannel, OutboxMessage, OutboxStatus
from portal.mail.services import enqueue_mail
from portal.mail.sms import enqueue_sms
from portal.network.models import Operator
from portal.people.models import Beneficiary
from portal.privacy.erasure import erase_person
from portal.privacy.export import export_person
from tests import staff_booking_data as booking
from tests.conftest import FrozenClock

TODAY: date
NOW: datetime


@pytest.fixture(autouse=True)
def _frozen_day(clock: FrozenClock) -> None:
    global TODAY, NOW
    TODAY = clock.today
    NOW = datetime.combine(TODAY, time(15), UTC)


def a_number() -> str:
    """A mobile number no other test's record carries (theirs is +33612345678)."""
    return f"+3377{uuid.uuid4().int % 10**7:07d}"


def someone(session: Session, op: Operator, phone: str, email: str = "") -> Beneficiary:
    request = booking.request_for(
        session, op, requested_on=TODAY - timedelta(days=20), status=RequestStatus.HONOURED
    )
    person = request.beneficiary
    person.phone = phone
    person.email = email or person.email
    session.flush()
    return person


def sent(message: OutboxMessage) -> int:
    """As the sender leaves it (erasure leaves a message still to send to the sender)."""
    message.status, message.sent_at = OutboxStatus.SENT, NOW - timedelta(days=2)
    return message.id


def sent_sms(session: Session, to: str, text: str) -> int:
    return sent(enqueue_sms(session, to=to, text=text, topic="test:sms"))


def outbox(export: dict[str, object]) -> list[tuple[str, str]]:
    rows = export["tables"]["outbox_message"]  # type: ignore[index]
    return [(row["channel"], row["to_address"]) for row in rows]


def test_a_persons_sms_are_exported_and_erased_with_their_e_mails(session: Session) -> None:
    op = booking.operator(session)
    number, other_number = a_number(), a_number()
    person = someone(session, op, number)
    email = person.email
    sms = sent_sms(session, f" {number} ", "Votre code de signature : 482913")
    mail = sent(enqueue_mail(session, to=email.upper(), subject="Rendez-vous", text="Bonjour"))
    other = someone(session, op, other_number)
    theirs = sent_sms(session, other_number, "Votre code de signature : 771204")
    session.flush()

    export = export_person(session, email=email, now=NOW)
    assert outbox(export) == [("sms", number), ("email", email.upper())]
    assert export["tables"]["outbox_message"][0]["body_text"] == {"omitted": True}
    assert outbox(export_person(session, email=other.email, now=NOW)) == [("sms", other_number)]

    erase_person(session, operator_id=op.id, email=email, now=NOW, by=None)
    session.expire_all()

    assert session.get(OutboxMessage, sms) is None
    assert session.get(OutboxMessage, mail) is None
    left = session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.id == theirs))
    assert list(left) == [other_number]
    assert session.get_one(OutboxMessage, theirs).body_text.startswith("Votre code")
    assert outbox(export_person(session, email=email, now=NOW)) == []
    assert session.get_one(Beneficiary, person.id).phone == ""


def test_a_number_shared_with_another_person_stays_theirs(session: Session) -> None:
    """A family phone: its SMS may be the other person's, so one person's export does not show
    them and their erasure leaves them; the person's own number is theirs alone."""
    op = booking.operator(session)
    own, shared = a_number(), a_number()
    person = someone(session, op, own)
    someone(session, op, shared, email=person.email)  # a second booking, from the family phone
    relative = someone(session, op, shared)
    to_own = sent_sms(session, own, "Rendez-vous confirmé")
    to_shared = sent_sms(session, shared, "Rendez-vous confirmé")

    assert outbox(export_person(session, email=person.email, now=NOW)) == [("sms", own)]
    assert outbox(export_person(session, email=relative.email, now=NOW)) == []

    erase_person(session, operator_id=op.id, email=person.email, now=NOW, by=None)
    session.expire_all()
    assert session.get(OutboxMessage, to_own) is None
    kept = session.get_one(OutboxMessage, to_shared)
    assert (kept.channel, kept.to_address) == (OutboxChannel.SMS, shared)
