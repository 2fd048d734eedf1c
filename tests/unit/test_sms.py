"""SMS, the outbox's second channel: refused at once when they could never go, their one-time
code never stored in clear, delivered by the same sender with the same retries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from portal.mail.backends import MailboxBackend, PermanentDeliveryError, read_mailbox
from portal.mail.models import OutboxChannel, OutboxMessage, OutboxStatus
from portal.mail.sender import RetryPolicy, SendReport, send_due
from portal.mail.services import InvalidMail, enqueue_mail, purge_sent_bodies, resend_message
from portal.mail.sms import enqueue_sms, sms_segments
from portal.mail.sms_backends import Sms, SmsBoxBackend, check_sms_config, read_smsbox

# Due long before anything another test leaves in the outbox (as in test_outbox.py).
T0 = datetime(2001, 1, 1, 12, 0, tzinfo=UTC)
KEY = "a-secret-key-for-the-sms-tests"
FROM = "CEP <ne-pas-repondre@cep-portal.example>"
NUMBER = "+33612345678"
CODE = "482913"


class FailingSms:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or ConnectionResetError("provider down")
        self.calls = 0

    def deliver_sms(self, sms: Sms) -> None:
        self.calls += 1
        raise self.error


@pytest.fixture
def queued(session: Session) -> Iterator[list[int]]:
    ids: list[int] = []
    yield ids
    session.rollback()
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    session.commit()


def due_sms(session: Session, queued: list[int], **fields: Any) -> OutboxMessage:
    fields = {"to": NUMBER, "text": f"Votre code de signature : {CODE}", **fields}
    if "secrets" not in fields:
        fields |= {"secrets": {"code": CODE}, "secret_key": KEY}
    message = enqueue_sms(session, **fields)
    message.next_attempt_at = T0
    session.commit()
    queued.append(message.id)
    return message


def send(session: Session, sms_backend: Any, now: datetime = T0, **options: Any) -> SendReport:
    mail = MailboxBackend(options.pop("mailbox", "/nonexistent/mailbox"))
    return send_due(
        session,
        mail,
        now=now,
        mail_from=FROM,
        secret_key=KEY,
        sms_backend=sms_backend,
        sms_sender="CEP",
        **options,
    )


@pytest.mark.parametrize(
    "to",
    ["0612345678", "+33 6 12 34 56 78", "+0612345678", "+1234567", "+1234567890123456", "", "+33"],
)
def test_a_number_that_is_not_e164_is_refused(session: Session, to: str) -> None:
    with pytest.raises(InvalidMail) as refused:
        enqueue_sms(session, to=to, text="Bonjour")
    assert refused.value.code == "to"


def test_a_number_is_kept_without_the_spaces_around_it(session: Session) -> None:
    assert enqueue_sms(session, to=f" {NUMBER}\n", text="Bonjour").to_address == NUMBER
    with pytest.raises(InvalidMail):
        enqueue_sms(session, to="+336123\n45678", text="Bonjour")


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),  # concatenated: 153 per part
        ("a" * 459, 3),
        ("€" * 80, 1),  # the extension table counts twice
        ("€" * 81, 2),
        ("ê" * 70, 1),  # outside GSM 03.38: UCS-2, 70 per SMS
        ("« code »" + "a" * 63, 2),
        ("ê" * 201, 3),
        ("🙂" * 35, 1),  # two UCS-2 units each
    ],
)
def test_segments_are_counted_as_phones_count_them(body: str, segments: int) -> None:
    assert sms_segments(body) == segments


@pytest.mark.parametrize("body", ["", "  \n ", "a" * 460, "ê" * 202, "€" * 230])
def test_an_empty_text_or_one_longer_than_three_sms_is_refused(session: Session, body: str) -> None:
    with pytest.raises(InvalidMail) as refused:
        enqueue_sms(session, to=NUMBER, text=body)
    assert refused.value.code == "text"


def test_three_sms_are_accepted(session: Session) -> None:
    message = enqueue_sms(session, to=NUMBER, text="a" * 459)
    assert message.channel == OutboxChannel.SMS
    assert enqueue_sms(session, to=NUMBER, text="ê" * 201).status == OutboxStatus.PENDING


def test_the_code_is_never_stored_in_clear(session: Session, queued: list[int]) -> None:
    message = due_sms(session, queued, topic="test:sms-secret")
    stored = session.execute(
        text(
            "SELECT body_text, sealed_secrets, subject, to_address FROM outbox_message "
            "WHERE id = :id"
        ),
        {"id": message.id},
    ).one()
    assert CODE not in "".join(str(column) for column in stored)
    assert stored.body_text == "Votre code de signature : __cep_secret_code__"
    assert stored.sealed_secrets  # encrypted, for the sender
    assert (stored.subject, stored.to_address) == ("SMS", NUMBER)


def test_secrets_need_a_key_and_a_code_of_six_characters(session: Session) -> None:
    with pytest.raises(ValueError, match="secret key"):
        enqueue_sms(session, to=NUMBER, text=f"Code {CODE}", secrets={"code": CODE})
    with pytest.raises(ValueError, match="too short"):
        enqueue_sms(session, to=NUMBER, text="Code 4829", secrets={"code": "4829"}, secret_key=KEY)


def test_an_sms_is_part_of_the_callers_transaction(session: Session) -> None:
    enqueue_sms(session, to=NUMBER, text="Bonjour", topic="test:sms-rolled-back")
    session.rollback()
    rows = session.scalars(
        text("SELECT id FROM outbox_message WHERE topic = 'test:sms-rolled-back'")
    ).all()
    assert rows == []


def test_the_sender_delivers_an_sms_into_the_smsbox_with_its_code_then_forgets_it(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = due_sms(session, queued)
    box = tmp_path / "smsbox"
    assert send(session, SmsBoxBackend(box)) == SendReport(sent=1)
    assert send(session, SmsBoxBackend(box)) == SendReport()  # once only

    (sms,) = read_smsbox(box)
    assert (sms.to, sms.text, sms.sender) == (NUMBER, f"Votre code de signature : {CODE}", "CEP")
    assert sms.sent_at == T0
    assert sms.reference.startswith(f"outbox.{message.id}.")
    assert list((box / "tmp").iterdir()) == []  # written aside, then moved in whole
    session.refresh(message)
    assert (message.status, message.sent_at, message.sealed_secrets) == (
        OutboxStatus.SENT,
        T0,
        None,
    )


def test_the_smsbox_lists_the_newest_first(tmp_path: Path) -> None:
    box = SmsBoxBackend(tmp_path)
    for number in range(3):
        box.deliver_sms(Sms(NUMBER, f"SMS {number}", "CEP", f"ref-{number}", T0))
    assert [sms.text for sms in read_smsbox(tmp_path)] == ["SMS 2", "SMS 1", "SMS 0"]
    assert read_smsbox(tmp_path / "none") == []


def test_one_claim_loop_sends_both_channels_to_their_backends(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    sms = due_sms(session, queued)
    email = enqueue_mail(session, to="maelle@example.org", subject="Bonjour", text="Texte")
    email.next_attempt_at = T0
    session.commit()
    queued.append(email.id)

    report = send(session, SmsBoxBackend(tmp_path / "smsbox"), mailbox=tmp_path / "mailbox")
    assert report == SendReport(sent=2)
    assert [s.to for s in read_smsbox(tmp_path / "smsbox")] == [NUMBER]
    assert [m["To"] for _key, m in read_mailbox(tmp_path / "mailbox")] == ["maelle@example.org"]
    for message in (sms, email):
        session.refresh(message)
        assert message.status == OutboxStatus.SENT


def test_an_sms_is_retried_with_the_mail_policy_then_given_up_and_resent(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = due_sms(session, queued)
    provider = FailingSms()
    policy = RetryPolicy(give_up_after=timedelta(minutes=3))

    assert send(session, provider, policy=policy) == SendReport(retried=1)
    session.refresh(message)
    assert message.next_attempt_at == T0 + timedelta(minutes=1)
    assert message.last_error == "ConnectionResetError: provider down"
    assert send(session, provider, now=T0 + timedelta(minutes=1), policy=policy).retried == 1
    final = send(session, provider, now=T0 + timedelta(minutes=3), policy=policy)
    assert final == SendReport(failed=1)
    session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    assert message.sealed_secrets is not None  # kept, so that « Renvoyer » sends the code

    resend_message(session, message, now=T0 + timedelta(hours=1))
    session.commit()
    later = T0 + timedelta(hours=1)
    assert send(session, SmsBoxBackend(tmp_path), now=later) == SendReport(sent=1)
    assert read_smsbox(tmp_path)[0].text.endswith(CODE)


def test_a_refusal_for_good_is_not_retried(session: Session, queued: list[int]) -> None:
    message = due_sms(session, queued)
    assert send(session, FailingSms(PermanentDeliveryError("HTTP 400"))) == SendReport(failed=1)
    session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)


def test_without_an_sms_backend_an_sms_waits(session: Session, queued: list[int]) -> None:
    message = due_sms(session, queued)
    assert send(session, None) == SendReport(retried=1)
    session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert "no SMS backend" in (message.last_error or "")


def test_the_purge_empties_sent_sms_too(
    session: Session, queued: list[int], tmp_path: Path
) -> None:
    message = due_sms(session, queued)
    send(session, SmsBoxBackend(tmp_path))
    purge_sent_bodies(session, before=T0 + timedelta(days=1))
    session.commit()
    session.refresh(message)
    assert (message.body_text, message.body_purged_at is not None) == ("", True)
    assert message.to_address == NUMBER  # the record stays


SMS_HTTP = {"SMS_HTTP_URL": "https://sms.example/v1/send", "SMS_HTTP_TOKEN": "t0ken"}


@pytest.mark.parametrize(
    ("settings", "refusal"),
    [
        ({"SMS_BACKEND": "carrier-pigeon"}, "SMS_BACKEND must be"),
        ({"SMS_BACKEND": "http", "SMS_HTTP_URL": ""}, "needs SMS_HTTP_URL"),
        ({"SMS_BACKEND": "http", "SMS_HTTP_URL": "file:///etc/passwd"}, "needs SMS_HTTP_URL"),
        ({"SMS_BACKEND": "http", "SMS_HTTP_TOKEN": ""}, "needs SMS_HTTP_TOKEN"),
        ({"SMS_SENDER": "Conseil en évolution"}, "SMS_SENDER"),
    ],
)
def test_a_configuration_that_cannot_send_sms_is_refused(
    settings: dict[str, str], refusal: str
) -> None:
    config = {"SMS_BACKEND": "smsbox", "SMS_SENDER": "CEP", **SMS_HTTP, **settings}
    with pytest.raises(ValueError, match=refusal):
        check_sms_config(config)


def test_production_without_an_sms_provider_does_not_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from portal import config, create_app

    monkeypatch.setenv("SECRET_KEY", "x")
    for name in ("SMS_BACKEND", "SMS_HTTP_URL", "SMS_HTTP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    assert config.load(tmp_path)["SMS_BACKEND"] == "http"
    with pytest.raises(ValueError, match="SMS_HTTP_URL"):
        create_app({"TESTING": True})
    monkeypatch.setenv("SMS_HTTP_URL", "https://sms.example/v1/send")
    monkeypatch.setenv("SMS_HTTP_TOKEN", "t0ken")
    assert config.load(tmp_path)["SMS_HTTP_URL"] == "https://sms.example/v1/send"
    check_sms_config(config.load(tmp_path))  # configured: no complaint
    monkeypatch.setenv("PORTAL_ENV", "development")
    assert config.load(tmp_path)["SMS_BACKEND"] == "smsbox"
