"""The e-mail telling the operator's managers that the mediator asks for access to a
person's dossier, with the link to the complaint's page where they grant it. It extends the
e-mail layouts (the mediator's mention and contact)."""

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


def access_request_topic(referral: Referral, manager_id: int) -> str:
    return f"referral:access-request:{referral.id}:{manager_id}"


def queue_access_request(session: Session, referral: Referral) -> list[OutboxMessage]:
    """One e-mail per contact of the operator (staff read the portal's first language)."""
    assert referral.complaint_id is not None
    locale = str(current_app.config["LANGUAGES"][0])
    sent = []
    with force_locale(locale):
        subject = _(
            "Le médiateur demande l'accès au dossier de la réclamation n° %(number)s",
            number=referral.complaint_id,
        )
        link = public_url("mediation_staff.complaint", locale, complaint_id=referral.complaint_id)
        for manager in mediation_contacts(session, referral.operator_id):
            text, html = bodies(
                "mediation/mediator/email/access_request",
                subject,
                {"manager": manager, "referral": referral, "link": link},
            )
            sent.append(
                enqueue_mail(
                    session,
                    to=manager.email,
                    subject=subject,
                    text=text,
                    html=html,
                    topic=access_request_topic(referral, manager.id),
                    operator_id=referral.operator_id,
                )
            )
    return sent


__all__ = ["access_request_topic", "queue_access_request"]
