"""E-mails of the mediator's side: the operator's correspondants médiation informed of an
admissible referral (CCTP 3.7, with a link to the complaint), and the person told the
admissibility decision. Every one extends the e-mail layouts, which carry the mediator's
mention and contact."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.beneficiary.emails import bodies
from portal.mail.models import OutboxMessage
from portal.mail.services import enqueue_mail
from portal.mediation.contacts import mediation_contacts
from portal.mediation.models import Referral
from portal.urls import public_url


def _locale() -> str:
    # A referral keeps no language: the portal's first one (French), as for staff.
    return str(current_app.config["LANGUAGES"][0])


def operator_link(referral: Referral, locale: str) -> str:
    """The operator's page of the referred complaint, or its complaint queue when the
    referral came without one."""
    if referral.complaint_id is None:
        return public_url("mediation_staff.queue", locale)
    return public_url("mediation_staff.complaint", locale, complaint_id=referral.complaint_id)


def queue_operator_informed(session: Session, referral: Referral) -> list[OutboxMessage]:
    """One e-mail to each correspondant médiation of the operator (none: an empty list)."""
    locale = _locale()
    sent = []
    with force_locale(locale):
        subject = _("Saisine du médiateur de France compétences n° %(number)s", number=referral.id)
        link = operator_link(referral, locale)
        for contact in mediation_contacts(session, referral.operator_id):
            text, html = bodies(
                "mediation/mediator/email/operator_informed",
                subject,
                {"referral": referral, "contact": contact, "link": link},
            )
            sent.append(
                enqueue_mail(
                    session,
                    to=contact.email,
                    subject=subject,
                    text=text,
                    html=html,
                    topic=f"referral:informed:{referral.id}:{contact.id}",
                    operator_id=referral.operator_id,
                )
            )
    return sent


def queue_decision(session: Session, referral: Referral) -> OutboxMessage | None:
    """The admissibility decision, to the person's e-mail (None: no e-mail known)."""
    if not referral.email:
        return None
    with force_locale(_locale()):
        subject = _(
            "Votre saisine du médiateur de France compétences n° %(number)s", number=referral.id
        )
        text, html = bodies("mediation/mediator/email/decision", subject, {"referral": referral})
    return enqueue_mail(
        session,
        to=referral.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"referral:decision:{referral.id}",
        operator_id=referral.operator_id,
    )


__all__ = ["operator_link", "queue_decision", "queue_operator_informed"]
