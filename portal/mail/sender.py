"""Deliver the outbox: a job that claims due messages one at a time and owns its transactions.

E-mails and SMS share the claim loop and the retry policy; each goes to its channel's backend.

Several senders may run at once (cron on several hosts): each claims a row with
`SELECT … FOR UPDATE SKIP LOCKED`, keeps the lock while it delivers, then marks the row sent
and commits. Another sender skips the locked row, and a sent row is no longer due, so a
message is delivered once. The one gap no outbox can close: if the process dies between the
relay's acceptance and the commit, the message goes out again on the next run; its
Message-ID is then the same, so mail clients show it once (an SMS carries a stable
`reference` for the same purpose).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage, Message
from email.utils import format_datetime, parseaddr
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portal.mail.backends import Backend, PermanentDeliveryError, backend_from_config
from portal.mail.models import OutboxChannel, OutboxMessage, OutboxStatus
from portal.mail.rendering import render_pending
from portal.mail.secrets import reveal, reveal_in_file, unseal
from portal.mail.sms import build_sms
from portal.mail.sms_backends import SmsBackend, sms_backend_from_config

MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class RetryPolicy:
    """When to try again and when to give up (settings MAIL_RETRY_FIRST_MINUTES,
    MAIL_RETRY_LONGEST_MINUTES, MAIL_GIVE_UP_HOURS).

    The delay doubles from `first` up to `longest`, and the sender keeps trying until
    `give_up_after` has passed since the first attempt: a relay down for a night or a long
    weekend loses nothing, and a relay back up is tried again within `longest`.
    """

    first: timedelta = timedelta(minutes=1)
    longest: timedelta = timedelta(hours=1)
    give_up_after: timedelta = timedelta(hours=72)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetryPolicy:
        return cls(
            first=timedelta(minutes=int(config["MAIL_RETRY_FIRST_MINUTES"])),
            longest=timedelta(minutes=int(config["MAIL_RETRY_LONGEST_MINUTES"])),
            give_up_after=timedelta(hours=int(config["MAIL_GIVE_UP_HOURS"])),
        )

    def delay(self, attempts: int) -> timedelta:
        """The wait before the next attempt, after `attempts` failed ones (1, 2, …)."""
        doublings = min(max(attempts - 1, 0), 30)  # 2**30 minutes is far past any cap
        return min(self.first * (1 << doublings), self.longest)

    def gives_up(self, message: OutboxMessage, now: datetime) -> bool:
        started = message.first_attempt_at or now
        return now - started >= self.give_up_after


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_due(
    session: Session,
    backend: Backend,
    *,
    now: datetime,
    mail_from: str,
    secret_key: str,
    policy: RetryPolicy | None = None,
    batch: int = 50,
    sms_backend: SmsBackend | None = None,
    sms_sender: str = "",
) -> SendReport:
    """Deliver up to `batch` due messages, committing after each one: e-mails through
    `backend`, SMS through `sms_backend` (without one, an SMS waits and is retried)."""
    policy = policy or RetryPolicy()
    outcomes = {OutboxStatus.SENT: 0, OutboxStatus.PENDING: 0, OutboxStatus.FAILED: 0}
    for _ in range(batch):
        message = _claim_next(session, now)
        if message is None:
            break
        if message.channel == OutboxChannel.SMS:
            deliver = _sms_delivery(message, sms_backend, sender=sms_sender, now=now)
        else:
            deliver = _email_delivery(message, backend, mail_from=mail_from, now=now)
        status = _attempt(message, deliver, now=now, secret_key=secret_key, policy=policy)
        outcomes[status] += 1
        session.commit()  # releases the row lock
    return SendReport(
        sent=outcomes[OutboxStatus.SENT],
        retried=outcomes[OutboxStatus.PENDING],
        failed=outcomes[OutboxStatus.FAILED],
    )


def send_from_config(
    session: Session, config: Mapping[str, Any], *, now: datetime, batch: int = 50
) -> SendReport:
    """`send_due` with the application's settings (the command and the development page)."""
    return send_due(
        session,
        backend_from_config(config),
        now=now,
        mail_from=config["MAIL_FROM"],
        secret_key=config["SECRET_KEY"],
        policy=RetryPolicy.from_config(config),
        batch=batch,
        sms_backend=sms_backend_from_config(config),
        sms_sender=config["SMS_SENDER"],
    )


