"""The transactional outbox: enqueue in the caller's transaction, deliver from a job, retry
with backoff, give up visibly, and never deliver a message twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.mail.backends import MailboxBackend, PermanentDeliveryError, read_mailbox
from portal.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from portal.mail.sender import RetryPolicy, SendReport, send_due
from portal.mail.services import Attachment, InvalidMail, enqueue_mail

# Messages of these tests are due at T0, long before anything another test leaves in the
# outbox: a sender run "at T0" sees only them.
T0 = datetime(2001, 1, 1, 12, 0, tzinfo=UTC)
FROM = "Conseil en évolution professionnelle <ne-pas-repondre@cep-portal.example>"
KEY = "a-secret-key-for-the-outbox-tests"
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


class Failing:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or ConnectionRefusedError("relay down")
        self.calls = 0

    def deliver(self, message: EmailMessage) -> None:
        self.calls += 1
        raise self.error


@pytest.fixture
def queued(session: Session) -> Iterator[list[int]]:
    """Ids of the messages a test commits; deleted afterwards."""
    ids: list[int] = []
    yield ids
    session.rollback()
    session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(ids)))
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    session.commit()


def due(session: Session, queued: list[int], **fields: Any) -> OutboxMessage:
    fields = {"to": "maelle@example.org", "subject": "Bonjour", "text": "Texte", **fields}
    message = enqueue_mail(session, **fields)
    message.next_attempt_at = T0
    session.commit()
    queued.append(message.id)
    return message


def send(session: Session, backend: Any, now: datetime = T0, **options: Any) -> SendReport:
    options = {"mail_from": FROM, "secret_key": KEY, **options}
    return send_due(session, backend, now=now, **options)


def test_a_message_is_part_of_the_callers_transaction(session: Session) -> None:
    enqueue_mail(session, to="a@example.org", subject="S", text="T", topic="test:rolled-back")
    session.rollback()
    count = select(func.count()).where(OutboxMessage.topic == "test:rolled-back")
    assert session.scalar(count) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Bonjour\r\nBcc: everyone@example.org"),
        ("to", "x@example.org\nBcc: y"),
        ("to", ""),
    ],
)
def test_a_message_that_could_not_be_sent_is_refused_at_once(
    session: Session, field: str, value: str
) -> None:
    fields = {"to": "a@example.org", "subject": "S", "text": "T", field: value}
    with pytest.raises(InvalidMail):
        enqueue_mail(session, **fields)


def test_a_due_message_is_delivered_once_with_its_alternative_and_invitation(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = due(
        session,
        queued,
        to="Maëlle Le Gall <maelle@example.org>",
        subject="Rendez-vous confirmé : le mardi 4 mars 2031 à 10 h 00",
        text="Bonjour,\nGérer : https://cep.example/rendez-vous/gerer/abc\n",
        html="<p>Bonjour,</p>",
        attachments=[
            Attachment("rendez-vous.ics", "text/calendar; method=REQUEST; charset=utf-8", ICS)
        ],
        topic="test:delivered",
    )
    backend = MailboxBackend(tmp_path / "mailbox")  # created on first delivery

    assert send(session, backend) == SendReport(sent=1)
    assert send(session, backend) == SendReport()  # run again: nothing more goes out

    ((_key, email),) = read_mailbox(tmp_path / "mailbox")
    assert email["To"] == "Maëlle Le Gall <maelle@example.org>"
    assert email["From"] == FROM
    assert email["Subject"] == "Rendez-vous confirmé : le mardi 4 mars 2031 à 10 h 00"
    assert email["Date"].datetime == T0
    assert email["Message-ID"].startswith(f"<outbox.{message.id}.")
    plain = email.get_body(preferencelist=("plain",))
    html = email.get_body(preferencelist=("html",))
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    assert "https://cep.example/rendez-vous/gerer/abc" in plain.get_content()
    assert html.get_content().strip() == "<p>Bonjour,</p>"
    (invitation,) = email.iter_attachments()
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_param("method") == "REQUEST"  # calendar clients need it
    assert invitation.get_filename() == "rendez-vous.ics"
    assert invitation.get_payload(decode=True) == ICS

    session.refresh(message)
    assert (message.status, message.attempts, message.sent_at) == (OutboxStatus.SENT, 1, T0)


def test_a_failed_delivery_is_retried_later_with_backoff_and_nothing_is_lost(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = due(session, queued)
    relay = Failing()

    assert send(session, relay) == SendReport(retried=1)
    session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error == "ConnectionRefusedError: relay down"
    assert message.next_attempt_at == T0 + timedelta(minutes=1)

    # Not due again before its time: the relay is not hammered.
    assert send(session, relay, now=T0 + timedelta(seconds=59)) == SendReport()
    assert relay.calls == 1

    assert send(session, relay, now=T0 + timedelta(minutes=1)) == SendReport(retried=1)
    session.refresh(message)
    assert message.next_attempt_at == T0 + timedelta(minutes=1 + 2)

    backend = MailboxBackend(tmp_path / "mailbox")
    assert send(session, backend, now=T0 + timedelta(minutes=3)) == SendReport(sent=1)
    assert len(read_mailbox(tmp_path / "mailbox")) == 1
    session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, None)


def test_the_sender_keeps_trying_for_72_hours_then_gives_up_and_keeps_the_message(
    session: Session, queued: list[int]
) -> None:
    message = due(session, queued)
    relay = Failing()
    policy = RetryPolicy()  # 1 min, doubling, at most 1 h apart; failed after 72 h
    tries: list[datetime] = []
    while message.status == OutboxStatus.PENDING:
        tries.append(message.next_attempt_at)
        send(session, relay, now=message.next_attempt_at, policy=policy)
        session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == "ConnectionRefusedError: relay down"
    # Tried on through the night and the weekend, never more than an hour apart …
    assert max(b - a for a, b in pairwise(tries)) == timedelta(hours=1)
    # … and given up on only once 72 hours had passed since the first attempt.
    assert tries[-2] - T0 < timedelta(hours=72) <= tries[-1] - T0
    assert relay.calls == len(tries) == message.attempts


def test_the_give_up_clock_counts_time_since_the_first_attempt_not_attempts(
    session: Session, queued: list[int]
) -> None:
    message = due(session, queued)
    relay = Failing()
    policy = RetryPolicy(give_up_after=timedelta(hours=72))
    assert send(session, relay, now=T0, policy=policy) == SendReport(retried=1)
    later = T0 + timedelta(hours=71, minutes=59)
    assert send(session, relay, now=later, policy=policy) == SendReport(retried=1)
    session.refresh(message)
    assert (message.status, message.first_attempt_at) == (OutboxStatus.PENDING, T0)
    assert message.next_attempt_at == later + timedelta(minutes=2)
    final = send(session, relay, now=message.next_attempt_at, policy=policy)
    assert final == SendReport(failed=1)
    session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)


def test_a_refusal_for_good_is_not_retried(session: Session, queued: list[int]) -> None:
    message = due(session, queued)
    relay = Failing(PermanentDeliveryError("550 no such user"))
    assert send(session, relay) == SendReport(failed=1)
    session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert message.last_error is not None and "550" in message.last_error


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (8, 60), (400, 60)]
)
def test_retries_back_off_exponentially_up_to_one_hour(attempts: int, minutes: int) -> None:
    assert RetryPolicy().delay(attempts) == timedelta(minutes=minutes)


def test_the_retry_settings_are_read_from_the_configuration() -> None:
    config = {
        "MAIL_RETRY_FIRST_MINUTES": 2,
        "MAIL_RETRY_LONGEST_MINUTES": 30,
        "MAIL_GIVE_UP_HOURS": 96,
    }
    policy = RetryPolicy.from_config(config)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5)] == [
        timedelta(minutes=m) for m in (2, 4, 8, 16, 30)
    ]
    assert policy.give_up_after == timedelta(hours=96)


class Recorder:
    """A relay shared by two senders. The first sender's first delivery holds its row lock
    until the second sender has delivered a message: it can only if it skips locked rows."""

    def __init__(self) -> None:
        self.first_holds_a_row = threading.Event()
        self.second_delivered = threading.Event()
        self.lock = threading.Lock()
        self.delivered: dict[str, list[str]] = {"first": [], "second": []}
        self.second_went_past = False

    def deliver(self, message: EmailMessage) -> None:
        name = threading.current_thread().name
        if name == "first" and not self.delivered["first"]:
            self.first_holds_a_row.set()
            self.second_went_past = self.second_delivered.wait(timeout=10)
        with self.lock:
            self.delivered[name].append(str(message["Message-ID"]))
        if name == "second":
            self.second_delivered.set()


def test_two_senders_at_once_deliver_each_message_exactly_once(
    app: Flask, session: Session, queued: list[int]
) -> None:
    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks: one sender at a time")
    for number in range(20):
        due(session, queued, subject=f"Message {number}")
    engine = session.get_bind()
    relay = Recorder()
    reports: list[SendReport] = []

    def run() -> None:
        with Session(engine) as own_session:
            reports.append(send(own_session, relay, batch=100))

    first = threading.Thread(target=run, name="first")
    second = threading.Thread(target=run, name="second")
    first.start()
    assert relay.first_holds_a_row.wait(timeout=10)
    second.start()
    for thread in (first, second):
        thread.join(timeout=30)

    # The second sender skipped the row the first one held, instead of waiting for it.
    assert relay.second_went_past
    everything = relay.delivered["first"] + relay.delivered["second"]
    assert len(everything) == len(set(everything)) == 20
    assert sum(report.sent for report in reports) == 20
    statuses = session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(queued)))
    assert set(statuses) == {OutboxStatus.SENT}


def test_the_send_mail_command_delivers_and_is_idempotent(
    app: Flask, session: Session, queued: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "mailbox")
    monkeypatch.setitem(app.config, "MAIL_MAILBOX_PATH", str(tmp_path / "mailbox"))
    message = due(session, queued, subject="Par la commande")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["cep", "send-mail", "--batch", "500"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("sent=")
    again = runner.invoke(args=["cep", "send-mail"])
    assert again.output.strip() == "sent=0 retried=0 failed=0"

    session.refresh(message)
    assert message.status == OutboxStatus.SENT
    subjects = [email["Subject"] for _key, email in read_mailbox(tmp_path / "mailbox")]
    assert subjects.count("Par la commande") == 1


def test_the_send_mail_command_exits_non_zero_and_says_how_many_failed(
    app: Flask, session: Session, queued: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relay that refuses for good: the message fails in this very run.
    monkeypatch.setattr(
        "portal.mail.sender.backend_from_config",
        lambda config: Failing(PermanentDeliveryError("550 no such user")),
    )
    message = due(session, queued, subject="Refusé")
    result = app.test_cli_runner().invoke(args=["cep", "send-mail", "--batch", "500"])
    assert result.exit_code == 1
    assert "failed=1" in result.output
    assert "1 message(s) failed for good in this run" in result.output
    session.refresh(message)
    assert message.status == OutboxStatus.FAILED
