"""Enqueue an e-mail in the caller's transaction (transactional outbox).

The message is a row written with the change it tells about: if the transaction rolls back,
no e-mail goes out; if it commits, the sender (`flask cep send-mail`) delivers it later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from portal.mail.secrets import MIN_SECRET_LENGTH, check_secrets, hide, hide_in_file, seal

# The widths of the outbox columns.
MAX_ADDRESS_LENGTH = 254
MAX_SUBJECT_LENGTH = 300


class InvalidMail(ValueError):
    """A message that could never be delivered: refused now, in the caller's transaction,
    rather than retried by the sender until it gives up."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code


@dataclass(frozen=True)
class Attachment:
    filename: str
    # A full content type with its parameters: "text/calendar; method=REQUEST; charset=utf-8".
    mimetype: str
    content: bytes


def enqueue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] = (),
    topic: str = "",
    secrets: Mapping[str, str] | None = None,
    secret_key: str = "",
    operator_id: int | None = None,
    min_secret_length: int = MIN_SECRET_LENGTH,
) -> OutboxMessage:
    """Add a pending message to the outbox; flush, never commit.

    `secrets` ({"name": value}) are the values that must not be stored in clear, such as the
    token of a link: every occurrence in the bodies and attachments is replaced by a
    placeholder, and the values are kept encrypted with a key derived from `secret_key`, for
    the sender to put back. `min_secret_length`: 6 for a one-time code mailed when the person
    has no mobile (the body holds nothing else that long). `operator_id`: the operator whose
    managers see the message if it fails.
    """
    secrets = dict(secrets or {})
    check_secrets(secrets, min_length=min_secret_length)
    if secrets and not secret_key:
        raise ValueError("secrets need the secret key that seals them")
    _check_header("to", to, MAX_ADDRESS_LENGTH)
    _check_header("subject", subject, MAX_SUBJECT_LENGTH)
    if "@" not in to:
        raise InvalidMail("to", "not an e-mail address")
    for attachment in attachments:
        _check_header("filename", attachment.filename, 200)
        _check_header("mimetype", attachment.mimetype, 100)
    message = OutboxMessage(
        to_address=to.strip(),
        subject=subject.strip(),
        body_text=hide(text, secrets),
        body_html=hide(html, secrets) if html is not None else None,
        topic=topic[:100],
        status=OutboxStatus.PENDING,
        attempts=0,
        operator_id=operator_id,
        sealed_secrets=seal(secrets, secret_key) if secrets else None,
        attachments=[
            OutboxAttachment(
                filename=a.filename,
                mimetype=a.mimetype,
                content=hide_in_file(a.content, a.mimetype, secrets),
            )
            for a in attachments
        ],
    )
    session.add(message)
    session.flush()
    return message


class NotResendable(ValueError):
    """Only a failed message whose body is still kept can be sent again."""


def resend_message(session: Session, message: OutboxMessage, *, now: datetime) -> None:
    """« Renvoyer »: a failed message is pending again, due now, with a fresh schedule (its
    attempts and the give-up clock start over)."""
    if message.status != OutboxStatus.FAILED or message.body_purged_at is not None:
        raise NotResendable(message.status)
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.first_attempt_at = None
    message.next_attempt_at = now
    session.flush()


def failed_messages(
    session: Session, *, operator_id: int | None, everyone: bool = False, limit: int = 200
) -> list[OutboxMessage]:
    """The failed messages staff may look at: one operator's, or all of them (`everyone`, for
    France compétences), newest first."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    if not everyone:
        query = query.where(OutboxMessage.operator_id == operator_id)
    order = (OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return list(session.scalars(query.order_by(*order).limit(limit)))


def purge_sent_bodies(session: Session, *, before: datetime) -> int:
    """Empty the bodies, attachments and secrets of the messages sent before `before` (and of
    those failed and queued before it), keeping the metadata: who, subject, topic, status,
    dates. Idempotent; flush, never commit. Returns how many messages were purged."""
    old = and_(
        OutboxMessage.body_purged_at.is_(None),
        or_(
            and_(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < before),
            and_(OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.created_at < before),
        ),
    )
    session.execute(
        update(OutboxAttachment)
        .where(OutboxAttachment.message_id.in_(select(OutboxMessage.id).where(old)))
        .values(content=b"")
        .execution_options(synchronize_session=False)
    )
    purged = session.execute(
        update(OutboxMessage)
        .where(old)
        .values(
            body_text="",
            body_html=None,
            sealed_secrets=None,
            render_context=None,
            body_purged_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(purged.rowcount)  # type: ignore[attr-defined]


def _check_header(name: str, value: str, max_length: int) -> None:
    # A line break in a header would let a value forge other headers (header injection).
    if not value.strip() or "\n" in value or "\r" in value:
        raise InvalidMail(name, "empty or on several lines")
    if len(value) > max_length:
        raise InvalidMail(name, f"longer than {max_length} characters")
