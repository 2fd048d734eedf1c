"""The e-mail as the person receives it, from an outbox row whose stored body carries
placeholders instead of its links' tokens (`portal.mail.secrets`)."""

from __future__ import annotations

from email.message import EmailMessage

from flask import Flask

from portal.db import utcnow
from portal.mail.models import OutboxMessage
from portal.mail.sender import build_email


def text_as_sent(app: Flask, message: OutboxMessage) -> str:
    """The plain-text body the sender hands to the relay, secrets put back."""
    sent = build_email(
        message, mail_from="cep@example.org", now=utcnow(), secret_key=app.config["SECRET_KEY"]
    )
    body = sent.get_body(preferencelist=("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())
