"""Deliver the outbox: a job that claims due messages one at a time and owns its transactions.

Several senders may run at once (cron on several hosts): each claims a row with
`SELECT … FOR UPDATE SKIP LOCKED`, keeps the lock while it delivers, then marks the row sent
and commits. Another sender skips the locked row, and a sent row is no longer due, so a
message is delivered once. The one gap no outbox can close: if the process dies between the
relay's acceptance and the commit, the message goes out again on the next run; its
Message-ID is then the same, so mail clients show it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage, Message
from email.utils import format_datetime, parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mail.backends import Backend, PermanentDeliveryError
from portal.mail.models import OutboxMessage, OutboxStatus

# Retry after 1 min, 2, 4, … doubling up to 6 h: a relay down for a night loses nothing.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next attempt, after `attempts` failed ones (1, 2, …)."""
    if attempts >= 20:  # 2**19 minutes is far past the cap; avoid huge numbers
        return LONGEST_RETRY
    return min(FIRST_RETRY * (1 << max(attempts - 1, 0)), LONGEST_RETRY)


def send_due(
    session: Session,
    backend: Backend,
    *,
    now: datetime,
    mail_from: str,
    max_attempts: int,
    batch: int = 50,
) -> SendReport:
    """Deliver up to `batch` due messages, committing after each one."""
    outcomes = {OutboxStatus.SENT: 0, OutboxStatus.PENDING: 0, OutboxStatus.FAILED: 0}
    for _ in range(batch):
        message = _claim_next(session, now)
        if message is None:
            break
        outcomes[_attempt(message, backend, now=now, mail_from=mail_from, limit=max_attempts)] += 1
        session.commit()  # releases the row lock
    return SendReport(
        sent=outcomes[OutboxStatus.SENT],
        retried=outcomes[OutboxStatus.PENDING],
        failed=outcomes[OutboxStatus.FAILED],
    )


def _attempt(
    message: OutboxMessage, backend: Backend, *, now: datetime, mail_from: str, limit: int
) -> OutboxStatus:
    """Deliver one claimed message and record the outcome on its row."""
    message.attempts += 1
    try:
        mime = build_email(message, mail_from=mail_from, now=now)
    except Exception as error:  # a message that cannot be built never will be
        return _fail(message, error, final=True)
    try:
        backend.deliver(mime)
    except PermanentDeliveryError as error:
        return _fail(message, error, final=True)
    except Exception as error:  # the relay is down, slow, or refuses for now
        if message.attempts >= limit:
            return _fail(message, error, final=True)
        message.next_attempt_at = now + retry_delay(message.attempts)
        return _fail(message, error, final=False)
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.last_error = None
    return OutboxStatus.SENT


def _fail(message: OutboxMessage, error: Exception, *, final: bool) -> OutboxStatus:
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


def build_email(message: OutboxMessage, *, mail_from: str, now: datetime) -> EmailMessage:
    """The MIME message of an outbox row: text, optional HTML alternative, attachments."""
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message_id(message, mail_from)
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        maintype, subtype, params = _content_type(attachment.mimetype)
        email.add_attachment(
            attachment.content,
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