# Builds the message of a row with the secret key (may raise: the message can never be
# sent), and returns the call that hands it over (may raise: delivery failed).
Delivery = Callable[[str], Callable[[], None]]


def _email_delivery(
    message: OutboxMessage, backend: Backend, *, mail_from: str, now: datetime
) -> Delivery:
    def build(secret_key: str) -> Callable[[], None]:
        session = object_session(message)
        if session is not None:  # a row queued to be rendered here (`mail.rendering`)
            render_pending(session, message, secret_key)
        mime = build_email(message, mail_from=mail_from, now=now, secret_key=secret_key)
        return lambda: backend.deliver(mime)

    return build


def _sms_delivery(
    message: OutboxMessage, backend: SmsBackend | None, *, sender: str, now: datetime
) -> Delivery:
    def build(secret_key: str) -> Callable[[], None]:
        sms = build_sms(message, sender=sender, now=now, secret_key=secret_key)

        def deliver() -> None:
            if backend is None:
                raise RuntimeError("no SMS backend given to the sender")
            backend.deliver_sms(sms)

        return deliver

    return build


def _attempt(
    message: OutboxMessage,
    delivery: Delivery,
    *,
    now: datetime,
    secret_key: str,
    policy: RetryPolicy,
) -> OutboxStatus:
    """Deliver one claimed message and record the outcome on its row."""
    message.attempts += 1
    if message.first_attempt_at is None:
        message.first_attempt_at = now
    try:
        deliver = delivery(secret_key)
    except Exception as error:  # a message that cannot be built never will be
        return _fail(message, error, final=True)
    try:
        deliver()
    except PermanentDeliveryError as error:
        return _fail(message, error, final=True)
    except Exception as error:  # the relay is down, slow, or refuses for now
        if policy.gives_up(message, now):
            return _fail(message, error, final=True)
        message.next_attempt_at = now + policy.delay(message.attempts)
        return _fail(message, error, final=False)
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.last_error = None
    message.sealed_secrets = None  # the link (the code) is with the person, not with us
    return OutboxStatus.SENT


def _fail(message: OutboxMessage, error: Exception, *, final: bool) -> OutboxStatus:
    # A failed message keeps its sealed secrets, so that « Renvoyer » sends working links;
    # `purge_sent_bodies` clears them with the bodies.
    message.last_error = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    message.status = OutboxStatus.FAILED if final else OutboxStatus.PENDING
    return message.status


def _claim_next(session: Session, now: datetime) -> OutboxMessage | None:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )
    # SQLite has no row locks (and a single writer): a plain select there.
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def build_email(
    message: OutboxMessage, *, mail_from: str, now: datetime, secret_key: str = ""
) -> EmailMessage:
    """The MIME message of an outbox row: text, optional HTML alternative, attachments, with
    the sealed secrets put back in place of their placeholders."""
    if message.body_purged_at is not None:
        raise ValueError("the body of this message was purged")
    secrets = unseal(message.sealed_secrets, secret_key) if message.sealed_secrets else {}
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message_id(message, mail_from)
    email.set_content(reveal(message.body_text, secrets))
    if message.body_html:
        email.add_alternative(reveal(message.body_html, secrets), subtype="html")
    for attachment in message.attachments:
        maintype, subtype, params = _content_type(attachment.mimetype)
        email.add_attachment(
            reveal_in_file(attachment.content, attachment.mimetype, secrets),
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            # Kept as given: calendar clients need "method=REQUEST" to offer the invitation.
            params=params,
        )
    return email


def message_id(message: OutboxMessage, mail_from: str) -> str:
    """Stable for one outbox row, so that a message sent twice is recognised as one."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "cep-portal.invalid"
    return f"<outbox.{message.id}.{int(message.created_at.timestamp())}@{domain}>"


def _content_type(mimetype: str) -> tuple[str, str, dict[str, str]]:
    header = Message()
    header["Content-Type"] = mimetype
    pairs = header.get_params() or []
    params = {key: value for key, value in pairs[1:] if isinstance(value, str)}
    return header.get_content_maintype(), header.get_content_subtype(), params
