"""The mail domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from portal.privacy.registry import BOOKING, DataKind, Erasure, Subject, declare

_MAIL = "mail_outbox"
declare(
    OutboxMessage,
    subject=Subject.BENEFICIARY,
    # An e-mail is found by the person's address, an SMS by one of their numbers.
    email_column="to_address",
    phone_column="to_address",
    personal={
        # An e-mail address, or the E.164 number of an SMS.
        "to_address": BOOKING(DataKind.CONTACT, Erasure.DELETE, retention=_MAIL),
        "subject": BOOKING(DataKind.MESSAGE, Erasure.DELETE, retention=_MAIL),
        # The person has the e-mails themselves; bodies may hold live links.
        "body_text": BOOKING(DataKind.MESSAGE, Erasure.DELETE, retention=_MAIL, exported=False),
        "body_html": BOOKING(DataKind.MESSAGE, Erasure.DELETE, retention=_MAIL, exported=False),
        # What the sender renders the bodies from (the link's token as a placeholder).
        "render_context": BOOKING(
            DataKind.MESSAGE, Erasure.DELETE, retention=_MAIL, exported=False
        ),
        # The links' tokens (an SMS's one-time code), encrypted until the message is sent.
        "sealed_secrets": BOOKING(
            DataKind.MESSAGE, Erasure.DELETE, retention=_MAIL, exported=False
        ),
    },
    other=(
        "id",
        "channel",
        "topic",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "first_attempt_at",
        "operator_id",
        "body_purged_at",
        "render_template",
        "render_locale",
    ),
    # A message still to send is left to the sender (it may be another operator's reminder).
    erase_only=OutboxMessage.status != OutboxStatus.PENDING,
)
declare(
    OutboxAttachment,
    subject=Subject.BENEFICIARY,
    belongs_to="message_id",
    personal={
        "content": BOOKING(DataKind.MESSAGE, Erasure.DELETE, retention=_MAIL, exported=False)
    },
    other=("id", "message_id", "filename", "mimetype"),
)
