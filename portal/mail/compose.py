"""One recipe for every e-mail a domain sends (layout-next: « one e-mail recipe »).

`compose_mail` switches to the person's language, builds the subject and the context in it,
renders the plain-text and HTML bodies from `<template>.txt` and `<template>.html`, seals the
link tokens and queues the message in the outbox, in the caller's transaction (flush, never
commit). Links come from `portal.urls.public_url`, never from the Host of the request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.mail.links import link_secrets
from portal.mail.models import OutboxMessage
from portal.mail.services import Attachment, enqueue_mail

Lazy = Callable[[], Any]


def mail_language(locale: str | None) -> str:
    """The person's language when the portal speaks it, else the portal's first one."""
    languages: list[str] = current_app.config["LANGUAGES"]
    return locale if locale is not None and locale in languages else languages[0]


def render_bodies(template: str, subject: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """`template` without its extension: the `.txt` body (tidied) and the `.html` one."""
    text = render_template(f"{template}.txt", subject=subject, **context)
    html = render_template(f"{template}.html", subject=subject, **context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n", html


def compose_mail(
    session: Session,
    *,
    to: str,
    locale: str | None,
    subject: str | Lazy,
    template: str,
    context: Mapping[str, Any] | Lazy,
    topic: str,
    operator_id: int | None = None,
    links: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] | Lazy = (),
) -> OutboxMessage:
    """Queue one e-mail. `subject`, `context` and `attachments` may be callables: they are
    then evaluated in the person's language (dates, labels). `links` names the context's
    links whose token must be sealed: {context key: secret name}."""
    session.flush()
    with force_locale(mail_language(locale)):
        subject_text = str(subject() if callable(subject) else subject)
        values = dict(context() if callable(context) else context)
        files = list(attachments() if callable(attachments) else attachments)
        text, html = render_bodies(template, subject_text, values)
    secrets: dict[str, str] = {}
    for key, name in (links or {}).items():
        if values.get(key):
            secrets.update(link_secrets(str(values[key]), name))
    return enqueue_mail(
        session,
        to=to,
        subject=subject_text,
        text=text,
        html=html,
        attachments=files,
        topic=topic,
        secrets=secrets or None,
        secret_key=current_app.config["SECRET_KEY"] if secrets else "",
        operator_id=operator_id,
    )
