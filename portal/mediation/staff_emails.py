"""E-mails of the operator's side: the answer and the messages to the person, and the daily
reminder to the managers. Every one extends the e-mail layouts, which carry the mediator's
mention and contact (CCTP 3.7)."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.beneficiary.emails import bodies
from portal.mail.models import OutboxMessage
from portal.mail.services import Attachment, enqueue_mail
from portal.mediation.letters import Mediator, answer_letter, letter_filename
from portal.mediation.models import Complaint
from portal.mediation.queue import QueueItem
from portal.network.models import StaffMember
from portal.urls import public_url


def _locale() -> str:
    # A complaint keeps no language: the portal's first one (French), as for staff.
    return str(current_app.config["LANGUAGES"][0])


def _person_locale(complaint: Complaint) -> str:
    """The language the person chose when the complaint is tied to their record, else the
    portal's first one."""
    known = complaint.beneficiary.locale if complaint.beneficiary is not None else ""
    return known if known in current_app.config["LANGUAGES"] else _locale()


def letter_mediator(complaint: Complaint, locale: str) -> Mediator:
    """The mediator's contact for the answer letter, with the person's complaint page."""
    return Mediator(
        url=current_app.config["MEDIATOR_URL"],
        postal_address=current_app.config["MEDIATOR_POSTAL_ADDRESS"],
        space_url=public_url("mediation.complaint_page", locale, complaint_id=complaint.id),
    )


def queue_answer(session: Session, complaint: Complaint) -> OutboxMessage | None:
    """The operator's answer, to the person's e-mail in their language when known, with the
    PDF letter (in French, carrying the mediator's contact) attached (None: no e-mail, the
    answer goes by post: staff download the letter from the complaint's page)."""
    if not complaint.email:
        return None
    locale = _person_locale(complaint)
    with force_locale(locale):
        subject = _("Réponse à votre réclamation n° %(number)s", number=complaint.id)
        text, html = bodies("mediation/staff/email/answer", subject, {"complaint": complaint})
    letter = Attachment(
        filename=letter_filename(complaint),
        mimetype="application/pdf",
        content=answer_letter(session, complaint, mediator=letter_mediator(complaint, locale)),
    )
    return enqueue_mail(
        session,
        to=complaint.email,
        subject=subject,
        text=text,
        html=html,
        attachments=[letter],
        topic=f"complaint:answer:{complaint.id}",
        operator_id=complaint.operator_id,
    )


def queue_staff_message(session: Session, complaint: Complaint, text_: str) -> OutboxMessage | None:
    """A message of the operator on the complaint's thread, to the person's e-mail."""
    if not complaint.email:
        return None
    with force_locale(_locale()):
        subject = _("Message sur votre réclamation n° %(number)s", number=complaint.id)
        text, html = bodies(
            "mediation/staff/email/message", subject, {"complaint": complaint, "message": text_}
        )
    return enqueue_mail(
        session,
        to=complaint.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"complaint:message:{complaint.id}",
        operator_id=complaint.operator_id,
    )


def reminder_topic(manager: StaffMember, today: date) -> str:
    return f"complaint:reminders:{manager.id}:{today.isoformat()}"


def queue_reminder(
    session: Session, manager: StaffMember, items: list[QueueItem], today: date
) -> OutboxMessage:
    """What falls due, to one manager: overdue first, then by due day."""
    locale = _locale()
    with force_locale(locale):
        subject = _(
            "Réclamations : %(num)d à traiter (accusés de réception et réponses)",
            num=len(items),
        )
        context = {
            "manager": manager,
            "items": [
                (
                    item,
                    public_url("mediation_staff.complaint", locale, complaint_id=item.complaint.id),
                )
                for item in items
            ],
            "queue": public_url("mediation_staff.queue", locale),
            "today": today,
        }
        text, html = bodies("mediation/staff/email/reminder", subject, context)
    return enqueue_mail(
        session,
        to=manager.email,
        subject=subject,
        text=text,
        html=html,
        topic=reminder_topic(manager, today),
        operator_id=manager.operator_id,
    )


__all__ = [
    "letter_mediator",
    "queue_answer",
    "queue_reminder",
    "queue_staff_message",
    "reminder_topic",
]
