"""E-mails rendered by the sender rather than in the request that queues them.

A request that must answer fast (the booking POST) queues a row with the name of a renderer,
a JSON context and the person's language instead of the bodies (`defer_mail`); the sender
renders it just before it builds the message (`render_pending`), stores the bodies as any
other row's, and delivers. Secrets stay sealed as in `enqueue_mail`: the context is stored
with placeholders, and so are the bodies once rendered.

A domain registers its renderers at import (`register`); a renderer gets the session, the
context and the subject, runs under the person's language, and returns what the bodies are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.mail.secrets import hide, hide_in_file, reveal, unseal
from portal.mail.services import Attachment, enqueue_mail


@dataclass(frozen=True)
class Rendered:
    text: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


Renderer = Callable[[Session, Mapping[str, Any], str], Rendered]
_RENDERERS: dict[str, Renderer] = {}


class UnknownRenderer(LookupError):
    """No renderer of that name: the message can never be built."""


def register(name: str, renderer: Renderer) -> None:
    _RENDERERS[name] = renderer


def defer_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    locale: str,
    topic: str = "",
    secrets: Mapping[str, str] | None = None,
    secret_key: str = "",
    operator_id: int | None = None,
) -> OutboxMessage:
    """Queue an e-mail the sender renders with the renderer `template`; flush, never commit.
    The checks (address, subject, secrets) are those of `enqueue_mail`, made now."""
    if template not in _RENDERERS:
        raise UnknownRenderer(template)
    message = enqueue_mail(
        session,
        to=to,
        subject=subject,
        text="",
        topic=topic,
        secrets=secrets,
        secret_key=secret_key,
        operator_id=operator_id,
    )
    message.render_template = template
    message.render_context = hide(json.dumps(dict(context), sort_keys=True), dict(secrets or {}))
    message.render_locale = locale
    session.flush()
    return message


def render_pending(session: Session, message: OutboxMessage, secret_key: str) -> None:
    """Render the bodies of a deferred row in place (nothing to do for any other row)."""
    if message.render_template is None:
        return
    renderer = _RENDERERS.get(message.render_template)
    if renderer is None:
        raise UnknownRenderer(message.render_template)
    secrets = unseal(message.sealed_secrets, secret_key) if message.sealed_secrets else {}
    context = json.loads(reveal(message.render_context or "{}", secrets))
    with force_locale(message.render_locale or "fr"):
        rendered = renderer(session, context, message.subject)
    message.body_text = hide(rendered.text, secrets)
    message.body_html = hide(rendered.html, secrets) if rendered.html is not None else None
    message.attachments = [
        OutboxAttachment(
            filename=a.filename,
            mimetype=a.mimetype,
            content=hide_in_file(a.content, a.mimetype, secrets),
        )
        for a in rendered.attachments
    ]
    message.render_template = message.render_context = message.render_locale = None
    session.flush()
