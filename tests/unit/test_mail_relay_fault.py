"""Fault test: the SMTP relay is down for a night. A real relay (aiosmtpd) on a free loopback
port; the sender runs every 5 minutes of a simulated night while it is stopped: messages are
retried, never failed; once the relay is back, each message is delivered exactly once."""

from __future__ import annotations

import email
import email.policy
import socket
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.mail.backends import SmtpBackend
from portal.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from portal.mail.sender import RetryPolicy, SendReport, send_due
from portal.mail.services import enqueue_mail

# Far from the time of any other test's message: a run "at T0 + x" sees only these.
T0 = datetime(2002, 3, 4, 22, 0, tzinfo=UTC)
FROM = "CEP <ne-pas-repondre@cep-portal.example>"
KEY = "a-secret-key-for-the-fault-test"
TOKEN = "the-manage-token-of-request-7"
MESSAGES = 12


class Recorder:
    """The relay's inbox: every message it accepted, as received."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        self.received.append(message)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Relay:
    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Recorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def relay() -> Iterator[Relay]:
    relay = Relay()
    yield relay
    relay.stop()


@pytest.fixture
def queued(session: Session) -> Iterator[list[int]]:
    ids: list[int] = []
    yield ids
    session.rollback()
    session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(ids)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    session.commit()


def test_a_night_without_relay_loses_nothing_and_delivers_each_message_once(
    session: Session, queued: list[int], relay: Relay
) -> None:
    for number in range(MESSAGES):
        message = enqueue_mail(
            session,
            to=f"person{number}@example.org",
            subject=f"Rendez-vous {number}",
            text=f"Gérer : https://cep.example/rendez-vous/gerer/{TOKEN}{number}\n",
            secrets={"manage_token": f"{TOKEN}{number}"},
            secret_key=KEY,
        )
        message.next_attempt_at = T0
        session.flush()
        queued.append(message.id)
    session.commit()
    backend = SmtpBackend("127.0.0.1", relay.port, starttls=False, timeout=5)
    policy = RetryPolicy()  # 1 min doubling to 1 h; failed only after 72 h

    def run(now: datetime) -> SendReport:
        return send_due(
            session, backend, now=now, mail_from=FROM, secret_key=KEY, policy=policy, batch=100
        )

    # The relay was up once, then goes down for the night.
    relay.start()
    relay.stop()
    night = [T0 + timedelta(minutes=5 * step) for step in range(10 * 12 + 1)]  # 10 hours
    reports = [run(now) for now in night]
    assert sum(report.retried for report in reports) > MESSAGES * 5  # tried again and again
    assert sum(report.failed + report.sent for report in reports) == 0
    statuses = session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(queued)))
    assert set(statuses) == {OutboxStatus.PENDING}
    assert relay.inbox.received == []

    # Morning: the relay is back; within the longest delay every message goes out, once.
    relay.start()
    morning = night[-1] + timedelta(hours=1)
    assert run(morning) == SendReport(sent=MESSAGES)
    assert run(morning + timedelta(hours=1)) == SendReport()
    ids = Counter(str(message["Message-ID"]) for message in relay.inbox.received)
    assert len(ids) == MESSAGES and set(ids.values()) == {1}
    # The links work in what was delivered, and no token is left in the outbox.
    for message in relay.inbox.received:
        number = str(message["Subject"]).rsplit(" ", 1)[1]
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        assert f"/rendez-vous/gerer/{TOKEN}{number}" in body.get_content()
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(queued))).all()
    assert {(row.status, row.sealed_secrets) for row in rows} == {(OutboxStatus.SENT, None)}
    assert not any(TOKEN in row.body_text for row in rows)
