"""Enqueue an e-mail in the caller's transaction (transactional outbox).

The message is a row written with the change it tells about: if the transaction rolls back,
no e-mail goes out; if it commits, the sender (`flask cep send-mail`) delivers it later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portal.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus

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
) -> OutboxMessage:
    """Add a pending message to the outbox; flush, never commit."""
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
        body_text=text,
        body_html=html,
        topic=topic[:100],
        status=OutboxStatus.PENDING,
        attempts=0,
        attachments=[
            OutboxAttachment(filename=a.filename, mimetype=a.mimetype, content=a.content)
            for a in attachments
        ],
    )
    session.add(message)
    session.flush()
    return message


def _check_header(name: str, value: str, max_length: int) -> None:
    # A line break in a header would let a value forge other headers (header injection).
    if not value.strip() or "\n" in value or "\r" in value:
        raise InvalidMail(name, "empty or on several lines")
    if len(value) > max_length:
        raise InvalidMail(name, f"longer than {max_length} characters")
