"""Secrets of e-mails (link tokens) are never stored in clear; sent bodies are purged after
30 days with their metadata kept; a failed message can be sent again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.mail.backends import MailboxBackend, PermanentDeliveryError, read_mailbox
from portal.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from portal.mail.secrets import placeholder
from portal.mail.sender import SendReport, send_due
from portal.mail.services import (
    Attachment,
    NotResendable,
    enqueue_mail,
    failed_messages,
    purge_sent_bodies,
    resend_message,
)

T0 = datetime(2001, 1, 1, 12, 0, tzinfo=UTC)
FROM = "CEP <ne-pas-repondre@cep-portal.example>"
KEY = "a-secret-key-for-the-outbox-tests"
TOKEN = "Zx9-secret_TOKEN.value-42"
LINK = f"https://cep.example/rendez-vous/gerer/{TOKEN}"


class Refusing:
    def deliver(self, message: EmailMessage) -> None:
        raise PermanentDeliveryError("550 no such user")


@pytest.fixture
def queued(session: Session) -> Iterator[list[int]]:
    ids: list[int] = []
    yield ids
    session.rollback()
    session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(ids)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    session.commit()


def with_link(session: Session, queued: list[int]) -> OutboxMessage:
    # A calendar line longer than 75 octets is folded: the token may be cut in two.
    calendar = (
        b"BEGIN:VCALENDAR\r\nURL:https://cep.example/rendez-vous/gerer/Zx9-secret_TO\r\n"
        b" KEN.value-42\r\nEND:VCALENDAR\r\n"
    )
    message = enqueue_mail(
        session,
        to="maelle@example.org",
        subject="Rendez-vous",
        text=f"Gérer votre rendez-vous : {LINK}\n",
        html=f'<p><a href="{LINK}">Gérer</a></p>',
        attachments=[Attachment("rdv.ics", "text/calendar; method=REQUEST", calendar)],
        secrets={"manage_token": TOKEN},
        secret_key=KEY,
        topic="test:secrets",
    )
    message.next_attempt_at = T0
    session.commit()
    queued.append(message.id)
    return message


def stored(session: Session, message_id: int) -> str:
    """Every column of the message and its attachments, as text."""
    row = session.execute(
        select(OutboxMessage.__table__).where(OutboxMessage.id == message_id)
    ).one()
    files = session.scalars(
        select(OutboxAttachment.content).where(OutboxAttachment.message_id == message_id)
    )
    return repr(tuple(row)) + repr([content.decode() for content in files])


def test_after_enqueue_no_column_holds_the_token(session: Session, queued: list[int]) -> None:
    message = with_link(session, queued)
    everything = stored(session, message.id)
    assert TOKEN not in everything
    assert "TO\\r\\n KEN" not in everything  # not even cut in two by a calendar fold
    assert placeholder("manage_token") in message.body_text
    assert message.sealed_secrets is not None


def test_after_sending_the_link_works_and_the_secret_is_gone(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = with_link(session, queued)
    backend = MailboxBackend(tmp_path / "mailbox")
    assert send_due(session, backend, now=T0, mail_from=FROM, secret_key=KEY) == SendReport(sent=1)

    ((_key, email),) = read_mailbox(tmp_path / "mailbox")
    plain = email.get_body(preferencelist=("plain",))
    html = email.get_body(preferencelist=("html",))
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    assert LINK in plain.get_content()
    assert f'href="{LINK}"' in html.get_content()
    (calendar,) = email.iter_attachments()
    content = calendar.get_payload(decode=True)
    assert isinstance(content, bytes)
    unfolded = content.replace(b"\r\n ", b"")
    assert f"URL:{LINK}".encode() in unfolded
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))  # folded again

    session.refresh(message)
    assert message.status == OutboxStatus.SENT
    assert message.sealed_secrets is None
    assert TOKEN not in stored(session, message.id)


def test_a_message_sealed_with_another_key_fails_instead_of_sending_placeholders(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = with_link(session, queued)
    backend = MailboxBackend(tmp_path / "mailbox")
    report = send_due(session, backend, now=T0, mail_from=FROM, secret_key="another key")
    assert report == SendReport(failed=1)
    assert read_mailbox(tmp_path / "mailbox") == []
    session.refresh(message)
    assert message.last_error is not None and "SecretsUnreadable" in message.last_error


def test_a_failed_message_is_resent_with_a_fresh_schedule_and_its_link(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = with_link(session, queued)
    send_due(session, Refusing(), now=T0, mail_from=FROM, secret_key=KEY)
    session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    assert message.sealed_secrets is not None  # kept, so that the resent link works

    later = T0 + timedelta(days=2)
    resend_message(session, message, now=later)
    session.commit()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        OutboxStatus.PENDING,
        0,
        later,
    )
    assert message.first_attempt_at is None
    with pytest.raises(NotResendable):
        resend_message(session, message, now=later)

    backend = MailboxBackend(tmp_path / "mailbox")
    send_due(session, backend, now=later, mail_from=FROM, secret_key=KEY)
    ((_key, email),) = read_mailbox(tmp_path / "mailbox")
    plain = email.get_body(preferencelist=("plain",))
    assert isinstance(plain, EmailMessage) and LINK in plain.get_content()


def test_failed_messages_are_listed_per_operator(session: Session, queued: list[int]) -> None:
    message = with_link(session, queued)
    message.operator_id = None
    send_due(session, Refusing(), now=T0, mail_from=FROM, secret_key=KEY)
    assert message not in failed_messages(session, operator_id=1)
    assert message in failed_messages(session, operator_id=None, everyone=True)


def test_sent_bodies_are_purged_after_their_time_and_the_metadata_kept(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = with_link(session, queued)
    backend = MailboxBackend(tmp_path / "mailbox")
    send_due(session, backend, now=T0, mail_from=FROM, secret_key=KEY)

    # Sent at T0: not yet purged with a cut-off at T0 …
    assert purge_sent_bodies(session, before=T0) == 0
    # … purged 30 days later, once (the job is idempotent).
    assert purge_sent_bodies(session, before=T0 + timedelta(days=30)) >= 1
    session.commit()
    assert purge_sent_bodies(session, before=T0 + timedelta(days=30)) == 0
    session.refresh(message)
    assert (message.body_text, message.body_html) == ("", None)
    assert message.body_purged_at is not None
    assert [a.content for a in message.attachments] == [b""]
    # What stays: who, what, when, and the outcome.
    assert (message.to_address, message.subject, message.topic) == (
        "maelle@example.org",
        "Rendez-vous",
        "test:secrets",
    )
    assert (message.status, message.sent_at) == (OutboxStatus.SENT, T0)


def test_a_pending_message_is_never_purged(session: Session, queued: list[int]) -> None:
    message = with_link(session, queued)
    purge_sent_bodies(session, before=T0 + timedelta(days=3650))
    session.commit()
    session.refresh(message)
    assert message.body_text.startswith("Gérer votre rendez-vous")
    assert message.sealed_secrets is not None
