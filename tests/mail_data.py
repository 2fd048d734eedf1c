"""The e-mail as the person receives it, from an outbox row whose stored body carries
placeholders instead of its links' tokens (`portal.mail.secrets`)."""

from __future__ import annotations

from email.message import EmailMessage

from flask import Flask
from sqlalchemy.orm import object_session

from portal.db import utcnow
from portal.mail.models import OutboxMessage
from portal.mail.rendering import render_pending
from portal.mail.sender import build_email


def rendered_by_sender(app: Flask, message: OutboxMessage) -> OutboxMessage:
    """The row once the sender has rendered it (a row the request queued for rendering, as
    the booking POST does); any other row as it is."""
    session = object_session(message)
    assert session is not None
    render_pending(session, message, app.config["SECRET_KEY"])
    return message


def text_as_sent(app: Flask, message: OutboxMessage) -> str:
    """The plain-text body the sender hands to the relay, secrets put back."""
    sent = build_email(
        rendered_by_sender(app, message),
        mail_from="cep@example.org",
        now=utcnow(),
        secret_key=app.config["SECRET_KEY"],
    )
    body = sent.get_body(preferencelist=("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())
