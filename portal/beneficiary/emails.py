"""The e-mails the workspace sends to beneficiaries, and what they share: the person's
language, the text and HTML bodies, absolute links.

Queued in the caller's transaction (`enqueue_mail`); they need an application context, not a
request (the survey goes out from `close-expired` too). Every e-mail ends with the mediator
of France compétences (CCTP 3.7) through the mail layouts.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.advisor.models import Unit
from portal.i18n import long_date
from portal.mail.links import link_secrets
from portal.mail.models import OutboxMessage
from portal.mail.services import enqueue_mail
from portal.people.models import Beneficiary
from portal.urls import public_url


def language(beneficiary: Beneficiary) -> str:
    languages = current_app.config["LANGUAGES"]
    return beneficiary.locale if beneficiary.locale in languages else languages[0]


def bodies(template: str, subject: str, context: dict[str, Any]) -> tuple[str, str]:
    """`template` without its extension: the `.txt` and `.html` bodies."""
    text = render_template(f"{template}.txt", subject=subject, **context)
    html = render_template(f"{template}.html", subject=subject, **context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n", html


def queue_sign_in_link(session: Session, *, email: str, link: str, minutes: int) -> OutboxMessage:
    """The link to the space, in the language of the page where it was asked for."""
    subject = _("Votre lien de connexion à votre espace")
    text, html = bodies(
        "space/email/sign_in", subject, {"link": link, "minutes": minutes, "email": email}
    )
    # The sign-in token is sealed, never stored in clear (`mail.secrets`). No operator: a
    # person may be followed by several; a failed one is for France compétences to see.
    return enqueue_mail(
        session,
        to=email,
        subject=subject,
        text=text,
        html=html,
        topic="space:sign-in",
        secrets=link_secrets(link, "sign_in_token"),
        secret_key=current_app.config["SECRET_KEY"],
    )


def queue_closure_confirmed(session: Session, unit: Unit, request_text: str) -> OutboxMessage:
    """UO2.2 closed at the person's written request, from their space."""
    beneficiary = unit.dossier.beneficiary
    locale = language(beneficiary)
    with force_locale(locale):
        subject = _("Votre accompagnement est clôturé")
        context = {
            "beneficiary": beneficiary,
            "operator": unit.operator,
            "unit": unit,
            "closed_on": long_date(unit.closed_on) if unit.closed_on else "",
            "request_text": request_text,
            "space_url": public_url("space.home", locale),
        }
        text, html = bodies("space/email/closure_confirmed", subject, context)
    return enqueue_mail(
        session,
        to=beneficiary.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"unit:{unit.id}:closure-request",
        operator_id=unit.operator_id,
    )


def current_language() -> str:
    return str(get_locale() or current_app.config["LANGUAGES"][0])
