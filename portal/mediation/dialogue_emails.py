"""E-mails around a complaint and its referral to the mediator (CCTP 3.7):

- to the operator's mediation contacts (`contacts.mediation_contacts`): the person wrote a
  new message on their complaint, the person referred it to the mediator, the mediator wrote
  on the operator's thread;
- to the person: the mediator wrote on their thread (when an e-mail is known);
- to the mediator's staff: the person or the operator wrote on a referral's thread.

E-mails to staff carry no words of the person: only what happened and the link to the page
where it is read, behind the staff sign-in. Every one extends the e-mail layouts, which carry
the mediator's mention and contact.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from portal.beneficiary.emails import bodies
from portal.mail.models import OutboxMessage
from portal.mail.services import enqueue_mail
from portal.mediation.contacts import mediation_contacts, mediators
from portal.mediation.models import Complaint, Referral, ReferralMessage, Thread
from portal.network.models import StaffMember
from portal.urls import public_base_url, public_url

STAFF_TEMPLATE = "mediation/dialogue/email/to_staff"


def _locale() -> str:
    # A complaint keeps no language: the portal's first one (French), as for staff.
    return str(current_app.config["LANGUAGES"][0])


def staff_complaint_url(complaint_id: int) -> str:
    return public_url("mediation_staff.complaint", _locale(), complaint_id=complaint_id)


def mediator_referral_url(referral_id: int) -> str:
    """The mediator's page of the referral (built from its path when the workspace is not
    registered, e.g. in a partial deployment)."""
    try:
        return public_url("mediator.referral", _locale(), referral_id=referral_id)
    except BuildError:
        return f"{public_base_url()}/pro/mediateur/saisines/{referral_id}"


def _to_staff(
    session: Session,
    members: list[StaffMember],
    *,
    subject: str,
    lead: str,
    link: str,
    topic: str,
    operator_id: int | None,
) -> list[OutboxMessage]:
    sent = []
    for member in members:
        context: dict[str, Any] = {"member": member, "lead": lead, "link": link}
        text, html = bodies(STAFF_TEMPLATE, subject, context)
        sent.append(
            enqueue_mail(
                session,
                to=member.email,
                subject=subject,
                text=text,
                html=html,
                topic=topic,
                operator_id=operator_id,
            )
        )
    return sent


def queue_person_message_to_operator(session: Session, complaint: Complaint) -> list[OutboxMessage]:
    """The person wrote on their complaint's thread."""
    with force_locale(_locale()):
        return _to_staff(
            session,
            mediation_contacts(session, complaint.operator_id),
            subject=_(
                "Réclamation n° %(number)s : nouveau message de la personne", number=complaint.id
            ),
            lead=_(
                "La personne a écrit un nouveau message sur sa réclamation n° %(number)s.",
                number=complaint.id,
            ),
            link=staff_complaint_url(complaint.id),
            topic=f"complaint:{complaint.id}:person-message",
            operator_id=complaint.operator_id,
        )


def queue_referral_to_operator(session: Session, referral: Referral) -> list[OutboxMessage]:
    """The person referred their complaint to the mediator."""
    assert referral.complaint_id is not None  # the person refers from their complaint
    with force_locale(_locale()):
        return _to_staff(
            session,
            mediation_contacts(session, referral.operator_id),
            subject=_(
                "Réclamation n° %(number)s : le médiateur est saisi", number=referral.complaint_id
            ),
            lead=_(
                "La personne a saisi le médiateur de France compétences au sujet de sa "
                "réclamation n° %(number)s. Le médiateur vous écrira s'il la déclare recevable.",
                number=referral.complaint_id,
            ),
            link=staff_complaint_url(referral.complaint_id),
            topic=f"referral:{referral.id}:referred",
            operator_id=referral.operator_id,
        )


def queue_mediator_message(
    session: Session, referral: Referral, message: ReferralMessage
) -> list[OutboxMessage]:
    """The mediator wrote: to the person (thread person, when an e-mail is known) or to the
    operator's mediation contacts (thread operator)."""
    with force_locale(_locale()):
        if message.thread == Thread.PERSON:
            return [] if not referral.email else [_to_person(session, referral, message)]
        number = referral.complaint_id or referral.id
        link = (
            staff_complaint_url(referral.complaint_id)
            if referral.complaint_id is not None
            else public_url("mediation_staff.queue", _locale())
        )
        return _to_staff(
            session,
            mediation_contacts(session, referral.operator_id),
            subject=_("Le médiateur vous écrit (réclamation n° %(number)s)", number=number),
            lead=_(
                "Le médiateur de France compétences vous a écrit au sujet de la réclamation "
                "n° %(number)s. Lisez son message et répondez-lui sur le portail.",
                number=number,
            ),
            link=link,
            topic=f"referral:{referral.id}:mediator-message",
            operator_id=referral.operator_id,
        )


def queue_message_to_mediators(
    session: Session, referral: Referral, message: ReferralMessage
) -> list[OutboxMessage]:
    """The person or the operator wrote on one of the referral's threads."""
    with force_locale(_locale()):
        if message.thread == Thread.PERSON:
            lead = _("La personne vous a écrit sur la saisine n° %(number)s.", number=referral.id)
        else:
            lead = _(
                "%(operator)s vous a écrit sur la saisine n° %(number)s.",
                operator=referral.operator.name,
                number=referral.id,
            )
        return _to_staff(
            session,
            mediators(session),
            subject=_("Saisine n° %(number)s : nouveau message", number=referral.id),
            lead=lead,
            link=mediator_referral_url(referral.id),
            topic=f"referral:{referral.id}:message-to-mediator",
            operator_id=None,
        )


def _to_person(session: Session, referral: Referral, message: ReferralMessage) -> OutboxMessage:
    assert referral.email is not None
    subject = _("Le médiateur de France compétences vous écrit")
    page_url = (
        public_url("mediation.complaint_page", _locale(), complaint_id=referral.complaint_id)
        if referral.complaint_id is not None
        else None
    )
    context = {"referral": referral, "message": message.text, "page_url": page_url}
    text, html = bodies("mediation/dialogue/email/to_person", subject, context)
    return enqueue_mail(
        session,
        to=referral.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"referral:{referral.id}:mediator-to-person",
        operator_id=referral.operator_id,
    )


__all__ = [
    "mediator_referral_url",
    "queue_mediator_message",
    "queue_message_to_mediators",
    "queue_person_message_to_operator",
    "queue_referral_to_operator",
    "staff_complaint_url",
]
